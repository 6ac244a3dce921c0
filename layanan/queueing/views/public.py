"""The public side of the queue (``/antrean/``): how busy each service mall is now, taking a
ticket on the phone or at the kiosk, the ticket's own page (and its print view for the kiosk's
thermal printer), and the hall's display board. No account, no JavaScript needed (the board uses
a small script to refresh itself and speak the calls; without it, it reloads by a link)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from layanan.core.ratelimit import count_attempt
from layanan.queueing import actions, queries
from layanan.queueing.estimates import wait_minutes
from layanan.queueing.forms import TicketForm
from layanan.queueing.models import Site, Ticket

KIOSK_TEMPLATE = "queueing/public/take.html"


def _site(slug: str) -> Site:
    site = queries.site_by_slug(slug)
    if site is None:
        raise Http404(slug)
    return site


@require_GET
def site_list(request: HttpRequest) -> HttpResponse:
    return render(request, "queueing/public/site_list.html", {"sites": list(queries.active_sites())})


@never_cache
@require_GET
def site_status(request: HttpRequest, site_slug: str) -> HttpResponse:
    site = _site(site_slug)
    return render(request, "queueing/public/status.html", {"site": site, "lines": queries.lines(site)})


@never_cache
@require_GET
def site_status_json(request: HttpRequest, site_slug: str) -> JsonResponse:
    """The same as the status page, for other sites and apps (``wait_minutes`` null: no counter open)."""
    site = _site(site_slug)
    return JsonResponse(
        {
            "site": site.slug,
            "lines": [
                {
                    "prefix": line.group.prefix,
                    "name": line.group.name,
                    "waiting": line.waiting,
                    "open_counters": line.open_counters,
                    "wait_minutes": line.wait,
                }
                for line in queries.lines(site)
            ],
        }
    )


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


@require_http_methods(["GET", "POST"])
def take(request: HttpRequest, site_slug: str, *, kiosk: bool = False, greeter: Any = None) -> HttpResponse:
    """The phone's ticket page; ``kiosk``: the hall's kiosk (no per-phone limit, print view);
    ``greeter``: the staff member at the entrance who hands out a ticket (e.g. a priority one)."""
    site = _site(site_slug)
    groups = queries.groups_of(site)
    form = TicketForm(request.POST if request.method == "POST" else None, groups=groups)
    status = 200
    if request.method == "POST":
        status = 400
        form_id = str(request.POST.get("form_id", ""))[:80]
        # A retried request (the answer got lost on a slow network) gets its ticket back without
        # counting against the phone's allowance.
        earlier = Ticket.objects.filter(site=site, idempotency_key=form_id).first() if form_id else None
        if earlier is not None:
            return _to_ticket(earlier, kiosk=kiosk)
        if form.is_valid():
            if (
                not kiosk
                and count_attempt(f"queue-phone:{site.pk}:{_address(request)}", window_seconds=86400)
                > settings.LAYANAN_QUEUE_PHONE_TICKETS_PER_DAY
            ):
                form.add_error(
                    None, _("You have taken as many tickets today as one phone may. Take one at the kiosk.")
                )
                status = 429
            else:
                try:
                    ticket = actions.issue_ticket(
                        form.chosen_group(),
                        channel=Ticket.Channel.GREETER
                        if greeter is not None
                        else Ticket.Channel.KIOSK
                        if kiosk
                        else Ticket.Channel.PHONE,
                        need=form.cleaned_data.get("need") or "",
                        actor=greeter,
                        idempotency_key=form_id,
                    )
                except ValidationError as error:
                    status = 409 if error.code == "closed" else 400
                    form.add_error(None, error)
                else:
                    return _to_ticket(ticket, kiosk=kiosk)
    context: dict[str, Any] = {
        "site": site,
        "form": form,
        "kiosk": kiosk,
        "greeter": greeter is not None,
        "form_id": (request.POST.get("form_id") if request.method == "POST" else None) or _new_form_id(),
        "lines": {line.group.pk: line for line in queries.lines(site)},
    }
    return render(request, KIOSK_TEMPLATE, context, status=status)


def _to_ticket(ticket: Ticket, *, kiosk: bool) -> HttpResponse:
    target = reverse("queueing:ticket", kwargs={"public_id": ticket.public_id})
    return redirect(f"{target}?cetak=1" if kiosk else target)


def _new_form_id() -> str:
    return secrets.token_urlsafe(18)


def kiosk(request: HttpRequest, site_slug: str) -> HttpResponse:
    return take(request, site_slug, kiosk=True)


@never_cache
@require_GET
def ticket(request: HttpRequest, public_id: str) -> HttpResponse:
    found = Ticket.objects.select_related("group", "site", "counter").filter(public_id=public_id).first()
    if found is None:
        raise Http404(public_id)
    line = next((line for line in queries.lines(found.site) if line.group.pk == found.group_id), None)
    ahead = queries.position(found)
    wait = None
    if line is not None and found.status == Ticket.Status.WAITING:
        wait = wait_minutes(ahead, line.open_counters, line.minutes_per_visit)
    context = {"ticket": found, "ahead": ahead, "wait": wait, "print": request.GET.get("cetak") == "1"}
    return render(request, "queueing/public/ticket.html", context)


@never_cache
@require_GET
def display(request: HttpRequest, site_slug: str) -> HttpResponse:
    site = _site(site_slug)
    return render(
        request,
        "queueing/public/display.html",
        {
            "site": site,
            "board": queries.board(site),
            "version": queries.board_version(site),
            "events": settings.LAYANAN_BOARD_EVENTS,
        },
    )


@never_cache
@require_GET
def display_json(request: HttpRequest, site_slug: str) -> JsonResponse:
    """The board for the screen's script. ``?v=<version>``: when nothing changed since, only the
    version is sent back (one indexed query), so dozens of screens polling every second cost little."""
    site = _site(site_slug)
    version = queries.board_version(site)
    if request.GET.get("v") == version:
        return JsonResponse({"version": version, "changed": False})
    current = queries.board(site)
    return JsonResponse(
        {
            "version": version,
            "changed": True,
            "calls": [
                {
                    "code": call.code,
                    "counter": call.counter,
                    "calls": call.call_count,
                    "priority": call.priority,
                }
                for call in current["calls"]
            ],
            "next": current["next"],
        }
    )
