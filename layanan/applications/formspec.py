"""Application forms as data.

A service's form is a ``FormSpec``: pages of fields, stored as JSON on ``ServiceConfig.form`` and
validated by these pydantic models wherever it enters (seeding, the agency's edits, import). The
default form is built from the adopted standard (``default_form``): a page about the applicant
(prefilled from the citizen's profile: once-only), a page per group of required documents (a
requirement with a condition becomes a yes/no question and a document shown only on "yes"), and
the declaration.

Answers are a flat ``{field key: value}`` dict of strings (documents: the vault document's public
id; address: ``{"region": code, "street": text}``). ``validate_answers`` checks every visible
field and returns translated messages per field; the web form, the counter and the API all use it.

Labels of the default form are English message ids translated when shown (``display``); a label an
agency types is shown as typed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from layanan.accounts.contact import normalise_phone
from layanan.accounts.nik import validate_kk_number, validate_nik
from layanan.catalog.standard import PublishedComponents
from layanan.core.documenttypes import DOCUMENT_TYPE_LABELS

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,59}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]

MAX_TEXT = 500
MAX_TEXTAREA = 4000


class FieldKind(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"
    YES_NO = "yes_no"
    NIK = "nik"
    KK = "kk"
    PHONE = "phone"
    ADDRESS = "address"
    DOCUMENT = "document"
    DECLARATION = "declaration"


# Fields whose values are personal data: masked on screen, never in logs or URLs.
PERSONAL_KINDS = frozenset({FieldKind.NIK, FieldKind.KK, FieldKind.PHONE, FieldKind.ADDRESS})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


class Choice(_Strict):
    value: Key
    label: Text


class ShowIf(_Strict):
    """Show the field only when the answer to ``field`` equals ``equals``."""

    field: Key
    equals: Text


class FormField(_Strict):
    key: Key
    kind: FieldKind
    label: Text
    help: OptionalText = ""
    required: bool = True
    choices: tuple[Choice, ...] = ()
    show_if: ShowIf | None = None
    document_type: str = ""
    minimum: int | None = None
    maximum: int | None = None
    # Prefill from the citizen's profile: "full_name", "nik", "kk_number", "phone", "address".
    profile: str = ""

    @model_validator(mode="after")
    def consistent(self) -> FormField:
        if self.kind == FieldKind.CHOICE and len(self.choices) < 2:
            raise ValueError(f"choice field {self.key!r} needs at least two choices")
        if self.kind != FieldKind.CHOICE and self.choices:
            raise ValueError(f"only choice fields have choices ({self.key!r})")
        if self.kind == FieldKind.DOCUMENT and self.document_type not in DOCUMENT_TYPE_LABELS:
            raise ValueError(f"document field {self.key!r} needs a known document_type")
        if self.profile not in {"", "full_name", "nik", "kk_number", "phone", "address"}:
            raise ValueError(f"unknown profile item {self.profile!r}")
        return self


class FormPage(_Strict):
    key: Key
    title: Text
    fields: tuple[FormField, ...] = Field(min_length=1)


class FormSpec(_Strict):
    pages: tuple[FormPage, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def keys_and_conditions(self) -> FormSpec:
        seen: dict[str, FormField] = {}
        page_keys: set[str] = set()
        for page in self.pages:
            if page.key in page_keys:
                raise ValueError(f"duplicate page {page.key!r}")
            page_keys.add(page.key)
            for item in page.fields:
                if item.key in seen:
                    raise ValueError(f"duplicate field {item.key!r}")
                if item.show_if is not None and item.show_if.field not in seen:
                    raise ValueError(
                        f"field {item.key!r} depends on {item.show_if.field!r}, which must come first"
                    )
                seen[item.key] = item
        if not any(f.kind == FieldKind.DECLARATION for f in seen.values()):
            raise ValueError("the form needs a declaration")
        return self

    def fields(self) -> list[FormField]:
        return [item for page in self.pages for item in page.fields]

    def field(self, key: str) -> FormField | None:
        return next((item for item in self.fields() if item.key == key), None)

    def page(self, key: str) -> FormPage | None:
        return next((page for page in self.pages if page.key == key), None)


def display(text: str) -> str:
    """A label of a form: translated when it is one of ours, as typed otherwise."""
    return gettext(text) if text else ""


def is_visible(item: FormField, answers: Mapping[str, Any]) -> bool:
    if item.show_if is None:
        return True
    return str(answers.get(item.show_if.field, "")) == item.show_if.equals


def visible_fields(
    spec: FormSpec, answers: Mapping[str, Any], page: FormPage | None = None
) -> list[FormField]:
    fields = page.fields if page is not None else spec.fields()
    return [item for item in fields if is_visible(item, answers)]


# Default form ------------------------------------------------------------------------------------

_YES_NO = (Choice(value="ya", label=gettext_noop("Yes")), Choice(value="tidak", label=gettext_noop("No")))


def default_form(components: PublishedComponents) -> FormSpec:
    """The form a service gets from its standard: applicant, documents, declaration."""
    applicant = FormPage(
        key="pemohon",
        title=gettext_noop("About you"),
        fields=(
            FormField(
                key="nama",
                kind=FieldKind.TEXT,
                label=gettext_noop("Full name"),
                profile="full_name",
                help=gettext_noop("As written on your identity card (KTP)."),
            ),
            FormField(
                key="nik",
                kind=FieldKind.NIK,
                label=gettext_noop("NIK (identity number)"),
                profile="nik",
                help=gettext_noop("16 digits, on your KTP or family card."),
            ),
            FormField(
                key="telepon",
                kind=FieldKind.PHONE,
                label=gettext_noop("Mobile number"),
                profile="phone",
                required=False,
                help=gettext_noop("We send updates about your application here."),
            ),
            FormField(key="alamat", kind=FieldKind.ADDRESS, label=gettext_noop("Address"), profile="address"),
        ),
    )
    document_fields: list[FormField] = []
    for index, requirement in enumerate(components.requirements, start=1):
        if requirement.form == "data_only":
            continue
        key = f"dok_{index}_{requirement.document_type}"[:60]
        show_if = None
        if requirement.condition:
            question = f"q_{index}"
            document_fields.append(
                FormField(
                    key=question,
                    kind=FieldKind.YES_NO,
                    label=requirement.condition,
                    choices=(),
                    help=gettext_noop("Answer yes if this applies to you."),
                )
            )
            show_if = ShowIf(field=question, equals="ya")
        document_fields.append(
            FormField(
                key=key,
                kind=FieldKind.DOCUMENT,
                label=requirement.name,
                document_type=requirement.document_type,
                help=requirement.note,
                show_if=show_if,
            )
        )
    pages = [applicant]
    if document_fields:
        pages.append(FormPage(key="dokumen", title=gettext_noop("Documents"), fields=tuple(document_fields)))
    pages.append(
        FormPage(
            key="pernyataan",
            title=gettext_noop("Declaration"),
            fields=(
                FormField(
                    key="pernyataan",
                    kind=FieldKind.DECLARATION,
                    label=gettext_noop("I declare that the information and documents I give are true."),
                    help=gettext_noop("Giving false information is an offence."),
                ),
            ),
        )
    )
    return FormSpec(pages=tuple(pages))


def yes_no_choices() -> tuple[Choice, ...]:
    return _YES_NO


def choices_of(item: FormField) -> tuple[Choice, ...]:
    return _YES_NO if item.kind == FieldKind.YES_NO else item.choices


# Validation --------------------------------------------------------------------------------------


def clean_value(item: FormField, raw: Any) -> Any:
    """The cleaned value of one field, or ``ValidationError`` with a message for the person."""
    if item.kind == FieldKind.ADDRESS:
        return _clean_address(item, raw)
    value = "" if raw is None else str(raw).strip()
    if not value:
        if item.required:
            if item.kind == FieldKind.DECLARATION:
                raise ValidationError(_("Tick the box to confirm the declaration."), code="required")
            if item.kind == FieldKind.DOCUMENT:
                raise ValidationError(_("Choose or upload this document."), code="required")
            if item.kind in (FieldKind.CHOICE, FieldKind.YES_NO):
                raise ValidationError(_("Choose an answer."), code="required")
            raise ValidationError(_("Fill in this field."), code="required")
        return ""
    kind = item.kind
    if kind == FieldKind.TEXT and len(value) > MAX_TEXT:
        raise ValidationError(_("Write at most %(n)s characters."), code="length", params={"n": MAX_TEXT})
    if kind == FieldKind.TEXTAREA and len(value) > MAX_TEXTAREA:
        raise ValidationError(_("Write at most %(n)s characters."), code="length", params={"n": MAX_TEXTAREA})
    if kind == FieldKind.NUMBER:
        return _clean_number(item, value)
    if kind == FieldKind.DATE:
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValidationError(_("Enter a real date, e.g. 2026-08-17."), code="date") from None
    if kind in (FieldKind.CHOICE, FieldKind.YES_NO):
        if value not in {choice.value for choice in choices_of(item)}:
            raise ValidationError(_("Choose one of the answers."), code="choice")
        return value
    if kind == FieldKind.NIK:
        return validate_nik(value).nik
    if kind == FieldKind.KK:
        return validate_kk_number(value)
    if kind == FieldKind.PHONE:
        return normalise_phone(value)
    if kind == FieldKind.DECLARATION:
        if value not in {"on", "true", "1", "ya"}:
            raise ValidationError(_("Tick the box to confirm the declaration."), code="required")
        return "ya"
    return value


def _clean_number(item: FormField, value: str) -> str:
    try:
        number = int(value.replace(".", "").replace(" ", ""))
    except ValueError:
        raise ValidationError(_("Enter a whole number, e.g. 120."), code="number") from None
    if item.minimum is not None and number < item.minimum:
        raise ValidationError(_("Enter %(n)s or more."), code="minimum", params={"n": item.minimum})
    if item.maximum is not None and number > item.maximum:
        raise ValidationError(_("Enter %(n)s or less."), code="maximum", params={"n": item.maximum})
    return str(number)


def _clean_address(item: FormField, raw: Any) -> dict[str, str] | str:
    data = raw if isinstance(raw, Mapping) else {}
    street = str(data.get("street", "") or "").strip()
    region = str(data.get("region", "") or "").strip()
    if not street and not region:
        if item.required:
            raise ValidationError(_("Enter your address and choose your village."), code="required")
        return ""
    if not street:
        raise ValidationError(_("Enter the street, house number and RT/RW."), code="street")
    if len(street) > MAX_TEXT:
        raise ValidationError(_("Write at most %(n)s characters."), code="length", params={"n": MAX_TEXT})
    if not re.fullmatch(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?", region):
        raise ValidationError(_("Choose your province, regency, district and village."), code="region")
    return {"street": street, "region": region}


def validate_answers(
    spec: FormSpec,
    answers: Mapping[str, Any],
    *,
    page: FormPage | None = None,
    known_documents: set[str] | None = None,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Clean the visible fields (of one page, or the whole form).

    Returns ``(cleaned, errors)``: cleaned values of the fields that passed, and for each field
    that did not, its messages (translated). Hidden fields are dropped from ``cleaned``. A document
    value must be one of ``known_documents`` (the applicant's vault ids) when that is given.
    """
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    merged = dict(answers)
    for item in visible_fields(spec, merged, page):
        try:
            value = clean_value(item, answers.get(item.key))
            if (
                item.kind == FieldKind.DOCUMENT
                and value
                and known_documents is not None
                and value not in known_documents
            ):
                raise ValidationError(_("Choose one of your documents."), code="document")
        except ValidationError as error:
            errors[item.key] = [str(message) for message in error.messages]
            continue
        cleaned[item.key] = value
        merged[item.key] = value
    return cleaned, errors
