"""The citizen's complaint forms: shape and format only; the rules live in ``actions``.

* ``ReportForm``: step one of a report (what, where, when, who it is about). The place is picked
  without JavaScript, a level at a time (province, regency or city, district, village), each
  select with a "Choose" button that sends the page back with the next level's choices; the
  target agency's services appear the same way.
* ``SendForm``: step two, on the check page: the category's extra questions (its Open311
  attributes), attachments, the privacy choices and, for visitors without an account, how to
  reach them. It carries the form's one-time token (``idempotency_key``).
* ``TrackingForm`` (reference and tracking code), ``InformationForm``, ``ReplyForm`` and
  ``RatingForm`` for the reporter's steps on the report page.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from layanan.accounts.contact import Contact, parse_contact
from layanan.accounts.models import Agency
from layanan.catalog.models import Service
from layanan.complaints import forms_common as common
from layanan.complaints.actions import BODY_MAX, MAX_ATTACHMENTS
from layanan.complaints.models import ComplaintCategory, ComplaintKind
from layanan.core.forms import TrackingFormBase
from layanan.regions.models import Region
from layanan.regions.queries import ancestor_codes, children_of

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
    "district": _("Choose a district (optional)"),
    "village": _("Choose a village (optional)"),
}
UPLOAD_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
PUBLIC_KINDS = (ComplaintKind.COMPLAINT, ComplaintKind.ASPIRATION, ComplaintKind.INFORMATION)
KIND_HINTS: dict[str, Any] = {
    ComplaintKind.COMPLAINT: _("Complaint: a public service went wrong and you want it put right."),
    ComplaintKind.ASPIRATION: _("Suggestion: an idea to make a public service better."),
    ComplaintKind.INFORMATION: _(
        "Information request: you ask an agency for public information (Law 14/2008: an answer "
        "within 10 working days, which may be extended by 7)."
    ),
}
# Indonesia lies within about 6°N..11°S and 95°E..141°E (the action checks it again).
LATITUDE_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LONGITUDE_RANGE = (Decimal("94.5"), Decimal("141.5"))


# The region picker -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionLevel:
    level: str
    options: tuple[tuple[str, str], ...]
    selected: str


def region_levels(chain: Sequence[str]) -> tuple[list[RegionLevel], str]:
    """Walk the picker from the provinces down: ``chain`` holds the code chosen at each level. A
    code that is not a child of the one above stops the walk. Returns the levels to show and the
    deepest code chosen ("" when none). One query per level shown."""
    levels: list[RegionLevel] = []
    parent: str | None = None
    code = ""
    for depth, level in enumerate(REGION_LEVELS):
        options = tuple(children_of(parent).values_list("code", "name"))
        if not options:
            break
        wanted = chain[depth] if depth < len(chain) else ""
        selected = wanted if wanted and any(value == wanted for value, _name in options) else ""
        levels.append(RegionLevel(level, options, selected))
        if not selected:
            break
        code = parent = selected
    return levels, code


def region_chain(code: str) -> list[str]:
    """The codes from the province down to ``code`` (no query)."""
    return [*ancestor_codes(code), code] if code else []


def _parse_coordinate(value: str, bounds: tuple[Decimal, Decimal]) -> Decimal:
    text = value.strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValidationError(
            _("Enter the number with a dot, for example -6.9932 or 110.4203."), code="number"
        ) from error
    if not number.is_finite() or not bounds[0] <= number <= bounds[1]:
        raise ValidationError(_("The point on the map is outside Indonesia."), code="outside")
    return number.quantize(Decimal("0.000001"))


def _coordinate_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


# Step one: the report ----------------------------------------------------------------------------


class ReportForm(common.ComplaintFormBase):
    """What happened, where and when. ``protected``: the *pungli* channel (no type, no category:
    both are fixed)."""

    kind = common.kind_field()
    category = common.category_field(
        label=_("What is it about?"), empty_label=_("Choose a topic"), message=_("Choose a topic.")
    )
    title = common.title_field()
    body = common.body_field(
        help_text=_(
            "Tell it in order: what happened, when, where exactly and who was involved. Do not write "
            "your NIK or other people's personal data."
        ),
        required=_("Tell us what happened."),
        too_short=_("Tell us what happened in at least %(limit_value)d characters."),
    )
    incident_date = common.incident_date_field()
    location_text = common.location_text_field()
    latitude = _coordinate_field(_("Latitude (optional)"))
    longitude = _coordinate_field(_("Longitude (optional)"))
    target_agency = forms.ModelChoiceField(
        label=_("Which agency is it about? (optional)"),
        help_text=_("If you do not know, leave it: the complaint coordinator sends it to the right agency."),
        queryset=Agency.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("I do not know"),
        error_messages={"invalid_choice": _("Choose an agency from the list.")},
    )
    target_service = forms.ChoiceField(
        label=_("Which service? (optional)"),
        required=False,
        error_messages={"invalid_choice": _("Choose a service of this agency.")},
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        protected: bool = False,
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)  # type: ignore[arg-type]
        self.protected = protected
        self.chosen_region: Region | None = None
        source: Mapping[str, Any] = (data if data is not None else initial) or {}
        chain = [str(source.get(level, "") or "") for level in REGION_LEVELS]
        self.region_levels, self.region_code = region_levels(chain)
        for level in self.region_levels:
            self.fields[level.level] = forms.CharField(
                label=REGION_LEVEL_LABELS[level.level],
                required=False,
                widget=forms.Select(choices=[("", REGION_PLACEHOLDERS[level.level]), *level.options]),
            )
        if protected:
            del self.fields["kind"]
            del self.fields["category"]
        else:
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = [(k.value, KIND_HINTS[k.value]) for k in PUBLIC_KINDS]
            category = self.fields["category"]
            assert isinstance(category, forms.ModelChoiceField)
            category.queryset = ComplaintCategory.objects.filter(is_active=True, is_protected=False)
        agency_field = self.fields["target_agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = Agency.objects.filter(is_active=True).order_by("name")
        self.service_choices = self._services(source.get("target_agency"))
        service_field = self.fields["target_service"]
        assert isinstance(service_field, forms.ChoiceField)
        if self.service_choices:
            service_field.choices = [("", _("I do not know")), *self.service_choices]
        else:
            del self.fields["target_service"]

    @staticmethod
    def _services(agency_slug: Any) -> list[tuple[str, str]]:
        if not agency_slug:
            return []
        services: QuerySet[Service] = Service.objects.filter(
            unit__agency__slug=str(agency_slug), unit__agency__is_active=True, is_active=True
        ).order_by("name")
        return list(services.values_list("slug", "name"))

    @property
    def region_fields(self) -> list[forms.BoundField]:
        return [self[level.level] for level in self.region_levels]

    @property
    def region_missing_level(self) -> str:
        """The first level still to choose, down to the regency (the least a report needs)."""
        for level in self.region_levels[:2]:
            if not level.selected:
                return level.level
        return ""

    def clean_latitude(self) -> Decimal | None:
        value = str(self.cleaned_data.get("latitude") or "")
        return _parse_coordinate(value, LATITUDE_RANGE) if value.strip() else None

    def clean_longitude(self) -> Decimal | None:
        value = str(self.cleaned_data.get("longitude") or "")
        return _parse_coordinate(value, LONGITUDE_RANGE) if value.strip() else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        missing = self.region_missing_level
        if not self.region_levels:
            raise ValidationError(
                _("The list of regions is not available yet. Ask at the information desk."), code="regions"
            )
        if missing:
            self.add_error(
                missing,
                _("Choose the province, then the regency or city where it happened.")
                if missing == "province"
                else _("Choose the regency or city where it happened."),
            )
        else:
            self.chosen_region = Region.objects.filter(code=self.region_code).first()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        coordinates_typed = not self.has_error("latitude") and not self.has_error("longitude")
        if coordinates_typed and (latitude is None) != (longitude is None):
            self.add_error(
                "longitude" if longitude is None else "latitude",
                _("Give both the latitude and the longitude of the point, or neither."),
            )
        return cleaned

    def chosen_service(self) -> Service | None:
        slug = self.cleaned_data.get("target_service") or ""
        agency = self.cleaned_data.get("target_agency")
        if not slug or agency is None:
            return None
        return Service.objects.filter(slug=slug, unit__agency=agency, is_active=True).first()


# Step two: check and send ------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": UPLOAD_ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class SendForm(common.ComplaintFormBase):
    """The category's questions, attachments, privacy and contact. ``visitor``: nobody is signed in
    (the contact fields are asked); ``protected``: always confidential."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    attachments = MultipleFileField(
        label=_("Photos or documents (optional)"),
        help_text=_("Up to 3 files, JPG, PNG or PDF, 2 MB together."),
        required=False,
    )
    is_anonymous = forms.BooleanField(
        label=_("Report anonymously (anonim)"),
        help_text=_(
            "Nobody handling the report and nobody in the public sees who you are, not even your "
            "name. You follow the report with the reference number and the tracking code."
        ),
        required=False,
    )
    is_confidential = forms.BooleanField(
        label=_("Keep the content confidential (rahasia)"),
        help_text=_(
            "What you wrote is not published on the public reports page. Only the officers "
            "handling it read it."
        ),
        required=False,
    )
    name = common.name_field(label=_("Your name (optional)"), autocomplete="name")
    contact = forms.CharField(
        label=_("E-mail address or mobile number (optional)"),
        help_text=_(
            "We send the reference number, the tracking code and every step there. We never publish it."
        ),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        *,
        category: ComplaintCategory | None,
        visitor: bool,
        protected: bool = False,
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(data, files, initial=initial)  # type: ignore[arg-type]
        self.protected = protected
        self.visitor = visitor
        if not visitor:
            del self.fields["name"]
            del self.fields["contact"]
        if protected:
            del self.fields["is_confidential"]
        self.attribute_names: list[str] = []
        for attribute in (category.attributes if category is not None else None) or []:
            self._add_attribute(attribute)

    def _add_attribute(self, attribute: Mapping[str, Any]) -> None:
        code = str(attribute.get("code", ""))
        if not code or attribute.get("variable") is False:
            return
        name = common.attribute_field_name(code)
        label = str(attribute.get("description") or code)
        required = bool(attribute.get("required"))
        if not required:
            label = str(_("%(question)s (optional)") % {"question": label})
        choices = [
            (str(v.get("key")), str(v.get("name") or v.get("key"))) for v in attribute.get("values", [])
        ]
        datatype = attribute.get("datatype")
        field: forms.Field
        if datatype == "number":
            field = forms.CharField(
                label=label,
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
        else:
            field = common.attribute_field(datatype, label, choices)
        field.help_text = str(attribute.get("datatype_description") or "")
        self.fields[name] = field
        self.attribute_names.append(name)

    def clean_attachments(self) -> list[Any]:
        files: list[Any] = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS}, code="too_many"
            )
        return files

    def clean_contact(self) -> Contact | None:
        value = str(self.cleaned_data.get("contact") or "").strip()
        return parse_contact(value) if value else None

    def attributes(self) -> dict[str, Any]:
        """The answers to the category's questions, by attribute code (empty answers left out)."""
        answers: dict[str, Any] = {}
        for name in self.attribute_names:
            value = self.cleaned_data.get(name)
            if value not in (None, "", []):
                answers[name.removeprefix("attribute_")] = value
        return answers

    def reporter_details(self) -> dict[str, str]:
        if not self.visitor:
            return {}
        details: dict[str, str] = {}
        name = str(self.cleaned_data.get("name") or "").strip()
        if name:
            details["name"] = name
        contact: Contact | None = self.cleaned_data.get("contact")
        if contact is not None:
            details["email" if contact.channel == "email" else "phone"] = contact.address
        return details

    def show_action_errors(self, errors: Mapping[str, Sequence[Any]]) -> list[Any]:
        """Put ``submit_complaint``'s messages on the fields they are about; returns those about
        step one (its fields are on the previous page)."""
        elsewhere: list[Any] = []
        for key, messages in errors.items():
            target = self.action_error_field(key)
            for message in messages:
                if target is not None:
                    self.add_error(target, message)
                elif key == "__all__":
                    self.add_error(None, message)
                else:
                    elsewhere.append(message)
        return elsewhere


def new_idempotency_key() -> str:
    return str(uuid.uuid4())


# Tracking and the reporter's steps ---------------------------------------------------------------


class TrackingForm(TrackingFormBase):
    reference_help = _("For example ADU-2026-000123-4. Spaces and dashes do not matter.")
    reference_typo = _("This reference number has a typo. Check it: it looks like ADU-2026-000123-4.")


class InformationForm(forms.Form):
    """The information the coordinator asked for, with optional files."""

    note = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=BODY_MAX,
        error_messages={
            "required": _("Write the information you were asked for."),
            "max_length": _("Keep the answer under %(limit_value)d characters."),
        },
    )
    attachments = MultipleFileField(
        label=_("Photos or documents (optional)"),
        help_text=_("Up to 3 files, JPG, PNG or PDF, 2 MB together."),
        required=False,
    )

    def clean_attachments(self) -> list[Any]:
        files: list[Any] = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS}, code="too_many"
            )
        return files


class ReplyForm(forms.Form):
    note = forms.CharField(
        label=_("Your reply"),
        help_text=_("Say what is still missing or wrong. The unit works on the report again."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=BODY_MAX,
        error_messages={
            "required": _("Write your reply."),
            "max_length": _("Keep the reply under %(limit_value)d characters."),
        },
    )


RATING_CHOICES = [
    ("5", _("5 — very good")),
    ("4", _("4 — good")),
    ("3", _("3 — fair")),
    ("2", _("2 — bad")),
    ("1", _("1 — very bad")),
]


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How good was the answer?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        help_text=_("A rating of 1 or 2 reopens the report: then say what is still wrong."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        error_messages={"max_length": _("Keep the comment under %(limit_value)d characters.")},
    )
