"""What the citizen's report form (``forms.ReportForm`` and ``forms.SendForm``) and the officer's
(``forms_staff_intake.OfficerReportForm``) have in common: the fields both ask the same way, the
category's extra questions (``attribute_<code>``) and a base form with the shared cleaning.

The fields are made by functions, not inherited, so that each form keeps its own field order (the
error summary lists the errors in that order)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.complaints.actions import BODY_MAX, BODY_MIN, TITLE_MAX
from layanan.complaints.models import ComplaintCategory

INCIDENT_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


def attribute_field_name(code: str) -> str:
    return f"attribute_{code}"


# The fields --------------------------------------------------------------------------------------


def kind_field(**kwargs: Any) -> forms.ChoiceField:
    """The type of report, as radios (the choices are the caller's)."""
    return forms.ChoiceField(
        label=_("What kind of report is it?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the type of report."),
            "invalid_choice": _("Choose the type of report."),
        },
        **kwargs,
    )


def category_field(
    *, label: Any, empty_label: Any, message: Any
) -> forms.ModelChoiceField[ComplaintCategory]:
    """The category, a select by slug; ``message`` when none or an unknown one is chosen (the
    caller sets the queryset)."""
    return forms.ModelChoiceField(
        label=label,
        queryset=ComplaintCategory.objects.none(),
        to_field_name="slug",
        empty_label=empty_label,
        error_messages={"required": message, "invalid_choice": message},
    )


def title_field() -> forms.CharField:
    return forms.CharField(
        label=_("Title"),
        help_text=_("A short summary, for example “Street light broken on Jalan Pemuda”."),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("Give the report a short title."),
            "max_length": _("Keep the title under %(limit_value)d characters."),
        },
    )


def body_field(*, help_text: Any, required: Any, too_short: Any) -> forms.CharField:
    """The story; ``required`` and ``too_short`` are the messages when it is missing or short."""
    return forms.CharField(
        label=_("What happened?"),
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 8}),
        min_length=BODY_MIN,
        max_length=BODY_MAX,
        error_messages={
            "required": required,
            "min_length": too_short,
            "max_length": _("Keep the story under %(limit_value)d characters."),
        },
    )


def incident_date_field() -> forms.DateField:
    return forms.DateField(
        label=_("Date of the incident (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=INCIDENT_DATE_FORMATS,
        error_messages={"invalid": _("Enter a real date, for example 17-08-2026.")},
    )


def location_text_field() -> forms.CharField:
    return forms.CharField(
        label=_("Place (optional)"),
        help_text=_("The street, a landmark or the office, for example “in front of SD Negeri 3”."),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Keep the place under %(limit_value)d characters.")},
    )


def name_field(*, label: Any, autocomplete: str) -> forms.CharField:
    """The reporter's name (optional)."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
        error_messages={"max_length": _("Keep the name under %(limit_value)d characters.")},
    )


def attribute_field(datatype: Any, label: str, choices: list[tuple[str, str]]) -> forms.Field:
    """An optional field for one of the category's extra questions (an Open311 attribute): radios,
    tick boxes, a text area, or else a line of text."""
    if datatype == "singlevaluelist":
        return forms.ChoiceField(label=label, required=False, choices=choices, widget=forms.RadioSelect)
    if datatype == "multivaluelist":
        return forms.MultipleChoiceField(
            label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
        )
    if datatype == "text":
        return forms.CharField(
            label=label, required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
        )
    return forms.CharField(label=label, required=False, max_length=200)


# The base form -----------------------------------------------------------------------------------


class ComplaintFormBase(forms.Form):
    """No fields of its own: the cleaning and the question fields both report forms share.
    ``attribute_names`` lists the question fields added; ``ACTION_ERROR_FIELDS`` maps an action's
    error key to the field that shows it where the names differ."""

    ACTION_ERROR_FIELDS: ClassVar[Mapping[str, str]] = {}
    attribute_names: list[str]

    @property
    def attribute_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.attribute_names]

    def clean_incident_date(self) -> date | None:
        value: date | None = self.cleaned_data.get("incident_date")
        if value is not None and value > timezone.localdate():
            raise ValidationError(_("The date of the incident cannot be in the future."), code="future")
        return value

    def action_error_field(self, key: str) -> str | None:
        """The field that shows ``submit_complaint``'s error ``key`` (None: none of this form's)."""
        if key.startswith("attribute[") and key.endswith("]"):
            candidate = attribute_field_name(key[len("attribute[") : -1])
            return candidate if candidate in self.fields else None
        field = self.ACTION_ERROR_FIELDS.get(key, key)
        return field if field in self.fields else None
