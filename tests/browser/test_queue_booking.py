"""Online booking and check-in in a real browser, in both languages, with axe-core after every
page load: a citizen books a place for tomorrow (the free times, the booking page with its code
and QR code), and the next morning the kiosk checks the booking in: the ticket's print view; the
ticket is called at its slot time before a walk-in who arrived earlier."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from layanan.accounts.models import ServiceUnit, User
from layanan.queueing import actions
from layanan.queueing.models import Booking, Ticket
from layanan.queueing.tests.factories import at, counter, group, site

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]
MONDAY = datetime.date(2026, 11, 23)
TUESDAY = datetime.date(2026, 11, 24)


def _click(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_book_a_place_and_check_in_at_the_kiosk(
    page: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    citizen: User,
    officer: User,
    unit_a: ServiceUnit,
    language: str,
) -> None:
    mall = site(unit_a)
    line = group(mall, "A", unit=unit_a)
    line.booking_quota = 3
    line.save()
    desk = counter(mall, 1, line)
    set_language(page, language)

    with time_machine.travel(at(10, day=MONDAY), tick=True):
        login_as(page, citizen)
        page.goto(reverse("queueing:book", kwargs={"site_slug": mall.slug}))
        axe(page)
        _click(page, "#show-times")
        axe(page)
        page.select_option("#id_hari", TUESDAY.isoformat())
        _click(page, "#show-times")
        axe(page)
        page.check("input[name=jam][value='09:00']")
        _click(page, "#book-slot")
        axe(page)
        booking = Booking.objects.get()
        assert (booking.day, booking.starts_at) == (TUESDAY, datetime.time(9))
        code = page.locator("#booking-code").inner_text().strip()
        assert page.locator(".survey-qr svg").count() == 1
        page.goto(reverse("queueing:my-bookings"))
        axe(page)

    with time_machine.travel(at(8, 40, day=TUESDAY), tick=True):
        walk_in = actions.issue_ticket(line, channel=Ticket.Channel.KIOSK)
        page.context.clear_cookies()
        set_language(page, language)
        page.goto(reverse("queueing:kiosk", kwargs={"site_slug": mall.slug}))
        axe(page)
        _click(page, f"main a[href='{reverse('queueing:check-in', kwargs={'site_slug': mall.slug})}']")
        axe(page)
        page.fill("#id_code", "wrong-code")
        _click(page, "#check-in")
        axe(page)
        assert page.locator(".error-summary").count() == 1
        page.fill("#id_code", code.lower())
        _click(page, "#check-in")
        axe(page)
        assert page.locator("#ticket-code").inner_text().strip() == "A-002"
        booked = Ticket.objects.get(booking=booking)
        assert booked.booked_for is not None

    with time_machine.travel(at(9, 1, day=TUESDAY), tick=True):
        actions.open_counter(desk, actor=officer)
        called = actions.call_next(desk, actor=officer)
        assert called is not None
        assert called.pk == booked.pk  # at its slot time, before the walk-in who came at 8.40
        assert walk_in.number == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_greeter_gives_a_priority_ticket(
    page: Any, axe: Axe, set_language: Any, login_as: Any, unit_a: ServiceUnit, language: str
) -> None:
    from layanan.accounts.roles import Role
    from layanan.accounts.tests.factories import staff_with_role

    mall = site(unit_a)
    line = group(mall, "A", unit=unit_a)
    set_language(page, language)
    login_as(page, staff_with_role(Role.FRONT_OFFICE, unit=unit_a))
    page.goto(reverse("queueing:counters"))
    axe(page)
    _click(page, f"main a[href='{reverse('queueing:greeter', kwargs={'site_slug': mall.slug})}']")
    axe(page)
    page.check(f"input[name=group][value='{line.pk}']")
    page.check("input[name=need][value='elderly']")
    _click(page, "main form[method=post] button[type=submit]")
    axe(page)
    assert page.locator("#ticket-code").inner_text().strip() == "A-001"
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.need) == (Ticket.Channel.GREETER, "elderly")
