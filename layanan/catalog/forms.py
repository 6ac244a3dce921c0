"""Forms of the catalog: the public life-event filter, and the back-office forms of a standard.

The standard's edit page is one HTML form made of several Django forms and formsets
(``StandardForm``): the 8 internal components as text areas, and the 6 published ones as rows
(requirements, procedure steps, fee amounts, products, complaint channels) with an "add another
row" button each, which works without JavaScript (the page is posted and comes back with one more
empty row). A row left empty is ignored; a row ticked "remove" is dropped.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layanan.catalog.diff import component_label
from layanan.catalog.models import Service, ServiceStandard
from layanan.catalog.standard import (
    COMPLAINT_CHANNEL_LABELS,
    DOCUMENT_FORM_LABELS,
    DOCUMENT_TYPE_LABELS,
    INTERNAL_COMPONENTS,
    STEP_ACTOR_LABELS,
    DocumentForm,
    TimeUnit,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
TEXT_MAX = 2000


class ServiceFilterForm(forms.Form):
    """The life-event filter of the service list (a GET form: ``?peristiwa=<key>``)."""

    peristiwa = forms.ChoiceField(
        label=_("Life event"),
        required=False,
        choices=[("", _("All life events")), *Service.LifeEvent.choices],
        help_text=_("Show only the services you may need for this moment in life."),
        error_messages={"invalid_choice": _("Choose a life event from the list.")},
    )

    def life_event(self) -> str:
        """The chosen key, or ``""`` when none (or an unknown one) was given."""
        if self.is_valid():
            return str(self.cleaned_data["peristiwa"])
        return ""


# --- Building blocks ----------------------------------------------------------------------------


def _date_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=help_text,
    )


def _text(label: StrOrPromise, *, required: bool = True, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=TEXT_MAX, **kwargs)


def _area(label: StrOrPromise, *, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _choices(labels: Mapping[str, Any], empty: StrOrPromise | None = None) -> list[tuple[str, Any]]:
    options = [(str(key), label) for key, label in labels.items()]
    return [("", empty), *options] if empty is not None else options


class RowForm(forms.Form):
    """One row of a component list. Only its content counts as a change: a row whose content is
    left as it was offered (empty) is ignored, whatever its order number or remove box say."""

    def has_changed(self) -> bool:
        return bool(set(self.changed_data) - {"ORDER", "DELETE"})


class RowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """Rows that may all be left empty (a draft may be partial); returns the kept rows in order."""

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        kwargs["empty_permitted"] = True
        kwargs["use_required_attribute"] = False
        form: forms.Form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        return form

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this row")
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = _("Position")
            form.fields["ORDER"].help_text = _("Change the number to move the step.")

    def kept_rows(self) -> list[tuple[int, dict[str, Any]]]:
        """(form index, cleaned values) of the filled rows not marked for removal, in order."""
        rows: list[tuple[Any, int, dict[str, Any]]] = []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            order = data.get("ORDER")
            values = {name: value for name, value in data.items() if name not in {"ORDER", "DELETE"}}
            rows.append((order if order is not None else index + 1, index, values))
        rows.sort(key=lambda row: (row[0], row[1]))
        return [(index, values) for _order, index, values in rows]


class RequirementForm(RowForm):
    document_type = forms.ChoiceField(
        label=_("Kind of document"), choices=_choices(DOCUMENT_TYPE_LABELS, _("Choose a kind"))
    )
    name = _text(_("Name as the applicant sees it"), help_text=_("For example: KTP-el of the applicant."))
    form = forms.ChoiceField(
        label=_("Original or copy"), choices=_choices(DOCUMENT_FORM_LABELS), initial=DocumentForm.COPY
    )
    issued_by = _text(_("Issued by"), required=False)
    condition = _text(
        _("Only needed if"),
        required=False,
        help_text=_("Leave empty when always needed. For example: only if the applicant is represented."),
    )
    note = _text(_("Note"), required=False)


class ProcedureStepForm(RowForm):
    actor = forms.ChoiceField(label=_("Who"), choices=_choices(STEP_ACTOR_LABELS, _("Choose who does it")))
    description = _text(_("What they do"))


class FeeItemForm(RowForm):
    label = _text(_("What the amount pays for"))
    amount = forms.IntegerField(
        label=_("Amount in rupiah"), min_value=1, help_text=_("Digits only, e.g. 50000.")
    )
    legal_basis = _text(
        _("Regulation that sets the amount"), help_text=_("The retribusi or PNBP regulation.")
    )


class ProductForm(RowForm):
    name = _text(_("Product"), help_text=_("The document or result the applicant receives."))
    description = _text(_("Description"), required=False)
    is_electronic = forms.BooleanField(label=_("Electronic document"), required=False)


class ComplaintChannelForm(RowForm):
    kind = forms.ChoiceField(
        label=_("Channel"), choices=_choices(COMPLAINT_CHANNEL_LABELS, _("Choose a channel"))
    )
    detail = _text(_("Details"), required=False, help_text=_("Address, number or opening hours."))


def _row_formset(form: type[forms.Form], *, can_order: bool = False) -> type[RowFormSet]:
    formset = forms.formset_factory(
        form, formset=RowFormSet, extra=0, can_delete=True, can_order=can_order, max_num=100, absolute_max=200
    )
    assert issubclass(formset, RowFormSet)
    return formset


RequirementFormSet = _row_formset(RequirementForm)
ProcedureFormSet = _row_formset(ProcedureStepForm, can_order=True)
FeeItemFormSet = _row_formset(FeeItemForm)
ProductFormSet = _row_formset(ProductForm)
ComplaintChannelFormSet = _row_formset(ComplaintChannelForm)


TIME_UNIT_LABELS: dict[str, Any] = {
    TimeUnit.MINUTES: _("minutes"),
    TimeUnit.HOURS: _("hours"),
    TimeUnit.WORKING_DAYS: _("working days"),
}


class CompletionTimeForm(forms.Form):
    value = forms.IntegerField(label=_("Number"), required=False, min_value=1, max_value=10_000)
    unit = forms.ChoiceField(
        label=_("Time unit"), required=False, choices=_choices(TIME_UNIT_LABELS, _("Choose a unit"))
    )
    starts_when_complete = forms.BooleanField(
        label=_("The time counts from the day the application is complete"), required=False, initial=True
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value, unit = data.get("value"), data.get("unit")
        if value is not None and not unit:
            self.add_error("unit", gettext("Choose the unit of the completion time."))
        if unit and value is None and "value" not in self.errors:
            self.add_error("value", gettext("Enter the number of the completion time."))
        return data

    def component(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if data.get("value") is None or not data.get("unit"):
            return None
        return {
            "value": data["value"],
            "unit": data["unit"],
            "starts_when_complete": data["starts_when_complete"],
        }


class FeeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Does the applicant pay?"),
        required=False,
        choices=[
            ("free", _("No: free of charge (tidak dipungut biaya)")),
            ("paid", _("Yes: list each amount below")),
        ],
        widget=forms.RadioSelect,
    )
    legal_basis = _text(
        _("Legal basis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the service is free (e.g. UU 24/2013 Pasal 79A), or the general basis of the fees."),
    )
    note = _text(_("Note on the fee"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InternalComponentsForm(forms.Form):
    """What changed, and the 8 internal (management) components as text."""

    change_note = _area(
        _("What changes in this version"),
        rows=2,
        required=False,
        help_text=_("A short note for the unit head and the public consultation."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in INTERNAL_COMPONENTS:
            self.fields[key] = _area(component_label(key), rows=3, required=False)


class StandardForm:
    """All the forms of the edit page of one draft, bound together.

    ``data`` is the POST (``None``: show the stored draft). ``add_row`` names a row list
    (a formset prefix) that gets one more empty row.
    """

    ROW_LISTS = ("requirements", "procedure", "fee_items", "products", "channels")
    # Component path (as the actions name them) -> formset prefix.
    PATHS = {
        "requirements": "requirements",
        "procedure": "procedure",
        "fee.items": "fee_items",
        "products": "products",
        "complaint_channels": "channels",
    }

    def __init__(
        self, data: QueryDict | None = None, *, standard: ServiceStandard, add_row: str = ""
    ) -> None:
        if data is not None and add_row in self.ROW_LISTS:
            data = data.copy()
            key = f"{add_row}-TOTAL_FORMS"
            try:
                data[key] = str(int(data.get(key, "0")) + 1)
            except ValueError:
                data[key] = "1"
        self.added_row = add_row if data is not None and add_row in self.ROW_LISTS else ""
        published = standard.published or {}
        fee = published.get("fee") or {}
        initial_internal = {key: getattr(standard, key) for key in INTERNAL_COMPONENTS}
        initial_internal["change_note"] = standard.change_note
        self.internal = InternalComponentsForm(data, initial=initial_internal)
        time = published.get("completion_time") or {}
        self.completion_time = CompletionTimeForm(data, prefix="time", initial={**time} if time else None)
        self.fee = FeeForm(
            data,
            prefix="fee",
            initial={
                "kind": ("free" if fee.get("is_free") else "paid") if fee else "",
                "legal_basis": fee.get("legal_basis", ""),
                "note": fee.get("note", ""),
            },
        )

        def rows(cls: type[RowFormSet], prefix: str, initial: list[dict[str, Any]]) -> RowFormSet:
            if data is not None:
                return cls(data, prefix=prefix)
            formset = cls(prefix=prefix, initial=initial or None)
            if not initial:
                formset.extra = 1
            return formset

        self.requirements = rows(RequirementFormSet, "requirements", list(published.get("requirements", [])))
        self.procedure = rows(
            ProcedureFormSet,
            "procedure",
            [{**step, "ORDER": position} for position, step in enumerate(published.get("procedure", []), 1)],
        )
        self.fee_items = rows(FeeItemFormSet, "fee_items", list(fee.get("items", [])))
        self.products = rows(ProductFormSet, "products", list(published.get("products", [])))
        self.channels = rows(
            ComplaintChannelFormSet, "channels", list(published.get("complaint_channels", []))
        )
        self.other_errors: list[str] = []
        self._row_index: dict[str, list[int]] = {}
        if self.added_row:
            new_row = getattr(self, self.added_row).forms[-1]
            first = next(iter(new_row.fields))
            new_row.fields[first].widget.attrs["autofocus"] = True

    @property
    def formsets(self) -> dict[str, RowFormSet]:
        return {prefix: getattr(self, prefix) for prefix in self.ROW_LISTS}

    @property
    def forms(self) -> list[forms.Form]:
        return [self.internal, self.completion_time, self.fee]

    def is_valid(self) -> bool:
        valid = all(
            [form.is_valid() for form in self.forms] + [fs.is_valid() for fs in self.formsets.values()]
        )
        if valid and self.fee.cleaned_data.get("kind") == "" and self._fee_given():
            self.fee.add_error("kind", gettext("Say whether the applicant pays for this service."))
            valid = False
        return valid and not self.other_errors

    def _fee_given(self) -> bool:
        data = self.fee.cleaned_data
        return bool(data.get("legal_basis") or data.get("note") or self.fee_items.kept_rows())

    @property
    def errors(self) -> bool:
        """True when something on the page is wrong (``base.html`` then titles the page "Error:")."""
        return self.is_bound and bool(self.error_summary())

    @property
    def is_bound(self) -> bool:
        return self.internal.is_bound

    # --- Values -----------------------------------------------------------------------------

    def _rows(self, prefix: str) -> list[dict[str, Any]]:
        kept = getattr(self, prefix).kept_rows()
        self._row_index[prefix] = [index for index, _values in kept]
        return [values for _index, values in kept]

    def published(self) -> dict[str, Any]:
        """The 6 published components as the actions take them (only after ``is_valid()``)."""
        fee: dict[str, Any] | None = None
        kind = self.fee.cleaned_data.get("kind")
        items = self._rows("fee_items")
        if kind:
            fee = {
                "is_free": kind == "free",
                "items": items,
                "legal_basis": self.fee.cleaned_data.get("legal_basis", ""),
                "note": self.fee.cleaned_data.get("note", ""),
            }
        return {
            "requirements": self._rows("requirements"),
            "procedure": self._rows("procedure"),
            "completion_time": self.completion_time.component(),
            "fee": fee,
            "products": self._rows("products"),
            "complaint_channels": self._rows("channels"),
        }

    def internal_components(self) -> dict[str, str]:
        return {key: self.internal.cleaned_data.get(key, "") for key in INTERNAL_COMPONENTS}

    def change_note(self) -> str:
        return str(self.internal.cleaned_data.get("change_note", ""))

    # --- Errors from the actions --------------------------------------------------------------

    def add_action_error(self, error: ValidationError) -> None:
        """Put each error of an action where it belongs on the page (by its field path)."""
        if not hasattr(error, "error_dict"):
            self.other_errors.extend(error.messages)
            return
        for path, errors in error.error_dict.items():
            for message in (m for e in errors for m in e.messages):
                self._place(path, message)

    def _place(self, path: str, message: str) -> None:
        parts = path.split(".")
        if parts[0] in INTERNAL_COMPONENTS or parts[0] == "change_note":
            self.internal.add_error(parts[0], message)
            return
        if parts[0] == "completion_time":
            field = parts[1] if len(parts) > 1 else None
            self.completion_time.add_error(field if field in self.completion_time.fields else None, message)
            return
        if parts[:2] != ["fee", "items"] and parts[0] == "fee":
            field = parts[1] if len(parts) > 1 else None
            self.fee.add_error(field if field in self.fee.fields else None, message)
            return
        key = "fee.items" if parts[:2] == ["fee", "items"] else parts[0]
        rest = parts[2:] if key == "fee.items" else parts[1:]
        prefix = self.PATHS.get(key)
        if prefix is None:
            self.other_errors.append(message)
            return
        formset = getattr(self, prefix)
        indices = self._row_index.get(prefix, [])
        if rest and rest[0].isdigit() and int(rest[0]) < len(indices):
            form = formset.forms[indices[int(rest[0])]]
            field = rest[1] if len(rest) > 1 and rest[1] in form.fields else None
            form.add_error(field, message)
        else:
            formset.non_form_errors().append(message)

    def error_summary(self) -> list[dict[str, str]]:
        """Every error on the page with a link to its field (or its section)."""
        summary = [{"text": message, "href": ""} for message in self.other_errors]
        for form in self.forms:
            summary.extend(_form_errors(form))
        for prefix, formset in self.formsets.items():
            summary.extend({"text": str(m), "href": f"#section-{prefix}"} for m in formset.non_form_errors())
            for form in formset.forms:
                summary.extend(_form_errors(form))
        return summary


def _form_errors(form: forms.Form) -> list[dict[str, str]]:
    entries: list[dict[str, str]] = []
    if not form.is_bound:
        return entries
    for message in form.non_field_errors():
        entries.append({"text": str(message), "href": ""})
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        bound = form[name]
        anchor = f"{bound.auto_id}_0" if bound.field.widget.use_fieldset else bound.id_for_label
        entries.extend({"text": str(message), "href": f"#{anchor}"} for message in errors)
    return entries


# --- Adoption and promise -----------------------------------------------------------------------


class AdoptForm(forms.Form):
    decree_number = forms.CharField(
        label=_("Decree number"),
        max_length=120,
        help_text=_("As written on the decree of the head of the unit, e.g. 000.8/123/2026."),
    )
    decree_date = _date_field(_("Date of the decree"), _("For example 2026-03-20."))

    def clean_decree_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["decree_date"]
        if value > timezone.localdate():
            raise ValidationError(
                gettext("The decree date cannot be in the future."), code="decree_date_in_future"
            )
        return value


MAKLUMAT_FORMULA = (
    "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang telah "
    "ditetapkan dan apabila tidak menepati janji, kami siap menerima sanksi sesuai dengan peraturan "
    "perundang-undangan yang berlaku."
)


class PromiseForm(forms.Form):
    text = _area(
        _("Text of the service promise"),
        rows=5,
        help_text=_("The customary wording is filled in; keep it in Indonesian, as it is signed."),
    )
    signatory_name = forms.CharField(label=_("Signed by"), max_length=150)
    signatory_title = forms.CharField(
        label=_("Title of the signatory"), max_length=150, help_text=_("For example: Kepala Dinas.")
    )
    signed_on = _date_field(_("Signed on"), _("For example 2026-03-20."))

    def clean_signed_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["signed_on"]
        if value > timezone.localdate():
            raise ValidationError(
                gettext("The signing date cannot be in the future."), code="signed_on_in_future"
            )
        return value
