"""Forms of the accounts pages: shape and format of input only; rules live in ``actions``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layanan.accounts.contact import parse_contact
from layanan.accounts.models import Agency, ServiceUnit, User
from layanan.accounts.nik import validate_kk_number, validate_nik
from layanan.accounts.permissions import ROLES_A_UNIT_HEAD_MAY_ASSIGN
from layanan.accounts.queries import regencies, units_for_staff_form
from layanan.accounts.roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_CODE = re.compile(r"[0-9]{6}")


def _code_field(label: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "class": "code",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Enter the 6-digit code.")},
    )


def _clean_code(value: str) -> str:
    code = re.sub(r"\s+", "", value)
    if not _CODE.fullmatch(code):
        raise forms.ValidationError(_("The code has 6 digits, like 123456."), code="code_format")
    return code


# --- Citizens -----------------------------------------------------------------------------------


class ContactForm(forms.Form):
    contact = forms.CharField(
        label=_("E-mail address or mobile number"),
        help_text=_("For example nama@contoh.id or 0812 3456 7890. We send you a code to sign in."),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={"required": _("Enter your e-mail address or mobile number.")},
    )

    def clean_contact(self) -> Any:
        return parse_contact(self.cleaned_data["contact"])


class SignUpForm(ContactForm):
    full_name = forms.CharField(
        label=_("Full name"),
        help_text=_("As written on your KTP."),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your full name.")},
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my data is processed to deliver public services."
        ),
        error_messages={"required": _("Tick the box to agree to the privacy notice.")},
    )
    field_order = ["full_name", "contact", "consent"]

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your full name."), code="required")
        return name


class CodeForm(forms.Form):
    code = _code_field(_("Code"))

    def clean_code(self) -> str:
        return _clean_code(self.cleaned_data["code"])


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your full name.")},
    )
    nik = forms.CharField(
        label=_("National identity number (NIK)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    kk_number = forms.CharField(
        label=_("Family card (KK) number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    address = forms.CharField(
        label=_("Address"),
        help_text=_("Street, house number, RT/RW, village (kelurahan/desa) and district (kecamatan)."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    region = forms.ModelChoiceField(
        label=_("Regency or city"),
        queryset=regencies(),
        required=False,
        empty_label=_("Not chosen"),
    )

    def __init__(self, *args: Any, masked_nik: str = "", masked_kk_number: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nik"].help_text = (
            _("16 digits, as on your KTP. Saved now: %(masked)s. Leave empty to keep it.")
            % {"masked": masked_nik}
            if masked_nik
            else _("16 digits, as on your KTP or family card.")
        )
        self.fields["kk_number"].help_text = (
            _("16 digits, at the top of your family card. Saved now: %(masked)s. Leave empty to keep it.")
            % {"masked": masked_kk_number}
            if masked_kk_number
            else _("16 digits, at the top of your family card.")
        )
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        if not region_field.queryset.exists():  # type: ignore[union-attr]
            # Regions are loaded on demand; without them there is nothing to choose from.
            del self.fields["region"]

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_nik(self) -> str | None:
        value = self.cleaned_data["nik"].strip()
        return validate_nik(value).nik if value else None

    def clean_kk_number(self) -> str | None:
        value = self.cleaned_data["kk_number"].strip()
        return validate_kk_number(value) if value else None


# --- Staff --------------------------------------------------------------------------------------


class StaffSignInForm(forms.Form):
    username = forms.CharField(
        label=pgettext_lazy("form label", "Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter your username.")},
    )
    password = forms.CharField(
        label=pgettext_lazy("form label", "Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username, password = cleaned.get("username"), cleaned.get("password")
        if not username or not password:
            return cleaned
        # Through authenticate() so that django-axes counts failures and locks out.
        user = authenticate(request=self.request, username=username, password=password)
        if user is None:
            raise forms.ValidationError(_("The username or password is wrong."), code="invalid_login")
        assert isinstance(user, User)
        if user.kind != User.Kind.STAFF:
            raise forms.ValidationError(
                _("This sign-in is for staff. Citizens sign in with a code sent to their e-mail or phone."),
                code="citizen",
            )
        self.user = user
        return cleaned


class TotpForm(forms.Form):
    code = _code_field(_("Code from your authenticator app"))

    def clean_code(self) -> str:
        return _clean_code(self.cleaned_data["code"])


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.agency.name} — {obj.name}"


class StaffCreateForm(forms.Form):
    username = forms.CharField(
        label=pgettext_lazy("form label", "Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and . _ - only, for example siti.rahma."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": _("Enter a username.")},
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, error_messages={"required": _("Enter the full name.")}
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send the link to choose a password to this address."),
        error_messages={
            "required": _("Enter the e-mail address."),
            "invalid": _("Enter an e-mail address in the right format, like nama@contoh.id."),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Role.choices, error_messages={"required": _("Choose a role.")}
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("No agency"),
        help_text=_("For complaint coordinators and inspectorate staff."),
    )
    unit = UnitChoiceField(
        label=_("Service unit"),
        queryset=ServiceUnit.objects.none(),
        required=False,
        empty_label=_("No unit"),
        help_text=_("For front-office and back-office officers and unit heads."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitChoiceField)
        unit_field.queryset = units_for_staff_form(actor)
        if not actor.is_platform_admin:
            # A unit head adds officers to their own units only.
            role_field = self.fields["role"]
            assert isinstance(role_field, forms.ChoiceField)
            role_field.choices = _choices(Role.choices, ROLES_A_UNIT_HEAD_MAY_ASSIGN)
            del self.fields["agency"]
            unit_field.required = True
            unit_field.empty_label = None
            unit_field.help_text = ""

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


def _choices(choices: Iterable[tuple[str, Any]], allowed: Iterable[str]) -> list[tuple[str, Any]]:
    keep = set(allowed)
    return [(value, label) for value, label in choices if value in keep]


class StaffPasswordResetForm(PasswordResetForm):
    """Reset links go to active staff only, also to those who have not chosen a password yet."""

    def get_users(self, email: str) -> Iterable[Any]:
        return User.objects.filter(email__iexact=email.strip(), is_active=True, kind=User.Kind.STAFF)
