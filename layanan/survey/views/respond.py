"""Answering the survey (``/survei/``): no account, no NIK, no JavaScript.

* ``/survei/<token>/``: the form an invitation opens (the link and QR code after an application,
  or the counter code typed in);
* ``/survei/kode/``: type a counter code (on one's own phone, or at the kiosk);
* ``/survei/kiosk/``: kiosk mode for a tablet at the counter: after each response it comes back
  to the code screen for the next person;
* ``/survei/unit/<agency>/<unit>/``: a unit's general link, for services given offline; each form
  is single-use and each visitor address may answer a few times a day.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from layanan.accounts.models import ServiceUnit
from layanan.core.ratelimit import count_attempt
from layanan.survey import actions, queries
from layanan.survey.forms import CodeForm, QuestionnaireForm, checked_form_nonce, new_form_nonce
from layanan.survey.tokens import normalise

FORM_TEMPLATE = "survey/respond/form.html"
KIOSK_SESSION_KEY = "survey_kiosk"
CODE_TRIES_PER_HOUR = 30


def _in_kiosk(request: HttpRequest) -> bool:
    return bool(request.session.get(KIOSK_SESSION_KEY))


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _form_context(request: HttpRequest, form: QuestionnaireForm, **extra: Any) -> dict[str, Any]:
    return {"form": form, "kiosk": _in_kiosk(request), **extra}


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    today = timezone.localdate()
    token = normalise(token)
    invitation = queries.open_invitation(token, today=today)
    if invitation is None:
        return _closed(request, queries.invitation_state(token, today=today))
    form = QuestionnaireForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_response(
                answers=form.answers(),
                profile=form.profile(),
                suggestion=form.cleaned_data["suggestion"],
                invitation_token=token,
                today=today,
            )
        except ValidationError as error:
            if error.code in {"answered", "expired", "unknown_token"}:
                return _closed(request, queries.invitation_state(token, today=today), status=409)
            form.add_error(None, error)
        else:
            return redirect("survey:thanks")
    status = 400 if request.method == "POST" else 200
    context = _form_context(
        request,
        form,
        unit=invitation.unit,
        service=invitation.service,
        action_url=reverse("survey:answer", kwargs={"token": token}),
    )
    return render(request, FORM_TEMPLATE, context, status=status)


def _closed(request: HttpRequest, state: str, *, status: int | None = None) -> HttpResponse:
    statuses = {"answered": 200, "expired": 410, "unknown": 404}
    return render(
        request,
        "survey/respond/closed.html",
        {"state": state, "kiosk": _in_kiosk(request), "form": CodeForm()},
        status=status or statuses.get(state, 404),
    )


@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if count_attempt(f"survey-code:{_address(request)}", window_seconds=3600) > CODE_TRIES_PER_HOUR:
            form.add_error("code", _("Too many codes tried from here. Ask the officer for help."))
            return render(
                request, "survey/respond/code.html", {"form": form, "kiosk": _in_kiosk(request)}, status=429
            )
        code = normalise(form.cleaned_data["code"])
        state = queries.invitation_state(code, today=timezone.localdate())
        if state == "open":
            return redirect("survey:answer", token=code)
        messages = {
            "answered": _("This code has already been used. Thank you."),
            "expired": _("This code has expired. Ask the officer for a new one."),
        }
        form.add_error(
            "code", messages.get(state, _("This code is not valid. Check the characters and try again."))
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request, "survey/respond/code.html", {"form": form, "kiosk": _in_kiosk(request)}, status=status
    )


@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest) -> HttpResponse:
    """Start (GET shows the button, POST switches on) or leave (POST ``leave``) kiosk mode."""
    if request.method == "POST":
        if "leave" in request.POST:
            request.session.pop(KIOSK_SESSION_KEY, None)
            return redirect("portal:home")
        request.session[KIOSK_SESSION_KEY] = True
        return redirect("survey:code")
    return render(request, "survey/respond/kiosk.html", {"kiosk": _in_kiosk(request)})


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "survey/respond/thanks.html", {"kiosk": _in_kiosk(request)})


@require_http_methods(["GET", "POST"])
def unit_link(request: HttpRequest, agency_slug: str, unit_slug: str) -> HttpResponse:
    unit = (
        ServiceUnit.objects.select_related("agency")
        .filter(agency__slug=agency_slug, slug=unit_slug, is_active=True, agency__is_active=True)
        .first()
    )
    if unit is None:
        raise Http404(unit_slug)
    services = list(queries.services_of_unit(unit))
    form = QuestionnaireForm(request.POST if request.method == "POST" else None, services=services)
    nonce = str(request.POST.get("form_id", "")) if request.method == "POST" else new_form_nonce()
    status = 200
    if request.method == "POST":
        status = 400
        checked = checked_form_nonce(nonce)
        valid = form.is_valid()  # also when the id is bad: the answers come back in the form
        if checked is None:
            form.add_error(None, _("This form is too old. Your answers are kept: send it again."))
            nonce = new_form_nonce()
        elif valid:
            limit = settings.LAYANAN_SKM_UNIT_LINK_PER_DAY
            if count_attempt(f"survey-unit:{unit.pk}:{_address(request)}", window_seconds=86400) > limit:
                form.add_error(None, _("Too many responses from here today. Thank you for taking part."))
                status = 429
            else:
                service = next((s for s in services if str(s.pk) == form.cleaned_data.get("service")), None)
                try:
                    actions.submit_response(
                        answers=form.answers(),
                        profile=form.profile(),
                        suggestion=form.cleaned_data["suggestion"],
                        unit=unit,
                        service=service,
                        form_nonce=checked,
                    )
                except ValidationError as error:
                    status = 409 if error.code == "replayed" else 400
                    form.add_error(None, error)
                else:
                    return redirect("survey:thanks")
    context = _form_context(
        request,
        form,
        unit=unit,
        service=None,
        form_id=nonce,
        action_url=reverse("survey:unit-link", kwargs={"agency_slug": agency_slug, "unit_slug": unit_slug}),
    )
    return render(request, FORM_TEMPLATE, context, status=status)
