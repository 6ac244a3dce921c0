"""Citizen sign-up and sign-in without a password: an address, then a one-time code.

The address typed in the first step is kept in the session (never in the URL) until the code is
checked. Signing in with an address that has no account shows the same code page as with one.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from layanan.accounts.actions import send_one_time_code, sign_in_with_code
from layanan.accounts.contact import Contact
from layanan.accounts.forms import CodeForm, ContactForm, SignUpForm
from layanan.accounts.models import OneTimeCode, User
from layanan.accounts.permissions import is_citizen_user, is_staff_user
from layanan.core.crypto import decrypt, encrypt

PENDING_SESSION_KEY = "accounts.pending_code"
NEXT_SESSION_KEY = "accounts.next"
PENDING_ADDRESS_CONTEXT = "session.accounts.pending_code.address"


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if is_citizen_user(request.user):
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact: Contact = form.cleaned_data["contact"]
        if _send_code(request, form, contact, OneTimeCode.Purpose.SIGN_UP):
            request.session[PENDING_SESSION_KEY] = _pending_data(
                contact,
                OneTimeCode.Purpose.SIGN_UP,
                full_name=form.cleaned_data["full_name"],
                accepted_at=timezone.now().isoformat(),
            )
            return redirect("accounts:signin-code")
    return render(request, "accounts/public/signup_form.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    if is_citizen_user(request.user):
        return redirect("accounts:profile")
    if request.method == "GET":
        _remember_next(request)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact: Contact = form.cleaned_data["contact"]
        if _send_code(request, form, contact, OneTimeCode.Purpose.SIGN_IN):
            request.session[PENDING_SESSION_KEY] = _pending_data(contact, OneTimeCode.Purpose.SIGN_IN)
            return redirect("accounts:signin-code")
    return render(request, "accounts/public/signin_form.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def signin_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending:
        messages.info(request, _("Enter your e-mail address or mobile number first."))
        return redirect("accounts:signin")
    contact = _pending_contact(pending)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = _check_code(form, contact, pending)
        if user is not None:
            return _sign_in(request, user)
    context = {
        "form": form,
        "masked_address": contact.masked,
        "is_sign_up": pending["purpose"] == OneTimeCode.Purpose.SIGN_UP,
        "is_email": contact.channel == "email",
        "minutes": settings.LAYANAN_OTP_CODE_TTL_SECONDS // 60,
    }
    return render(request, "accounts/public/signin_code.html", context)


def _check_code(form: CodeForm, contact: Contact, pending: dict[str, Any]) -> User | None:
    try:
        return sign_in_with_code(
            contact,
            code=form.cleaned_data["code"],
            full_name=pending["full_name"],
            privacy_notice_accepted_at=_parse_time(pending["accepted_at"]),
        )
    except ValidationError as error:
        form.add_error("code", error)
    except PermissionDenied:
        form.add_error(
            "code", _("This account cannot sign in with a code. Ask for help at the service desk.")
        )
    return None


def _sign_in(request: HttpRequest, user: User) -> HttpResponse:
    next_url = _next_url(request)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.pop(PENDING_SESSION_KEY, None)
    request.session.pop(NEXT_SESSION_KEY, None)
    messages.success(request, _("You are signed in."))
    return redirect(next_url or "accounts:profile")


@require_POST
def signin_code_resend(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending:
        return redirect("accounts:signin")
    contact = _pending_contact(pending)
    try:
        send_one_time_code(contact, purpose=pending["purpose"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("We have sent a new code. Earlier codes no longer work."))
    return redirect("accounts:signin-code")


def _send_code(request: HttpRequest, form: ContactForm, contact: Contact, purpose: str) -> bool:
    if is_staff_user(request.user):
        form.add_error(None, _("You are signed in as staff. Sign out first to use a citizen account."))
        return False
    try:
        send_one_time_code(contact, purpose=purpose)
    except ValidationError as error:
        form.add_error("contact", error)
        return False
    return True


def _pending_data(
    contact: Contact, purpose: str, *, full_name: str = "", accepted_at: str = ""
) -> dict[str, Any]:
    return {
        "channel": contact.channel,
        # The session store is a database table: the address is kept there only encrypted.
        "address": encrypt(contact.address, context=PENDING_ADDRESS_CONTEXT),
        "purpose": purpose,
        "full_name": full_name,
        "accepted_at": accepted_at,
    }


def _pending_contact(pending: dict[str, Any]) -> Contact:
    address = decrypt(pending["address"], context=PENDING_ADDRESS_CONTEXT)
    return Contact(channel=pending["channel"], address=address)


def _parse_time(value: str) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def _remember_next(request: HttpRequest) -> None:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT_SESSION_KEY] = target


def _next_url(request: HttpRequest) -> str:
    return str(request.session.get(NEXT_SESSION_KEY, ""))
