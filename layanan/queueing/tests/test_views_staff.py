"""The counter's console through Django's test client: who may open it, each step (open, call,
call again, did not come, start, finish with the application made, transfer, close) redirecting
back and changing the database, the messages and the errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override

from layanan.accounts.models import ServiceUnit, User
from layanan.core.testing import verified_client
from layanan.queueing import actions
from layanan.queueing.models import Counter, CounterSession, ServiceGroup, Site, Ticket
from layanan.queueing.tests.factories import counter, group, site
from layanan.queueing.views.staff import SURVEY_CODE_KEY
from layanan.survey.models import SurveyInvitation

pytestmark = pytest.mark.django_db
STEPS = ("panggil-ulang", "tidak-hadir", "mulai", "selesai", "pindah")


@pytest.fixture
def mall(unit_a: ServiceUnit) -> tuple[Site, ServiceGroup, ServiceGroup, Counter]:
    made = site(unit_a)
    line_a = group(made, "A", unit=unit_a)
    line_b = group(made, "B", unit=unit_a)
    return made, line_a, line_b, counter(made, 1, line_a, line_b)


def _issue(line: ServiceGroup, need: str = "") -> Ticket:
    return actions.issue_ticket(line, channel=Ticket.Channel.KIOSK, need=need)


def _console_url(desk: Counter) -> str:
    return reverse("queueing:counter", args=[desk.site.slug, desk.number])


def _url(desk: Counter, name: str) -> str:
    return reverse(f"queueing:{name}", args=[desk.site.slug, desk.number])


def _step_url(desk: Counter, ticket: Ticket, step: str) -> str:
    return reverse("queueing:ticket-step", args=[desk.site.slug, desk.number, ticket.public_id, step])


def _says(response: Any, text: str) -> bool:
    with override("id"):
        return gettext(text) in response.content.decode()


def test_anonymous_visitors_go_to_the_staff_sign_in(client: Client, mall: tuple) -> None:
    desk = mall[3]
    for response in (
        client.get(reverse("queueing:counters")),
        client.get(_console_url(desk)),
        client.post(_url(desk, "counter-open")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:staff-signin"))
    assert not CounterSession.objects.exists()


def test_citizens_are_refused(citizen_client: Client, mall: tuple) -> None:
    desk = mall[3]
    assert citizen_client.get(reverse("queueing:counters")).status_code == 403
    assert citizen_client.get(_console_url(desk)).status_code == 403
    assert citizen_client.post(_url(desk, "counter-open")).status_code == 403


def test_an_officer_of_another_agency_is_refused_at_every_step(
    other_agency_officer_client: Client, officer: User, mall: tuple
) -> None:
    _made, line_a, line_b, desk = mall
    _issue(line_a)
    actions.open_counter(desk, actor=officer)
    ticket = actions.call_next(desk, actor=officer)
    assert ticket is not None
    client = other_agency_officer_client
    assert client.get(_console_url(desk)).status_code == 403
    for name in ("counter-open", "counter-call", "counter-close"):
        assert client.post(_url(desk, name)).status_code == 403
    for step in STEPS:
        response = client.post(_step_url(desk, ticket, step), {"group": str(line_b.pk)})
        assert response.status_code == 403
    ticket.refresh_from_db()
    assert (ticket.status, ticket.call_count) == (Ticket.Status.CALLED, 1)
    assert CounterSession.objects.get().closed_at is None


def test_the_counter_list_shows_the_officers_counters(officer_client: Client, mall: tuple) -> None:
    desk = mall[3]
    response = officer_client.get(reverse("queueing:counters"))
    assert response.status_code == 200
    assert f'href="{_console_url(desk)}"' in response.content.decode()


def test_an_unknown_counter_or_step_is_not_found(officer_client: Client, mall: tuple, officer: User) -> None:
    made, line_a, _line_b, desk = mall
    assert officer_client.get(reverse("queueing:counter", args=[made.slug, 99])).status_code == 404
    Counter.objects.filter(pk=desk.pk).update(is_active=False)
    assert officer_client.get(_console_url(desk)).status_code == 404
    Counter.objects.filter(pk=desk.pk).update(is_active=True)
    _issue(line_a)
    actions.open_counter(desk, actor=officer)
    ticket = actions.call_next(desk, actor=officer)
    assert ticket is not None
    assert officer_client.post(_step_url(desk, ticket, "lompat")).status_code == 404


def test_the_console_steps_each_change_the_queue(officer_client: Client, officer: User, mall: tuple) -> None:
    _made, line_a, line_b, desk = mall
    first, second, third = _issue(line_a), _issue(line_a), _issue(line_a)
    console = _console_url(desk)
    client = officer_client

    page = client.get(console)
    assert page.status_code == 200
    assert page.context["session"] is None
    assert f'action="{_url(desk, "counter-open")}"' in page.content.decode()

    response = client.post(_url(desk, "counter-open"))
    assert (response.status_code, response["Location"]) == (302, console)
    session = CounterSession.objects.get(counter=desk)
    assert (session.officer, session.closed_at) == (officer, None)

    # Call, call again, did not come.
    assert client.post(_url(desk, "counter-call"))["Location"] == console
    first.refresh_from_db()
    assert (first.status, first.counter, first.officer, first.call_count) == (
        Ticket.Status.CALLED,
        desk,
        officer,
        1,
    )
    page = client.get(console)
    assert 'id="current-code">A-001<' in page.content.decode()
    assert client.post(_step_url(desk, first, "panggil-ulang"))["Location"] == console
    first.refresh_from_db()
    assert first.call_count == 2
    assert client.post(_step_url(desk, first, "tidak-hadir"))["Location"] == console
    first.refresh_from_db()
    assert first.status == Ticket.Status.NO_SHOW
    assert first.finished_at is not None

    # The next one: start, finish with the application made at the counter; the survey code.
    assert client.post(_url(desk, "counter-call"))["Location"] == console
    assert client.post(_step_url(desk, second, "mulai"))["Location"] == console
    second.refresh_from_db()
    assert second.status == Ticket.Status.SERVING
    assert second.started_at is not None
    response = client.post(
        _step_url(desk, second, "selesai"), {"application_reference": " KTP-2026-000042-7 "}
    )
    assert response["Location"] == console
    second.refresh_from_db()
    assert (second.status, second.application_reference) == (Ticket.Status.DONE, "KTP-2026-000042-7")
    invitation = SurveyInvitation.objects.get(source_key=f"queue:{second.public_id}")
    shown = client.session[SURVEY_CODE_KEY]
    assert (shown["counter"], shown["ticket"]) == (desk.pk, "A-002")
    page = client.get(console)
    html = page.content.decode()
    assert 'id="survey-code"' in html
    assert page.context["survey"]["ticket"] == "A-002"
    assert page.context["survey"]["code"].replace("-", "") == shown["code"].replace("-", "")
    assert invitation.source_key.endswith(str(second.public_id))
    assert 'id="call-next"' in html
    assert _says(page, "The visit is finished.")

    # The next call hides the previous person's code; then send the third to line B.
    client.post(_url(desk, "counter-call"))
    assert SURVEY_CODE_KEY not in client.session
    assert "survey-code" not in client.get(console).content.decode()
    response = client.post(_step_url(desk, third, "pindah"), {"group": str(line_b.pk)})
    assert response["Location"] == console
    third.refresh_from_db()
    assert third.status == Ticket.Status.TRANSFERRED
    moved = Ticket.objects.get(transferred_from=third)
    assert (moved.code, moved.status, moved.arrived_at) == ("B-001", Ticket.Status.WAITING, third.arrived_at)

    # Close the counter.
    assert client.post(_url(desk, "counter-close"))["Location"] == console
    session.refresh_from_db()
    assert session.closed_at is not None
    assert client.get(console).context["session"] is None


def test_calling_with_nobody_waiting_says_so(officer_client: Client, officer: User, mall: tuple) -> None:
    desk = mall[3]
    actions.open_counter(desk, actor=officer)
    response = officer_client.post(_url(desk, "counter-call"), follow=True)
    assert response.redirect_chain == [(_console_url(desk), 302)]
    assert _says(response, "Nobody is waiting.")
    assert response.context["current"] is None


def test_a_ticket_of_another_counter_is_not_found(officer_client: Client, officer: User, mall: tuple) -> None:
    made, line_a, _line_b, desk = mall
    other_desk = counter(made, 2, line_a)
    waiting = _issue(line_a)
    _issue(line_a)
    for step in STEPS:
        assert officer_client.post(_step_url(desk, waiting, step)).status_code == 404
    actions.open_counter(other_desk, actor=officer)
    called = actions.call_next(other_desk, actor=officer)
    assert called is not None
    actions.open_counter(desk, actor=officer)
    for step in STEPS:
        assert (
            officer_client.post(_step_url(desk, called, step), {"group": str(line_a.pk)}).status_code == 404
        )
    called.refresh_from_db()
    assert (called.status, called.counter) == (Ticket.Status.CALLED, other_desk)


def test_a_step_that_cannot_be_done_comes_back_with_the_reason(
    officer_client: Client, officer: User, front_officer: User, mall: tuple
) -> None:
    _made, line_a, _line_b, desk = mall
    _issue(line_a)
    _issue(line_a)
    client = officer_client

    # Calling before opening the counter.
    response = client.post(_url(desk, "counter-call"))
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert _says(response, "Open the counter first.")

    client.post(_url(desk, "counter-open"))
    client.post(_url(desk, "counter-call"))
    current = actions.current_ticket(desk)
    assert current is not None

    # Calling while a ticket is current.
    response = client.post(_url(desk, "counter-call"))
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert _says(response, "Finish the current ticket, or mark it as not come, before calling the next.")
    assert Ticket.objects.filter(status=Ticket.Status.CALLED).count() == 1

    # Closing with a ticket current.
    response = client.post(_url(desk, "counter-close"))
    assert response.status_code == 400
    assert _says(response, "Finish or release the current ticket first.")

    # A step of a ticket that moved on; an application reference too long; no line chosen.
    client.post(_step_url(desk, current, "mulai"))
    response = client.post(_step_url(desk, current, "panggil-ulang"))
    assert response.status_code == 400
    assert _says(response, "This ticket has already moved on. Reload the page.")
    response = client.post(_step_url(desk, current, "selesai"), {"application_reference": "X" * 40})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    response = client.post(_step_url(desk, current, "pindah"), {"group": "999999"})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    current.refresh_from_db()
    assert current.status == Ticket.Status.SERVING

    # Another officer of the agency sees who has the counter open and cannot take it.
    colleague = verified_client(front_officer)
    page = colleague.get(_console_url(desk))
    assert page.status_code == 200
    assert page.context["mine"] is False
    assert "call-next" not in page.content.decode()
    response = colleague.post(_url(desk, "counter-open"))
    assert response.status_code == 400
    assert _says(response, "Another officer has this counter open.")
