"""Staff sign-in: username and password (throttled by django-axes), then a TOTP code.

A staff member without an authenticator app enrols one right after the password step; the secret
is kept in the session until the first code confirms it.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from layanan.accounts.actions import enrol_totp_device
from layanan.accounts.forms import StaffPasswordResetForm, StaffSignInForm, TotpForm
from layanan.accounts.models import User
from layanan.accounts.permissions import is_staff_user, is_verified, second_factor_url

STAFF_NEXT_SESSION_KEY = "accounts.staff_next"
TOTP_KEY_SESSION_KEY = "accounts.totp_key"


@never_cache
@require_http_methods(["GET", "POST"])
def staff_signin(request: HttpRequest) -> HttpResponse:
    if is_staff_user(request.user):
        assert isinstance(request.user, User)
        return redirect(
            _after_sign_in(request) if is_verified(request.user) else second_factor_url(request.user)
        )
    if request.method == "GET":
        _remember_next(request)
    form = StaffSignInForm(request, request.POST or None)
    if request.method == "POST":
        if form.is_valid() and form.user is not None:
            next_url = request.session.get(STAFF_NEXT_SESSION_KEY, "")
            login(request, form.user)
            request.session[STAFF_NEXT_SESSION_KEY] = next_url
            return redirect(second_factor_url(form.user))
        if getattr(request, "axes_locked_out", False):
            # The lock-out page of django-axes (accounts/public/locked_out.html), status 429.
            response: HttpResponse = get_lockout_response(
                request, None, {"username": request.POST.get("username", "")}
            )
            return response
    return render(request, "accounts/staff/signin_form.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def staff_otp(request: HttpRequest) -> HttpResponse:
    user = _staff_in_second_step(request)
    if isinstance(user, HttpResponse):
        return user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("accounts:staff-otp-enrol")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(_after_sign_in(request))
        if allowed:
            form.add_error("code", _("The code is wrong. Enter the code your authenticator app shows now."))
        else:
            form.add_error("code", _("Too many wrong codes. Wait a minute, then enter the newest code."))
    return render(request, "accounts/staff/otp_form.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def staff_otp_enrol(request: HttpRequest) -> HttpResponse:
    user = _staff_in_second_step(request)
    if isinstance(user, HttpResponse):
        return user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:staff-otp")
    key = request.session.get(TOTP_KEY_SESSION_KEY) or random_hex(20)
    request.session[TOTP_KEY_SESSION_KEY] = key
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = enrol_totp_device(user, actor=user, key=key, token=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            request.session.cycle_key()
            request.session.pop(TOTP_KEY_SESSION_KEY, None)
            messages.success(request, _("Your authenticator app is set up. Use it every time you sign in."))
            return redirect(_after_sign_in(request))
    device = TOTPDevice(user=user, name="default", key=key)
    context = {
        "form": form,
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "qr_svg": _qr_svg(device),
    }
    return render(request, "accounts/staff/otp_enrol.html", context)


def _staff_in_second_step(request: HttpRequest) -> User | HttpResponse:
    """The staff member between password and code, or where they should be instead."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:staff-signin")
    if not is_staff_user(user):
        raise PermissionDenied
    assert isinstance(user, User)
    if is_verified(user):
        return redirect(_after_sign_in(request))
    if request.method == "GET":
        _remember_next(request)
    return user


def _after_sign_in(request: HttpRequest) -> str:
    target = str(request.session.pop(STAFF_NEXT_SESSION_KEY, "") or "")
    return target or str(reverse_lazy("accounts:staff-dashboard"))


def _remember_next(request: HttpRequest) -> None:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[STAFF_NEXT_SESSION_KEY] = target


def _enrolment_secret(user: User, key: str) -> dict[str, str]:
    """The new secret as grouped base32 text and as a QR code of its otpauth:// URL."""
    device = TOTPDevice(user=user, name="default", key=key)
    return {"secret": _grouped(b32encode(device.bin_key).decode()), "qr_svg": _qr_svg(device)}


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// URL as an inline SVG QR code (no script, no style attribute)."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(
        scale=4, dark="#000", light="#fff", svgclass="qr-code", title=_("QR code for your authenticator app")
    )
    # segno builds the markup from our own URL only; role=img lets screen readers use the title.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


# Password reset for staff: Django's views with our templates and URL names.
password_reset = auth_views.PasswordResetView.as_view(
    form_class=StaffPasswordResetForm,
    template_name="accounts/staff/password_reset_form.html",
    email_template_name="accounts/staff/password_reset_email.txt",
    subject_template_name="accounts/staff/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/staff/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/staff/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/staff/password_reset_complete.html"
)
