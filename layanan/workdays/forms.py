from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.accounts.models import ServiceUnit
from layanan.workdays.models import Holiday

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A browser without a date picker lets people type the date; accept the Indonesian order too.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _date_field(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For example 2026-03-20."),
    )


class YearForm(forms.Form):
    """The year a calendar page shows (``?tahun=2026``)."""

    tahun = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def year(self) -> int:
        """The chosen year when valid, otherwise this year."""
        if self.is_bound and self.is_valid():
            chosen: int = self.cleaned_data["tahun"]
            return chosen
        return timezone.localdate().year


def year_form_for(query: QueryDict) -> YearForm:
    """The year chooser: bound to ``?tahun=`` when given, else showing this year."""
    if "tahun" in query:
        return YearForm(query)
    return YearForm(initial={"tahun": timezone.localdate().year})


class HolidayForm(forms.Form):
    date = _date_field(_("Date"))
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Holiday.Kind.choices, initial=Holiday.Kind.NATIONAL)
    legal_source = forms.CharField(
        label=_("Legal source"),
        max_length=300,
        help_text=_("The decree that sets this day, e.g. SKB 3 Menteri No. 1497/2025, 2/2025, 5/2025."),
    )


def unit_key(unit: ServiceUnit) -> str:
    """A unit's public key, "agency-slug/unit-slug" (unit slugs are unique per agency only)."""
    return f"{unit.agency.slug}/{unit.slug}"


class ClosureForm(forms.Form):
    unit = forms.ChoiceField(label=_("Service unit"))
    date = _date_field(_("Date"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Shown to staff, e.g. office move or staff training. Do not write personal data."),
    )

    def __init__(self, *args: Any, units: Sequence[ServiceUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit_key(unit): unit for unit in units}
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = [(key, f"{unit.name} — {unit.agency.name}") for key, unit in self.units.items()]

    def clean_unit(self) -> ServiceUnit:
        return self.units[self.cleaned_data["unit"]]
