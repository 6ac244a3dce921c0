"""Django forms built from a service's form spec, for the citizen's application pages.

The form spec (``layanan.applications.formspec``) is the one source of rules: these forms only
*show* fields and *read* what was typed. Every Django field here is lenient (nothing is required,
nothing is converted), so a page never loses what the person typed: the view reads the raw answers
from the POST (``read_answers``), saves them in the draft, runs ``validate_answers`` and hands its
messages to ``ApplicationForm.show_errors``.

Field kinds and their widgets:

* text, textarea, number (a text input with a numeric keyboard), date (``type=date``, ISO value),
  NIK, KK, phone: one input each;
* choice and yes/no: radio buttons;
* address: the street on one line and the village picked without JavaScript: a select per level
  (province, regency, district, village), each with its own "Choose" button that saves the page and
  shows the next level (``region_levels``);
* document: a radio list of the person's vault documents of that kind, and a file field that stores
  a new file in the vault (the view calls ``layanan.vault.actions.add_vault_document``);
* declaration: one checkbox.

Answers keep the shapes of ``formspec``: strings, and ``{"street": ..., "region": code}`` for an
address. The names of the Django fields are the field keys, with ``__street``, ``__province`` ...
and ``__upload`` for the parts of an address or a document.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layanan.accounts.contact import national_phone
from layanan.applications.formspec import (
    MAX_TEXT,
    FieldKind,
    FormField,
    choices_of,
    display,
)
from layanan.core.masking import mask_nik, mask_phone, mask_text
from layanan.regions.models import Region
from layanan.regions.queries import ancestor_codes, children_of
from layanan.vault.models import VaultDocument

if TYPE_CHECKING:
    from django.forms.boundfield import BoundField

    from layanan.accounts.models import User

REGION_LEVELS: tuple[str, ...] = ("province", "regency", "district", "village")
REGION_LEVEL_LABELS: dict[str, Any] = {
    "province": _("Province"),
    "regency": _("Regency or city"),
    "district": _("District (kecamatan)"),
    "village": _("Village (desa or kelurahan)"),
}
REGION_PLACEHOLDERS: dict[str, Any] = {
    "province": _("Choose a province"),
    "regency": _("Choose a regency or city"),
    "district": _("Choose a district"),
    "village": _("Choose a village"),
}
REGION_MISSING: dict[str, Any] = {
    "province": _("Choose your province."),
    "regency": _("Choose your regency or city."),
    "district": _("Choose your district."),
    "village": _("Choose your village."),
}
TRUTHY = frozenset({"on", "true", "1", "ya"})
UPLOAD_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def store_uploads(
    files: MultiValueDict[str, Any],
    items: Iterable[FormField],
    *,
    owner: Any,
    actor: Any,
    answers: dict[str, Any],
) -> dict[str, list[str]]:
    """Put every file sent for a document field in ``owner``'s vault and choose it for its field
    (in ``answers``). Returns the refusals (``check_upload``'s messages) by field key."""
    from layanan.vault.actions import add_vault_document

    refused: dict[str, list[str]] = {}
    for item in items:
        if item.kind != FieldKind.DOCUMENT:
            continue
        upload = files.get(part_name(item.key, "upload"))
        if upload is None:
            continue
        try:
            document = add_vault_document(
                owner=owner, upload=upload, document_type=item.document_type, actor=actor
            )
        except ValidationError as error:
            refused[item.key] = [str(message) for message in error.messages]
            continue
        answers[item.key] = str(document.public_id)
    return refused


def part_name(key: str, part: str) -> str:
    """The Django field name of one part of a composite field: ``alamat__street``."""
    return f"{key}__{part}"


# Regions -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionLevel:
    """One select of the region picker: its level, the options and the chosen code ("": none)."""

    level: str
    options: tuple[tuple[str, str], ...]
    selected: str


@dataclass(frozen=True)
class RegionChoice:
    levels: tuple[RegionLevel, ...]
    # The deepest valid code chosen ("" when not even a province is chosen).
    code: str

    @property
    def complete(self) -> bool:
        """A region was chosen at the deepest level the region table holds for it."""
        return bool(self.levels) and bool(self.levels[-1].selected)

    @property
    def first_missing(self) -> str:
        """The level whose select is still empty (the province when nothing is chosen)."""
        for level in self.levels:
            if not level.selected:
                return level.level
        return REGION_LEVELS[0]


def region_levels(chain: Sequence[str]) -> RegionChoice:
    """Walk the picker from the provinces down: ``chain`` holds the code chosen at each level
    (from the POST, or from a stored code). A code that is not a child of the code above it stops
    the walk; a level is offered when the region above it has children. One query per level."""
    levels: list[RegionLevel] = []
    parent: str | None = None
    code = ""
    for depth, level in enumerate(REGION_LEVELS):
        options = tuple((region.code, region.name) for region in children_of(parent).only("code", "name"))
        if not options:
            break
        wanted = chain[depth] if depth < len(chain) else ""
        selected = wanted if wanted and any(value == wanted for value, _name in options) else ""
        levels.append(RegionLevel(level, options, selected))
        if not selected:
            break
        code = parent = selected
    return RegionChoice(tuple(levels), code)


def region_chain(code: str) -> list[str]:
    """The codes from the province down to ``code`` (no query)."""
    if not code:
        return []
    return [*ancestor_codes(code), code]


def region_names(code: str) -> list[str]:
    """The names from the village up to the province, for showing a chosen region."""
    if not code:
        return []
    names = dict(Region.objects.filter(code__in=region_chain(code)).values_list("code", "name"))
    return [names[item] for item in reversed(region_chain(code)) if item in names]


# Reading answers ---------------------------------------------------------------------------------


def read_answers(items: Iterable[FormField], data: Mapping[str, Any]) -> dict[str, Any]:
    """The raw answers to ``items`` as posted (typed text kept as typed, for the draft)."""
    answers: dict[str, Any] = {}
    for item in items:
        key = item.key
        if item.kind == FieldKind.ADDRESS:
            chain = [str(data.get(part_name(key, level), "") or "") for level in REGION_LEVELS]
            answers[key] = {
                "street": str(data.get(part_name(key, "street"), "") or ""),
                "region": region_levels(chain).code,
            }
        elif item.kind == FieldKind.DECLARATION:
            answers[key] = "ya" if str(data.get(key, "")).strip().lower() in TRUTHY else ""
        else:
            answers[key] = str(data.get(key, "") or "")
    return answers


def prefill(items: Iterable[FormField], user: User) -> dict[str, Any]:
    """Answers known from the citizen's account and profile (asked once, not again)."""
    profile = getattr(user, "citizen_profile", None)
    known: dict[str, Any] = {
        "full_name": user.full_name,
        "phone": national_phone(user.phone) if user.phone else "",
        "nik": getattr(profile, "nik", "") or "",
        "kk_number": getattr(profile, "kk_number", "") or "",
    }
    if profile is not None and (profile.address or profile.region_id):
        known["address"] = {"street": profile.address, "region": profile.region_id or ""}
    return {item.key: known[item.profile] for item in items if item.profile and known.get(item.profile)}


def extra_errors(items: Iterable[FormField], answers: Mapping[str, Any]) -> dict[str, list[str]]:
    """What the web form asks beyond ``validate_answers``: an address names its village (the
    deepest level the region table holds), not only its province."""
    errors: dict[str, list[str]] = {}
    for item in items:
        if item.kind != FieldKind.ADDRESS:
            continue
        value = answers.get(item.key)
        if not isinstance(value, Mapping) or not value.get("region"):
            continue
        choice = region_levels(region_chain(str(value["region"])))
        if not choice.complete:
            errors[item.key] = [str(REGION_MISSING[choice.first_missing])]
    return errors


# The form ----------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One question of the page as the template lays it out."""

    item: FormField
    kind: str  # "field", "yes_no", "address" or "document"
    field: BoundField | None = None
    street: BoundField | None = None
    levels: list[BoundField] = dataclasses.field(default_factory=list)
    upload: BoundField | None = None
    has_documents: bool = False
    revealed: bool = False

    @property
    def key(self) -> str:
        return self.item.key

    @property
    def label(self) -> str:
        return display(self.item.label)

    @property
    def help(self) -> str:
        return display(self.item.help)


def _document_label(document: VaultDocument) -> str:
    uploaded = date_format(document.created_at, "DATE_FORMAT")
    return gettext("%(name)s (uploaded %(date)s)") % {"name": document.display_name, "date": uploaded}


def _encode(item: FormField, value: Any, data: dict[str, Any], regions: dict[str, RegionChoice]) -> None:
    key = item.key
    if item.kind == FieldKind.ADDRESS:
        address = value if isinstance(value, Mapping) else {}
        data[part_name(key, "street")] = str(address.get("street", "") or "")
        choice = region_levels(region_chain(str(address.get("region", "") or "")))
        regions[key] = choice
        for level in choice.levels:
            data[part_name(key, level.level)] = level.selected
    elif item.kind == FieldKind.DECLARATION:
        if str(value or "").strip().lower() in TRUTHY:
            data[key] = "on"
    elif value not in (None, ""):
        data[key] = str(value)


class ApplicationForm(forms.Form):
    """The questions ``items`` of an application form, shown with ``answers`` (raw, as typed).

    The form is bound to data made from the answers so that what the person typed shows again
    exactly, with or without errors. ``documents`` are the person's vault documents by kind.
    """

    def __init__(
        self,
        items: Sequence[FormField],
        answers: Mapping[str, Any],
        *,
        documents: Mapping[str, Sequence[VaultDocument]],
        revealed: Iterable[str] = (),
    ) -> None:
        data: dict[str, Any] = {}
        self.regions: dict[str, RegionChoice] = {}
        for item in items:
            _encode(item, answers.get(item.key), data, self.regions)
        super().__init__(data=data, files=MultiValueDict())
        self.items = list(items)
        self.revealed = set(revealed)
        self.documents = documents
        for item in self.items:
            self._add_fields(item)
        self.is_valid()  # lenient fields: this only fills cleaned_data so errors can be added

    def _add_fields(self, item: FormField) -> None:
        key, kind = item.key, item.kind
        label = display(item.label)
        help_text = display(item.help)
        if kind in (FieldKind.CHOICE, FieldKind.YES_NO):
            choices = [(choice.value, display(choice.label)) for choice in choices_of(item)]
            self.fields[key] = forms.CharField(
                label=label, help_text=help_text, required=False, widget=forms.RadioSelect(choices=choices)
            )
        elif kind == FieldKind.DECLARATION:
            self.fields[key] = forms.BooleanField(label=label, help_text=help_text, required=False)
        elif kind == FieldKind.ADDRESS:
            self.fields[part_name(key, "street")] = forms.CharField(
                label=_("Street, house number, RT/RW"),
                required=False,
                strip=False,
                widget=forms.TextInput(attrs={"autocomplete": "address-line1", "maxlength": MAX_TEXT}),
            )
            for level in self.regions[key].levels:
                self.fields[part_name(key, level.level)] = forms.CharField(
                    label=REGION_LEVEL_LABELS[level.level],
                    required=False,
                    widget=forms.Select(choices=[("", REGION_PLACEHOLDERS[level.level]), *level.options]),
                )
        elif kind == FieldKind.DOCUMENT:
            owned = self.documents.get(item.document_type, ())
            self.fields[key] = forms.CharField(
                label=label,
                help_text=help_text,
                required=False,
                widget=forms.RadioSelect(
                    choices=[(str(doc.public_id), _document_label(doc)) for doc in owned]
                ),
            )
            self.fields[part_name(key, "upload")] = forms.FileField(
                label=_("Upload a new file") if owned else _("Upload the file"),
                help_text=_("A PDF, JPG or PNG file."),
                required=False,
                widget=forms.FileInput(attrs={"accept": UPLOAD_ACCEPT}),
            )
        else:
            self.fields[key] = forms.CharField(
                label=label, help_text=help_text, required=False, strip=False, widget=_widget(item)
            )

    # Errors --------------------------------------------------------------------------------------

    def show_errors(
        self, errors: Mapping[str, Sequence[str]], upload_errors: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        """Put ``validate_answers``' messages (and refused uploads) on the fields they are about."""
        by_key = {item.key: item for item in self.items}
        for key, messages in (upload_errors or {}).items():
            if part_name(key, "upload") in self.fields:
                for message in messages:
                    self.add_error(part_name(key, "upload"), message)
        for key, messages in errors.items():
            item = by_key.get(key)
            if item is None:
                continue
            target = self._error_target(item)
            for message in messages:
                self.add_error(target, message)

    def _error_target(self, item: FormField) -> str:
        key = item.key
        if item.kind == FieldKind.ADDRESS:
            street = str(self.data.get(part_name(key, "street"), "")).strip()
            choice = self.regions[key]
            if not street or len(street) > MAX_TEXT or not choice.levels:
                return part_name(key, "street")
            return part_name(key, choice.first_missing if not choice.complete else choice.levels[-1].level)
        if item.kind == FieldKind.DOCUMENT and not self.documents.get(item.document_type):
            return part_name(key, "upload")
        return key

    # Layout --------------------------------------------------------------------------------------

    @property
    def entries(self) -> list[Entry]:
        entries: list[Entry] = []
        for item in self.items:
            key = item.key
            revealed = key in self.revealed
            if item.kind == FieldKind.ADDRESS:
                levels = [self[part_name(key, level.level)] for level in self.regions[key].levels]
                entries.append(
                    Entry(
                        item,
                        "address",
                        street=self[part_name(key, "street")],
                        levels=levels,
                        revealed=revealed,
                    )
                )
            elif item.kind == FieldKind.DOCUMENT:
                entries.append(
                    Entry(
                        item,
                        "document",
                        field=self[key],
                        upload=self[part_name(key, "upload")],
                        has_documents=bool(self.documents.get(item.document_type)),
                        revealed=revealed,
                    )
                )
            else:
                kind = "yes_no" if item.kind == FieldKind.YES_NO else "field"
                entries.append(Entry(item, kind, field=self[key], revealed=revealed))
        return entries


def _widget(item: FormField) -> forms.Widget:
    kind = item.kind
    if kind == FieldKind.TEXTAREA:
        return forms.Textarea(attrs={"rows": 5})
    if kind == FieldKind.NUMBER:
        return forms.TextInput(attrs={"inputmode": "numeric", "class": "width-short"})
    if kind == FieldKind.DATE:
        return forms.TextInput(attrs={"type": "date", "class": "width-short"})
    if kind in (FieldKind.NIK, FieldKind.KK):
        return forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false", "maxlength": 20}
        )
    if kind == FieldKind.PHONE:
        return forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
    attrs: dict[str, Any] = {"maxlength": MAX_TEXT}
    if item.profile == "full_name":
        attrs.update(autocomplete="name", spellcheck="false")
    return forms.TextInput(attrs=attrs)


# Showing answers ---------------------------------------------------------------------------------


def answer_text(item: FormField, value: Any, documents: Mapping[str, VaultDocument]) -> str:
    """An answer as the check-your-answers page and the case page show it; personal data masked."""
    if value in (None, "", {}):
        return ""
    kind = item.kind
    if kind == FieldKind.ADDRESS:
        address = value if isinstance(value, Mapping) else {}
        parts = [mask_text(str(address.get("street", "") or ""))]
        parts += region_names(str(address.get("region", "") or ""))
        return ", ".join(part for part in parts if part)
    text = str(value)
    if kind in (FieldKind.NIK, FieldKind.KK):
        return mask_nik(text.replace(" ", ""))
    if kind == FieldKind.PHONE:
        digits = text.replace(" ", "").replace("-", "")
        return mask_phone(national_phone(digits) if digits.startswith("+62") else digits)
    if kind in (FieldKind.CHOICE, FieldKind.YES_NO):
        return next((display(choice.label) for choice in choices_of(item) if choice.value == text), text)
    if kind == FieldKind.DECLARATION:
        return gettext("Confirmed") if text.strip().lower() in TRUTHY else ""
    if kind == FieldKind.DATE:
        try:
            return date_format(datetime.date.fromisoformat(text), "DATE_FORMAT")
        except ValueError:
            return text
    if kind == FieldKind.DOCUMENT:
        document = documents.get(text)
        return document.display_name if document is not None else gettext("Document no longer available")
    return text
