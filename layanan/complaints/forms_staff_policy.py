"""Forms of the complaint deadlines page: a region's policy and the region to add one for. Shape
only; ``actions_policy.save_policy`` checks the ranges again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from layanan.complaints.actions_policy import (
    CONFIDENCE_MAX,
    CONFIDENCE_MIN,
    DAYS_MAX,
    DAYS_MIN,
    RATING_MAX,
    RATING_MIN,
)
from layanan.regions.models import Region

NATIONAL = "nasional"


def _days(label: Any, help_text: Any = "") -> forms.IntegerField:
    message = _("Enter a whole number of days from 1 to 365.")
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=DAYS_MIN,
        max_value=DAYS_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
    )


class PolicyForm(forms.Form):
    verification_working_days = _days(
        _("Verification and disposition (working days)"),
        _("The coordinator checks a new report and sends it to a unit within this time."),
    )
    first_answer_working_days = _days(
        _("First answer (working days)"), _("The unit answers within this time after receiving the report.")
    )
    reply_days = _days(
        _("Reporter's reply window (days)"),
        _("After the answer the reporter may reply or rate within this many days; then the report closes."),
    )
    light_working_days = _days(_("Resolution: light complaints (working days)"))
    normative_working_days = _days(_("Resolution: normative complaints (working days)"))
    no_audit_working_days = _days(_("Resolution: complaints needing no inspection (working days)"))
    audit_working_days = _days(_("Resolution: complaints needing inspection or audit (working days)"))
    inspectorate_after_working_days = _days(
        _("Escalate to the inspectorate after (working days)"),
        _(
            "A missed deadline goes to the coordinator at once, and to the inspectorate when it is "
            "still missed this many working days later."
        ),
    )
    auto_dispose_confidence = forms.DecimalField(
        label=_("Dispose automatically from this confidence (optional)"),
        help_text=_(
            "From 0.5 to 1.0, for example 0.9: the routing assistant sends a report to the "
            "suggested agency by itself when it is at least this sure. Leave it empty to never do so."
        ),
        required=False,
        min_value=CONFIDENCE_MIN,
        max_value=CONFIDENCE_MAX,
        decimal_places=3,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Enter a number with a dot, for example 0.9, or leave it empty."),
            "min_value": _("Enter a confidence from 0.5 to 1.0, or leave it empty."),
            "max_value": _("Enter a confidence from 0.5 to 1.0, or leave it empty."),
            "max_decimal_places": _("Use at most 3 digits after the dot."),
        },
    )
    reopen_rating_at_most = forms.TypedChoiceField(
        label=_("Reopen the report on a rating of at most"),
        help_text=_("A reporter's rating (1 to 5) at or below this reopens the report."),
        choices=[(str(n), str(n)) for n in range(RATING_MIN, RATING_MAX + 1)],
        coerce=int,
        error_messages={
            "required": _("Choose a rating from 1 to 4."),
            "invalid_choice": _("Choose a rating from 1 to 4."),
        },
    )

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        confidence = data.get("auto_dispose_confidence")
        data["auto_dispose_confidence"] = float(confidence) if confidence is not None else None
        return data

    def show_action_errors(self, errors: dict[str, list[Any]]) -> None:
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class AddRegionForm(forms.Form):
    """The province or regency to set deadlines for (its code, as in the region list)."""

    region = forms.CharField(
        label=_("Region code"),
        help_text=_("A province (for example 33) or a regency or city (for example 33.74)."),
        max_length=13,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter the code of a province or a regency or city.")},
    )

    def clean_region(self) -> Region:
        code = str(self.cleaned_data.get("region") or "").strip()
        found = Region.objects.filter(code=code, level__lte=Region.Level.REGENCY).first()
        if found is None:
            raise ValidationError(
                _("No province or regency or city has this code. Check it, for example 33.74."),
                code="unknown",
            )
        return found
