"""The public pages of the queue through Django's test client: the list of service malls, a
site's status page and its JSON, taking a ticket on the phone (with the per-address limit and
the retry that gets the same ticket back) and at the kiosk, the ticket's page, the display
board's JSON and the opening hours."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.translation import gettext, override

from layanan.accounts.models import ServiceUnit, User
from layanan.queueing import actions, queries
from layanan.queueing.models import Counter, ServiceGroup, Site, Ticket
from layanan.queueing.tests.factories import counter, group, site

pytestmark = pytest.mark.django_db
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
MONDAY_NIGHT = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=JAKARTA)


@pytest.fixture
def mall(unit_a: ServiceUnit) -> tuple[Site, ServiceGroup, ServiceGroup, Counter]:
    made = site(unit_a)
    line_a = group(made, "A", unit=unit_a)
    line_b = group(made, "B", unit=unit_a)
    return made, line_a, line_b, counter(made, 1, line_a, line_b)


def _issue(line: ServiceGroup, need: str = "") -> Ticket:
    return actions.issue_ticket(line, channel=Ticket.Channel.KIOSK, need=need)


def _take(
    client: Client, slug: str, line: ServiceGroup, form_id: str, *, kiosk: bool = False, **extra: Any
) -> Any:
    name = "queueing:kiosk" if kiosk else "queueing:take"
    data = {"group": str(line.pk), "need": "", "form_id": form_id}
    data.update(extra)
    return client.post(reverse(name, args=[slug]), data)


def test_the_list_of_service_malls(client: Client, mall: tuple) -> None:
    made = mall[0]
    response = client.get(reverse("queueing:sites"))
    assert response.status_code == 200
    assert reverse("queueing:status", args=[made.slug]) in response.content.decode()


def test_an_unknown_or_closed_down_site_is_not_found(client: Client, mall: tuple) -> None:
    for name in ("status", "status-json", "take", "kiosk", "display", "display-json"):
        assert client.get(reverse(f"queueing:{name}", args=["mpp-tidak-ada"])).status_code == 404
    Site.objects.filter(pk=mall[0].pk).update(is_active=False)
    assert client.get(reverse("queueing:status", args=[mall[0].slug])).status_code == 404


def test_the_status_page_and_its_json_show_the_lines_now(client: Client, mall: tuple, officer: User) -> None:
    made, line_a, line_b, desk = mall
    for _number in range(3):
        _issue(line_a)
    _issue(line_b)
    actions.open_counter(desk, actor=officer)

    page = client.get(reverse("queueing:status", args=[made.slug]))
    assert page.status_code == 200
    assert [line.waiting for line in page.context["lines"]] == [3, 1]
    assert 'id="lines"' in page.content.decode()

    data = client.get(reverse("queueing:status-json", args=[made.slug])).json()
    expected = queries.lines(made)
    assert data["site"] == made.slug
    assert [
        (line["prefix"], line["waiting"], line["open_counters"], line["wait_minutes"])
        for line in data["lines"]
    ] == [(line.group.prefix, line.waiting, line.open_counters, line.wait) for line in expected]
    assert data["lines"][0] == {
        "prefix": "A",
        "name": line_a.name,
        "waiting": 3,
        "open_counters": 1,
        "wait_minutes": 3 * line_a.usual_service_minutes,
    }


def test_a_ticket_on_the_phone(client: Client, mall: tuple) -> None:
    made, line_a, _line_b, _desk = mall
    page = client.get(reverse("queueing:take", args=[made.slug]))
    assert page.status_code == 200
    assert page.context["form_id"]

    response = _take(client, made.slug, line_a, "telepon-1", need="elderly")
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("queueing:ticket", kwargs={"public_id": ticket.public_id})
    assert (ticket.code, ticket.channel, ticket.need, ticket.idempotency_key) == (
        "A-001",
        Ticket.Channel.PHONE,
        "elderly",
        "telepon-1",
    )


def test_an_invalid_choice_comes_back_with_the_choices_kept(client: Client, mall: tuple) -> None:
    made, line_a, _line_b, _desk = mall
    response = client.post(
        reverse("queueing:take", args=[made.slug]), {"group": "", "need": "pregnant", "form_id": "telepon-2"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert response.context["form"]["need"].value() == "pregnant"
    assert len(response.context["form"]["group"]) == 2  # the lines are offered again
    assert response.context["form_id"] == "telepon-2"
    assert 'value="telepon-2"' in html

    # Sent without the form's id (not by the page): the form comes back with a fresh one.
    response = client.post(reverse("queueing:take", args=[made.slug]), {"group": ""})
    assert response.status_code == 400
    assert len(response.context["form_id"]) >= 20

    response = _take(client, made.slug, line_a, "telepon-3", need="diagnosis")
    assert response.status_code == 400
    assert response.context["form"]["group"].value() == str(line_a.pk)
    assert Ticket.objects.count() == 0


@override_settings(LAYANAN_QUEUE_PHONE_TICKETS_PER_DAY=3)
def test_one_address_takes_at_most_the_days_limit_on_the_phone(client: Client, mall: tuple) -> None:
    made, line_a, _line_b, _desk = mall
    for number in range(3):
        assert _take(client, made.slug, line_a, f"telepon-{number}").status_code == 302
    refused = _take(client, made.slug, line_a, "telepon-9")
    assert refused.status_code == 429
    assert 'class="error-summary"' in refused.content.decode()
    assert Ticket.objects.count() == 3
    # Another address still may; the kiosk has no limit.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert _take(other, made.slug, line_a, "telepon-10").status_code == 302
    for number in range(5):
        response = _take(client, made.slug, line_a, f"kios-{number}", kiosk=True)
        assert response.status_code == 302
    assert Ticket.objects.filter(channel=Ticket.Channel.KIOSK).count() == 5


@override_settings(LAYANAN_QUEUE_PHONE_TICKETS_PER_DAY=3)
def test_the_same_form_sent_twice_gets_the_same_ticket(client: Client, mall: tuple) -> None:
    made, line_a, _line_b, _desk = mall
    first = _take(client, made.slug, line_a, "telepon-sama")
    again = _take(client, made.slug, line_a, "telepon-sama")
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Ticket.objects.count() == 1
    # A retry is not another ticket: it does not use up the phone's allowance either.
    for number in range(2):
        assert _take(client, made.slug, line_a, f"telepon-{number}").status_code == 302
    assert _take(client, made.slug, line_a, "telepon-sama").status_code == 302
    assert _take(client, made.slug, line_a, "telepon-lagi").status_code == 429


def test_a_ticket_at_the_kiosk_goes_to_the_print_view(client: Client, mall: tuple) -> None:
    made, line_a, _line_b, _desk = mall
    page = client.get(reverse("queueing:kiosk", args=[made.slug]))
    assert page.status_code == 200
    assert page.context["kiosk"] is True
    response = _take(client, made.slug, line_a, "kios-1", kiosk=True)
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("queueing:ticket", kwargs={"public_id": ticket.public_id}) + "?cetak=1"
    )
    assert ticket.channel == Ticket.Channel.KIOSK

    printed = client.get(response["Location"])
    assert printed.status_code == 200
    html = printed.content.decode()
    assert '<strong class="reference" id="ticket-code">A-001</strong>' in html
    assert f'href="{reverse("queueing:kiosk", args=[made.slug])}"' in html


def test_the_tickets_page_shows_the_position_and_the_estimate(
    client: Client, mall: tuple, officer: User
) -> None:
    made, line_a, _line_b, desk = mall
    _issue(line_a)
    _issue(line_a)
    mine = _issue(line_a)
    url = reverse("queueing:ticket", kwargs={"public_id": mine.public_id})

    closed = client.get(url)
    assert (closed.context["ahead"], closed.context["wait"]) == (2, None)
    with override("id"):
        assert gettext("No counter for this service is open yet.") in closed.content.decode()

    actions.open_counter(desk, actor=officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["ahead"] == 2
    assert response.context["wait"] == 2 * line_a.usual_service_minutes
    assert 'id="ticket-status"' in response.content.decode()
    assert str(2 * line_a.usual_service_minutes) in response.content.decode()

    # Called: the page sends the person to the counter.
    actions.call_next(desk, actor=officer)
    actions.mark_no_show(Ticket.objects.get(number=1, group=line_a), actor=officer)
    actions.call_next(desk, actor=officer)
    actions.mark_no_show(Ticket.objects.get(number=2, group=line_a), actor=officer)
    actions.call_next(desk, actor=officer)
    called = client.get(url)
    assert (called.context["ahead"], called.context["wait"]) == (0, None)
    assert called.context["ticket"].counter == desk

    unknown = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("queueing:ticket", kwargs={"public_id": unknown})).status_code == 404


def test_the_boards_json_sends_the_calls_only_when_they_changed(
    client: Client, mall: tuple, officer: User
) -> None:
    made, line_a, _line_b, desk = mall
    url = reverse("queueing:display-json", args=[made.slug])
    empty = client.get(url).json()
    assert empty == {"version": "", "changed": True, "calls": [], "next": []}
    assert client.get(url, {"v": ""}).json() == {"version": "", "changed": False}

    first = _issue(line_a)
    _issue(line_a, "elderly")
    actions.open_counter(desk, actor=officer)
    actions.call_next(desk, actor=officer)
    changed = client.get(url, {"v": ""}).json()
    assert changed["changed"] is True
    assert changed["version"] == queries.board_version(made)
    assert changed["calls"] == [{"code": "A-001", "counter": 1, "calls": 1, "priority": False}]
    assert changed["next"] == ["A-002"]
    assert client.get(url, {"v": changed["version"]}).json() == {
        "version": changed["version"],
        "changed": False,
    }

    # Calling again changes the version: the screens show and announce it again.
    actions.recall(first, actor=officer)
    recalled = client.get(url, {"v": changed["version"]}).json()
    assert recalled["changed"] is True
    assert recalled["calls"][0]["calls"] == 2

    board = client.get(reverse("queueing:display", args=[made.slug]))
    assert board.status_code == 200
    assert f'data-version="{recalled["version"]}"' in board.content.decode()


@override_settings(LAYANAN_QUEUE_ENFORCE_HOURS=True)
def test_outside_opening_hours_the_take_page_says_the_mall_is_closed(
    client: Client, mall: tuple, time_machine: Any
) -> None:
    made, line_a, _line_b, _desk = mall
    time_machine.move_to(MONDAY_NIGHT, tick=False)
    for kiosk in (False, True):
        response = _take(client, made.slug, line_a, f"malam-{kiosk}", kiosk=kiosk)
        assert response.status_code == 409
        with override("id"):
            message = gettext("The service mall is closed now. Come back during opening hours.")
        assert message in response.content.decode()
    assert Ticket.objects.count() == 0
