"""Online booking (``/antrean/<site>/pesan/``): a signed-in citizen picks a line, a day and a time
with free places; the booking's page shows the check-in code and its QR code and lets them cancel.
At the kiosk (``/antrean/<site>/kios/check-in/``) the code, typed or read from the QR code by the
kiosk's scanner, turns the booking into a ticket in the line."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.permissions import citizen_required
from layanan.core.ratelimit import count_attempt
from layanan.documents.pdf import qr_svg
from layanan.queueing import bookings, queries
from layanan.queueing.models import Booking, ServiceGroup, Site
from layanan.survey.tokens import normalise

CHECK_INS_PER_HOUR = 60


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Booking code"),
        help_text=gettext_lazy("Scan the QR code of your booking, or type its ten characters."),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": gettext_lazy("Enter the booking code.")},
    )


def _site(slug: str) -> Site:
    site = queries.site_by_slug(slug)
    if site is None:
        raise Http404(slug)
    return site


def _bookable(site: Site) -> list[ServiceGroup]:
    return [group for group in queries.groups_of(site) if group.booking_quota > 0]


@require_http_methods(["GET", "POST"])
@citizen_required
def book(request: AuthenticatedHttpRequest, site_slug: str) -> HttpResponse:
    site = _site(site_slug)
    groups = _bookable(site)
    chosen = next(
        (
            group
            for group in groups
            if str(group.pk) == request.GET.get("layanan", request.POST.get("layanan"))
        ),
        None,
    )
    days = bookings.booking_days(chosen, today=queries.today()) if chosen else []
    day_text = str(request.GET.get("hari", request.POST.get("hari", "")))
    day = next((candidate for candidate in days if candidate.isoformat() == day_text), None)
    slots = bookings.free_slots(chosen, day) if chosen and day else []
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        time_text = str(request.POST.get("jam", ""))
        slot = next((slot for slot in slots if slot.starts_at.strftime("%H:%M") == time_text), None)
        if chosen is None or day is None or slot is None:
            errors.append(_("Choose a service, a day and one of the times offered."))
        else:
            try:
                booking, _code = bookings.book(chosen, day=day, starts_at=slot.starts_at, actor=request.user)
            except ValidationError as error:
                errors.extend(error.messages)
                status = 409
            else:
                messages.success(request, _("Your place is booked."))
                return redirect("queueing:booking", public_id=booking.public_id)
    context: dict[str, Any] = {
        "site": site,
        "groups": groups,
        "chosen": chosen,
        "days": days,
        "day": day,
        "slots": slots,
        "errors": errors,
    }
    return render(request, "queueing/public/book.html", context, status=status)


def _own(request: AuthenticatedHttpRequest, public_id: str) -> Booking:
    booking = (
        Booking.objects.select_related("group__site")
        .filter(public_id=public_id, citizen=request.user)
        .first()
    )
    if booking is None:
        raise Http404(public_id)
    return booking


@citizen_required
def booking_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    booking = _own(request, public_id)
    code = bookings.check_in_code(booking)
    context = {
        "booking": booking,
        "code": code,
        "qr": qr_svg(code, scale=4, title=_("QR code of the booking")),
        "ticket": getattr(booking, "ticket", None) if booking.status == Booking.Status.CHECKED_IN else None,
    }
    response = render(request, "queueing/public/booking.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_required
def my_bookings(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = (
        Booking.objects.select_related("group__site")
        .filter(citizen=request.user)
        .order_by("-day", "-starts_at")[:50]
    )
    return render(request, "queueing/public/my_bookings.html", {"bookings": list(rows)})


@require_POST
@citizen_required
def cancel(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    booking = _own(request, public_id)
    try:
        bookings.cancel(booking, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your booking is cancelled. The place is free for someone else."))
    return redirect("queueing:booking", public_id=booking.public_id)


@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, site_slug: str) -> HttpResponse:
    site = _site(site_slug)
    form = CheckInForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            address = str(request.META.get("REMOTE_ADDR", ""))
            if count_attempt(f"queue-check-in:{address}", window_seconds=3600) > CHECK_INS_PER_HOUR:
                form.add_error("code", _("Too many codes tried from here. Ask the staff at the entrance."))
                status = 429
            else:
                try:
                    ticket = bookings.check_in(site.pk, normalise(form.cleaned_data["code"]))
                except ValidationError as error:
                    form.add_error("code", error)
                    status = 409 if error.code in {"not_today", "early"} else 400
                else:
                    return redirect(
                        reverse("queueing:ticket", kwargs={"public_id": ticket.public_id}) + "?cetak=1"
                    )
    return render(request, "queueing/public/check_in.html", {"site": site, "form": form}, status=status)
