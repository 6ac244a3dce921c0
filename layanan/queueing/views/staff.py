"""The counter's console (``/petugas/antrean/``): open the counter for a shift, call the next
ticket (priority tickets by the site's policy), call again, mark as not come, start and finish
the visit (with the survey code for the person served, and the application made for them), send
the person to another line, close the counter."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.permissions import staff_required
from layanan.documents.pdf import qr_svg
from layanan.queueing import actions, permissions, queries
from layanan.queueing.forms import FinishForm, TransferForm
from layanan.queueing.models import Counter, CounterSession, Ticket
from layanan.queueing.views import public
from layanan.survey.tokens import grouped

SURVEY_CODE_KEY = "queue_survey_code"


@staff_required
def counter_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    counters = queries.counters_for(request.user)
    open_sessions = CounterSession.objects.filter(
        counter__in=counters, closed_at__isnull=True
    ).select_related("officer")
    sessions = {session.counter_id: session for session in open_sessions}
    managed = [site for site in queries.active_sites() if permissions.can_manage_site(request.user, site)]
    return render(
        request,
        "queueing/staff/counter_list.html",
        {"rows": [(counter, sessions.get(counter.pk)) for counter in counters], "managed": managed},
    )


def _counter(request: AuthenticatedHttpRequest, site_slug: str, number: int) -> Counter:
    counter = (
        Counter.objects.select_related("site", "agency")
        .filter(site__slug=site_slug, number=number, is_active=True)
        .first()
    )
    if counter is None:
        raise Http404(number)
    if not permissions.can_work_counter(request.user, counter):
        raise PermissionDenied
    return counter


def _console(
    request: AuthenticatedHttpRequest, counter: Counter, status: int = 200, **extra: Any
) -> HttpResponse:
    session = queries.session_of(counter)
    current = actions.current_ticket(counter)
    groups = queries.groups_of(counter.site)
    served = set(counter.groups.values_list("pk", flat=True))
    context: dict[str, Any] = {
        "counter": counter,
        "session": session,
        "mine": session is not None and session.officer_id == request.user.pk,
        "current": current,
        "lines": [line for line in queries.lines(counter.site) if line.group.pk in served],
        "finish_form": FinishForm(),
        "transfer_form": TransferForm(groups=groups),
        "survey": None,
    }
    shown = request.session.get(SURVEY_CODE_KEY)
    if shown and shown.get("counter") == counter.pk:
        url = f"{settings.LAYANAN_SITE_URL}{reverse('survey:answer', kwargs={'token': shown['code']})}"
        context["survey"] = {
            "ticket": shown["ticket"],
            "code": grouped(shown["code"]),
            "qr": qr_svg(url, scale=3, title=_("QR code of the survey")),
        }
    context.update(extra)
    return render(request, "queueing/staff/console.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def greeter(request: AuthenticatedHttpRequest, site_slug: str) -> HttpResponse:
    """The greeter at the entrance hands out tickets, e.g. a priority ticket for someone who needs
    it; the same form as the kiosk, recorded with the greeter as the actor."""
    site = queries.site_by_slug(site_slug)
    if site is None:
        raise Http404(site_slug)
    if not permissions.can_manage_site(request.user, site):
        raise PermissionDenied
    return public.take(request, site_slug, kiosk=True, greeter=request.user)


@staff_required
def console(request: AuthenticatedHttpRequest, site_slug: str, number: int) -> HttpResponse:
    return _console(request, _counter(request, site_slug, number))


def _step(request: AuthenticatedHttpRequest, counter: Counter, run: Any, done: str) -> HttpResponse:
    try:
        run()
    except ValidationError as error:
        return _console(request, counter, status=400, step_errors=error.messages)
    if done:
        messages.success(request, done)
    return redirect("queueing:counter", site_slug=counter.site.slug, number=counter.number)


@require_POST
@staff_required
def open_counter(request: AuthenticatedHttpRequest, site_slug: str, number: int) -> HttpResponse:
    counter = _counter(request, site_slug, number)
    return _step(
        request, counter, lambda: actions.open_counter(counter, actor=request.user), _("The counter is open.")
    )


@require_POST
@staff_required
def close_counter(request: AuthenticatedHttpRequest, site_slug: str, number: int) -> HttpResponse:
    counter = _counter(request, site_slug, number)
    return _step(
        request,
        counter,
        lambda: actions.close_counter(counter, actor=request.user),
        _("The counter is closed."),
    )


@require_POST
@staff_required
def call_next(request: AuthenticatedHttpRequest, site_slug: str, number: int) -> HttpResponse:
    counter = _counter(request, site_slug, number)
    request.session.pop(SURVEY_CODE_KEY, None)

    def run() -> None:
        if actions.call_next(counter, actor=request.user) is None:
            messages.info(request, _("Nobody is waiting."))

    return _step(request, counter, run, "")


def _current(counter: Counter, ticket_id: str) -> Ticket:
    ticket = Ticket.objects.filter(public_id=ticket_id, counter=counter).first()
    if ticket is None:
        raise Http404(ticket_id)
    return ticket


@require_POST
@staff_required
def ticket_step(
    request: AuthenticatedHttpRequest, site_slug: str, number: int, ticket_id: str, step: str
) -> HttpResponse:
    counter = _counter(request, site_slug, number)
    ticket = _current(counter, ticket_id)
    if step == "panggil-ulang":
        return _step(request, counter, lambda: actions.recall(ticket, actor=request.user), "")
    if step == "tidak-hadir":
        return _step(
            request,
            counter,
            lambda: actions.mark_no_show(ticket, actor=request.user),
            _("Marked as not come."),
        )
    if step == "mulai":
        return _step(request, counter, lambda: actions.start_service(ticket, actor=request.user), "")
    if step == "selesai":
        form = FinishForm(request.POST)
        if not form.is_valid():
            return _console(request, counter, status=400, finish_form=form)

        def finish() -> None:
            done, code = actions.finish_service(
                ticket, actor=request.user, application_reference=form.cleaned_data["application_reference"]
            )
            if code:
                request.session[SURVEY_CODE_KEY] = {"counter": counter.pk, "ticket": done.code, "code": code}

        return _step(request, counter, finish, _("The visit is finished."))
    if step == "pindah":
        transfer_form = TransferForm(request.POST, groups=queries.groups_of(counter.site))
        if not transfer_form.is_valid():
            return _console(request, counter, status=400, transfer_form=transfer_form)
        return _step(
            request,
            counter,
            lambda: actions.transfer(ticket, to_group=transfer_form.chosen_group(), actor=request.user),
            _("The visitor is sent to the other line, keeping their place by arrival time."),
        )
    raise Http404(step)
