"""The digital queue (*antrean*) in a real browser, in both languages, with axe-core after every
page load:

* at the kiosk a visitor chooses a line, takes a ticket, sees its print view and hands the kiosk
  to the next person; on the phone the ticket's page shows how many people are ahead;
* at the counter an officer opens the counter and calls the visitors in turn: two regular
  tickets, then the waiting priority ticket on the third call; the visit ends with a survey code;
  one visitor is sent to another line, another is called again and marked as not come;
* the hall's display board shows a call made at a counter within two seconds, without reloading,
  and announces it aloud;
* the site list and a site's status page show how many people wait in each line.

Selectors use ids, names and form actions, not texts: the pages read the same in both languages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils.translation import ngettext, override
from playwright.sync_api import expect

from layanan.accounts.models import ServiceUnit, User
from layanan.queueing import actions
from layanan.queueing.models import Need, ServiceGroup, Site, Ticket
from layanan.queueing.tests.factories import counter, group, site

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]


def _click(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def _mall(unit: ServiceUnit) -> tuple[Site, ServiceGroup, ServiceGroup]:
    made = site(unit)
    return made, group(made, "A", unit=unit), group(made, "B", unit=unit)


def _issue(line: ServiceGroup, need: str = "") -> Ticket:
    return actions.issue_ticket(line, channel=Ticket.Channel.KIOSK, need=need)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_ticket_at_the_kiosk_and_on_the_phone(
    page: Any, axe: Axe, set_language: Any, unit_a: ServiceUnit, language: str
) -> None:
    made, line_a, _line_b = _mall(unit_a)
    kiosk_url = reverse("queueing:kiosk", args=[made.slug])
    set_language(page, language)

    page.goto(kiosk_url)
    axe(page)
    assert page.locator("html").get_attribute("lang") == language
    page.check(f"input[name=group][value='{line_a.pk}']")
    page.check("input[name=need][value='']")
    _click(page, f"main form[action='{kiosk_url}'] button[type=submit]")
    axe(page)
    ticket = Ticket.objects.get()
    assert (ticket.code, ticket.channel, ticket.need) == ("A-001", Ticket.Channel.KIOSK, "")
    assert page.url.endswith(reverse("queueing:ticket", kwargs={"public_id": ticket.public_id}) + "?cetak=1")
    assert page.locator("#ticket-code").inner_text().strip() == "A-001"

    # "Next person": the kiosk is ready for the next visitor.
    _click(page, f"main a.button[href='{kiosk_url}']")
    axe(page)
    assert page.url.endswith(kiosk_url)
    assert page.locator("main form .error-summary").count() == 0

    # On the phone: the ticket's page says how many people are ahead.
    take_url = reverse("queueing:take", args=[made.slug])
    page.goto(take_url)
    axe(page)
    page.check(f"input[name=group][value='{line_a.pk}']")
    page.check(f"input[name=need][value='{Need.PREGNANT}']")
    _click(page, f"main form[action='{take_url}'] button[type=submit]")
    axe(page)
    phone = Ticket.objects.get(channel=Ticket.Channel.PHONE)
    assert (phone.code, phone.need) == ("A-002", Need.PREGNANT)
    assert page.url.endswith(reverse("queueing:ticket", kwargs={"public_id": phone.public_id}))
    assert page.locator("#ticket-code").inner_text().strip() == "A-002"
    with override(language):
        ahead = ngettext("%(ahead)s person is ahead of you.", "%(ahead)s people are ahead of you.", 1) % {
            "ahead": 1
        }
    assert ahead in page.locator("#ticket-status").inner_text()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_counter_calls_in_turn_with_a_priority_ticket_every_third_call(
    page: Any, axe: Axe, set_language: Any, login_as: Any, unit_a: ServiceUnit, officer: User, language: str
) -> None:
    made, line_a, line_b = _mall(unit_a)
    desk = counter(made, 1, line_a)
    counter(made, 2, line_b)
    _issue(line_a)
    _issue(line_a)
    elderly = _issue(line_a, Need.ELDERLY)
    _issue(line_a)
    set_language(page, language)
    login_as(page, officer)

    page.goto(reverse("queueing:counters"))
    axe(page)
    console_url = reverse("queueing:counter", args=[made.slug, desk.number])
    _click(page, f"main a[href='{console_url}']")
    axe(page)
    _click(page, "main form[action$='/buka/'] button[type=submit]")
    axe(page)

    def call(expected: str) -> None:
        _click(page, "#call-next")
        axe(page)
        assert page.locator("#current-code").inner_text().strip() == expected

    def finish() -> None:
        _click(page, "#finish-service")
        axe(page)
        assert page.locator("#current-code").count() == 0
        assert len(page.locator("#survey-code").inner_text().strip().replace("-", "")) == 8

    call("A-001")
    finish()
    call("A-002")
    page.fill("#id_application_reference", "KTP-2026-000001-1")
    finish()
    # The third call goes to the priority ticket that waits (regular calls alone would be A-004).
    call("A-003")
    assert Ticket.objects.get(pk=elderly.pk).status == Ticket.Status.CALLED

    # Sent to another line: it keeps its place by arrival time there.
    page.select_option("#id_group", str(line_b.pk))
    _click(page, "#transfer")
    axe(page)
    assert page.locator("#current-code").count() == 0
    moved = Ticket.objects.get(transferred_from=elderly)
    assert (moved.code, moved.need, moved.status) == ("B-001", Need.ELDERLY, Ticket.Status.WAITING)

    # Called again, then marked as not come.
    call("A-004")
    _click(page, "#recall")
    axe(page)
    assert page.locator("#current-code").inner_text().strip() == "A-004"
    assert Ticket.objects.get(number=4, group=line_a).call_count == 2
    _click(page, "#no-show")
    axe(page)
    assert Ticket.objects.get(number=4, group=line_a).status == Ticket.Status.NO_SHOW

    statuses = dict(Ticket.objects.filter(group=line_a).values_list("number", "status"))
    assert statuses == {
        1: Ticket.Status.DONE,
        2: Ticket.Status.DONE,
        3: Ticket.Status.TRANSFERRED,
        4: Ticket.Status.NO_SHOW,
    }
    assert Ticket.objects.get(number=2, group=line_a).application_reference == "KTP-2026-000001-1"
    assert list(
        Ticket.objects.filter(group=line_a).order_by("called_at").values_list("number", flat=True)
    ) == [
        1,
        2,
        3,
        4,
    ]

    _click(page, "main form[action$='/tutup/'] button[type=submit]")
    axe(page)
    assert page.locator("main form[action$='/buka/']").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_display_board_shows_a_call_within_two_seconds(
    page: Any, axe: Axe, set_language: Any, unit_a: ServiceUnit, officer: User, language: str
) -> None:
    made, line_a, _line_b = _mall(unit_a)
    desk = counter(made, 3, line_a)
    first = _issue(line_a)
    _issue(line_a)
    actions.open_counter(desk, actor=officer)
    # What the board says aloud, instead of the speakers.
    page.add_init_script(
        "window.spoken = []; if ('speechSynthesis' in window) {"
        " window.speechSynthesis.speak = (utterance) => window.spoken.push(utterance.text); }"
    )
    set_language(page, language)

    page.goto(reverse("queueing:display", args=[made.slug]))
    axe(page)
    assert page.locator("#queue-calls .queue-code").count() == 0
    expect(page.locator("#queue-next")).to_contain_text("A-001")

    called = actions.call_next(desk, actor=officer)
    assert called is not None
    assert called.pk == first.pk
    expect(page.locator("#queue-calls")).to_contain_text("A-001", timeout=2000)
    expect(page.locator("#queue-next")).not_to_contain_text("A-001")
    assert page.locator("#queue-calls .queue-code").first.inner_text().strip() == "A-001"
    axe(page)
    assert page.evaluate("() => window.spoken.length") == 1
    assert "A 0 0 1" in page.evaluate("() => window.spoken[0]")

    # Called again: announced again.
    actions.recall(called, actor=officer)
    page.wait_for_function("() => window.spoken.length === 2", timeout=2000)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_site_list_and_the_status_page(
    page: Any, axe: Axe, set_language: Any, unit_a: ServiceUnit, language: str
) -> None:
    made, line_a, line_b = _mall(unit_a)
    for _number in range(3):
        _issue(line_a)
    _issue(line_b)
    set_language(page, language)

    page.goto(reverse("queueing:sites"))
    axe(page)
    status_url = reverse("queueing:status", args=[made.slug])
    _click(page, f"main a[href='{status_url}']")
    axe(page)
    assert page.locator("html").get_attribute("lang") == language
    rows = page.locator("#lines tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").nth(0).inner_text().strip() == "3"
    assert rows.nth(1).locator("td").nth(0).inner_text().strip() == "1"
    assert page.locator(f"main a[href='{reverse('queueing:take', args=[made.slug])}']").count() == 1
