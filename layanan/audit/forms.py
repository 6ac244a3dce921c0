from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layanan.audit.queries import EventFilter

# Bounds that keep every day convertible to UTC and one day further.
_EARLIEST = datetime.date(2000, 1, 1)
_LATEST = datetime.date(2999, 12, 31)


class AuditFilterForm(forms.Form):
    """The viewer's filters (a GET form; every field optional)."""

    action = forms.CharField(
        label=pgettext_lazy("audit event field", "Action"),
        required=False,
        max_length=100,
        help_text=_("The start of the action name is enough, for example “accounts.”."),
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=100,
        help_text=_("For example “accounts.user”."),
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until (inclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        for name in ("date_from", "date_to"):
            day = cleaned.get(name)
            if isinstance(day, datetime.date) and not _EARLIEST <= day <= _LATEST:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("Enter a date between %(earliest)s and %(latest)s."),
                        code="date_range",
                        params={"earliest": _EARLIEST.year, "latest": _LATEST.year},
                    ),
                )
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error(
                "date_to",
                forms.ValidationError(_("The end date is before the start date."), code="date_order"),
            )
        return cleaned

    def to_filter(self) -> EventFilter:
        """The query filter; call after ``is_valid()``. Days are days of the site's time zone."""
        data = self.cleaned_data
        date_from: datetime.date | None = data.get("date_from")
        date_to: datetime.date | None = data.get("date_to")
        return EventFilter(
            action_prefix=data.get("action", ""),
            object_type=data.get("object_type", "").lower(),
            object_id=data.get("object_id", ""),
            actor_label=data.get("actor", ""),
            occurred_from=_start_of(date_from) if date_from else None,
            occurred_before=_start_of(date_to + datetime.timedelta(days=1)) if date_to else None,
        )


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
