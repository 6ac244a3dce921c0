"""The form of a report an officer records from a telephone call or a visit (channel ``phone`` or
``walk_in``). Shape only; ``actions.submit_complaint`` checks the rules again (the protected
category iff *pungli*, the category's required questions, the region).

Without JavaScript the category is not known while the page is filled in, so every active
category's extra questions are listed (``attribute_<code>``, optional here, each saying which
categories ask it); only the chosen category's answers are sent."""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from layanan.accounts.contact import normalise_email, normalise_phone
from layanan.complaints import forms_common as common
from layanan.complaints.models import Complaint, ComplaintCategory, ComplaintKind
from layanan.regions.models import Region

OFFICER_CHANNEL_CHOICES = [
    (Complaint.Channel.PHONE.value, _("By telephone")),
    (Complaint.Channel.WALK_IN.value, _("In person, at the desk")),
]


def region_choices(regency_codes: Iterable[str]) -> list[tuple[Any, Any]]:
    """The regencies (or cities) of ``regency_codes`` and their districts, grouped by regency."""
    groups: list[tuple[Any, Any]] = []
    codes = sorted({code for code in regency_codes if code})
    if not codes:
        return groups
    rows = list(
        Region.objects.filter(level__in=[Region.Level.REGENCY, Region.Level.DISTRICT])
        .filter(functools.reduce(operator.or_, (Q(code__startswith=code) for code in codes)))
        .order_by("code")
        .values_list("code", "name", "level")
    )
    current: list[tuple[str, str]] | None = None
    for code, name, level in rows:
        if level == Region.Level.REGENCY:
            current = [(code, str(_("%(name)s (the whole regency or city)") % {"name": name}))]
            groups.append((name, current))
        elif current is not None and code.startswith(current[0][0] + "."):
            current.append((code, name))
    return groups


class OfficerReportForm(common.ComplaintFormBase):
    ACTION_ERROR_FIELDS: ClassVar[Mapping[str, str]] = {"location": "location_text"}

    channel = forms.ChoiceField(
        label=_("How did the report come in?"),
        choices=OFFICER_CHANNEL_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the report came in."),
            "invalid_choice": _("Choose how the report came in."),
        },
    )
    kind = common.kind_field(
        choices=ComplaintKind.choices,
        help_text=_(
            "Illegal charges, bribes and abuse of power go to the inspectorate only: choose that type "
            "and its protected category."
        ),
    )
    category = common.category_field(
        label=_("Category"), empty_label=_("Choose a category"), message=_("Choose a category.")
    )
    title = common.title_field()
    body = common.body_field(
        help_text=_("Write down what the reporter tells: what happened, when, where and who was involved."),
        required=_("Write down what happened."),
        too_short=_("Write down what happened in at least %(limit_value)d characters."),
    )
    incident_date = common.incident_date_field()
    region = forms.ChoiceField(
        label=_("Where did it happen?"),
        help_text=_("The regency or city, or one of its districts."),
        error_messages={
            "required": _("Choose the regency, city or district where it happened."),
            "invalid_choice": _("Choose the regency, city or district where it happened."),
        },
    )
    location_text = common.location_text_field()
    name = common.name_field(label=_("Reporter's name (optional)"), autocomplete="off")
    phone = forms.CharField(
        label=_("Reporter's mobile number (optional)"),
        help_text=_("The reference number and every step are sent there by SMS."),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("Reporter's e-mail address (optional)"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "email"}),
    )
    is_anonymous = forms.BooleanField(
        label=_("The reporter asks to stay anonymous (anonim)"),
        help_text=_(
            "Nobody handling the report sees who reported, not even you once it is saved. The contact "
            "is only used to send the reporter the steps."
        ),
        required=False,
    )
    is_confidential = forms.BooleanField(
        label=_("The content is confidential (rahasia)"),
        help_text=_(
            "The report is not published on the public reports page. Reports of illegal charges are "
            "always confidential."
        ),
        required=False,
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        regency_codes: Iterable[str],
        categories: Sequence[ComplaintCategory],
        language: str | None,
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)  # type: ignore[arg-type]
        self.categories = list(categories)
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ModelChoiceField)
        category_field.queryset = ComplaintCategory.objects.filter(pk__in=[c.pk for c in self.categories])
        category_field.choices = [("", _("Choose a category"))] + [
            (
                c.slug,
                str(_("%(name)s (inspectorate only)") % {"name": c.display_name(language)})
                if c.is_protected
                else c.display_name(language),
            )
            for c in self.categories
        ]
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ChoiceField)
        region_field.choices = [("", _("Choose a regency, city or district")), *region_choices(regency_codes)]
        self.attribute_names: list[str] = []
        self.attribute_codes: dict[str, set[str]] = {}
        self._add_attributes(language)

    def _add_attributes(self, language: str | None) -> None:
        definitions: dict[str, dict[str, Any]] = {}
        asked_by: dict[str, list[str]] = {}
        values: dict[str, dict[str, str]] = {}
        for category in self.categories:
            codes: set[str] = set()
            for attribute in category.attributes or []:
                code = str(attribute.get("code", ""))
                if not code or attribute.get("variable") is False:
                    continue
                codes.add(code)
                definitions.setdefault(code, dict(attribute))
                asked_by.setdefault(code, []).append(category.display_name(language))
                for value in attribute.get("values", []):
                    values.setdefault(code, {}).setdefault(
                        str(value.get("key")), str(value.get("name") or value.get("key"))
                    )
            self.attribute_codes[category.slug] = codes
        for code, attribute in definitions.items():
            name = common.attribute_field_name(code)
            label = str(attribute.get("description") or code)
            hint = str(_("Asked for: %(categories)s.") % {"categories": ", ".join(asked_by[code])})
            choices = list(values.get(code, {}).items())
            field = common.attribute_field(attribute.get("datatype"), label, choices)
            field.help_text = hint
            self.fields[name] = field
            self.attribute_names.append(name)

    def clean_phone(self) -> str:
        value = str(self.cleaned_data.get("phone") or "").strip()
        return normalise_phone(value) if value else ""

    def clean_email(self) -> str:
        value = str(self.cleaned_data.get("email") or "").strip()
        return normalise_email(value) if value else ""

    def chosen_region(self) -> Region | None:
        code = str(self.cleaned_data.get("region") or "")
        return Region.objects.filter(code=code).first() if code else None

    def attributes(self) -> dict[str, Any]:
        """The answers to the chosen category's questions, by attribute code."""
        category: ComplaintCategory | None = self.cleaned_data.get("category")
        codes = self.attribute_codes.get(category.slug, set()) if category is not None else set()
        answers: dict[str, Any] = {}
        for code in codes:
            value = self.cleaned_data.get(common.attribute_field_name(code))
            if value not in (None, "", []):
                answers[code] = value
        return answers

    def reporter_details(self) -> dict[str, str]:
        details = {
            "name": str(self.cleaned_data.get("name") or "").strip(),
            "phone": str(self.cleaned_data.get("phone") or ""),
            "email": str(self.cleaned_data.get("email") or ""),
        }
        return {key: value for key, value in details.items() if value}

    def show_action_errors(self, errors: Mapping[str, Sequence[Any]]) -> None:
        """Put ``submit_complaint``'s messages on the fields they are about."""
        for key, messages in errors.items():
            target = self.action_error_field(key)
            for message in messages:
                self.add_error(target, message)
