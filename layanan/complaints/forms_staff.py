"""Forms of the staff side of complaints: the queue filters, a workflow step's note and the
disposition (*disposisi*) to a unit. Shape only; the rules are checked again by the actions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.accounts.models import ServiceUnit
from layanan.complaints.models import ComplaintCategory, ComplaintKind, ResolutionClass
from layanan.complaints.queries_staff import DUE_SOON, OVERDUE, QueueFilters
from layanan.workflow.defaults import COMPLAINT_WORKFLOW, INFORMATION_REQUEST_WORKFLOW

NOTE_MAX = 4000


def _state_choices() -> list[tuple[str, Any]]:
    seen: dict[str, Any] = {}
    for definition in (COMPLAINT_WORKFLOW, INFORMATION_REQUEST_WORKFLOW):
        for state in definition.states:
            if not state.is_final:
                seen.setdefault(state.key, state.display_label)
    return [("", _("Any open state")), *seen.items()]


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(
        label=_("Type of report"), required=False, choices=[("", _("Any type")), *ComplaintKind.choices]
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    deadline = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[
            ("", _("Any")),
            (OVERDUE, _("Overdue")),
            (DUE_SOON, _("Due soon (one working day or less)")),
        ],
    )

    def __init__(
        self, *args: Any, categories: Sequence[ComplaintCategory], language: str | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        state_field = self.fields["state"]
        assert isinstance(state_field, forms.ChoiceField)
        state_field.choices = _state_choices()
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ChoiceField)
        category_field.choices = [("", _("Any category"))] + [
            (category.slug, category.display_name(language)) for category in categories
        ]

    def filters(self) -> QueueFilters:
        """The valid filters (a value that is not one of the choices is dropped, with its error)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return QueueFilters(
            state=str(data.get("state") or ""),
            kind=str(data.get("kind") or ""),
            category=str(data.get("category") or ""),
            flag=str(data.get("deadline") or ""),
        )


class NoteForm(forms.Form):
    """The note of a workflow step (required for some steps: ``required`` decides)."""

    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX, widget=forms.Textarea)

    def __init__(self, *args: Any, note_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.note_required = note_required

    def clean_note(self) -> str:
        note = str(self.cleaned_data.get("note") or "").strip()
        if self.note_required and not note:
            raise forms.ValidationError(
                _("Write a note: the reporter reads it with the new state."), code="required"
            )
        return note


def unit_choices(units: Sequence[ServiceUnit]) -> list[tuple[str, Any]]:
    """The units grouped by agency (``<optgroup>``), keyed by unit id."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for unit in units:
        groups.setdefault(unit.agency.name, []).append((str(unit.pk), unit.name))
    return [("", _("Choose a unit")), *groups.items()]


class DisposeForm(forms.Form):
    """Hand the report to an agency's unit, with its resolution class."""

    unit = forms.ChoiceField(
        label=_("Agency and unit"),
        help_text=_("The unit that will answer the report. Units are listed under their agency."),
        error_messages={"required": _("Choose the unit that will answer the report.")},
    )
    resolution_class = forms.ChoiceField(
        label=_("Resolution class"),
        help_text=_("Decides the resolution deadline: 2, 5, 14 or 60 working days by default."),
        choices=ResolutionClass.choices,
        error_messages={"required": _("Choose a resolution class.")},
    )
    note = forms.CharField(
        label=_("Note for the unit (optional)"), required=False, max_length=NOTE_MAX, widget=forms.Textarea
    )

    def __init__(self, *args: Any, units: Sequence[ServiceUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(unit.pk): unit for unit in units}
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = unit_choices(units)
        unit_field.error_messages["invalid_choice"] = _("Choose one of the listed units.")
        class_field = self.fields["resolution_class"]
        class_field.error_messages["invalid_choice"] = _("Choose one of the listed resolution classes.")

    def chosen_unit(self) -> ServiceUnit:
        return self.units[str(self.cleaned_data["unit"])]
