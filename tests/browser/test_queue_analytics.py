"""The MPP manager's queue analytics in a real browser, in both languages, with axe-core after
every page load: the unit head of the operating unit (and a platform administrator) opens the
page, chooses other days, sees the tables and the chart of tickets per hour, downloads the CSV,
and a bad range comes back with the error.

Selectors use ids, names and form actions, not texts: the pages read the same in both languages.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import staff_with_role
from layanan.queueing import actions
from layanan.queueing.models import Ticket
from layanan.queueing.tests.factories import at, counter, group, site

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]


def _click(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def _a_week_ago_with_visitors(unit: ServiceUnit) -> tuple[str, datetime.date]:
    """A mall where, a week ago, three visitors came at 09:00 and one at 10:00; all served."""
    made = site(unit)
    line = group(made, "A", unit=unit)
    desk = counter(made, 1, line)
    day = timezone.localdate() - datetime.timedelta(days=7)
    for hour, minute in ((9, 0), (9, 10), (9, 20), (10, 0)):
        ticket = actions.issue_ticket(line, channel=Ticket.Channel.KIOSK, now=at(hour, minute, day=day))
        Ticket.objects.filter(pk=ticket.pk).update(
            status=Ticket.Status.DONE,
            counter=desk,
            called_at=at(hour, minute + 5, day=day),
            started_at=at(hour, minute + 6, day=day),
            finished_at=at(hour, minute + 15, day=day),
        )
    return made.slug, day


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_manager_reads_the_queue_analytics(
    page: Any, axe: Axe, set_language: Any, login_as: Any, unit_a: ServiceUnit, language: str
) -> None:
    slug, day = _a_week_ago_with_visitors(unit_a)
    manager: User = staff_with_role(Role.UNIT_HEAD, unit=unit_a)
    set_language(page, language)
    login_as(page, manager)

    page.goto(reverse("queueing:analytics", args=[slug]))
    axe(page)
    assert page.locator("html").get_attribute("lang") == language
    # The last 30 days by default: the visitors of a week ago are in.
    assert page.locator("#id_sampai").input_value() == timezone.localdate().isoformat()
    assert page.locator("#summary dd").first.inner_text().strip() == "4"
    assert page.locator("#hours-chart svg[role=img] title").count() == 1
    assert page.locator("#hours-chart rect.survey-bar").count() == 2
    assert page.locator("#hours-table tbody tr").count() == 2
    assert page.locator("#busiest-hours").inner_text().startswith("09:00 (3)")

    # Only yesterday and today: nobody came.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.fill("#id_dari", yesterday.isoformat())
    _click(page, "#range-form button[type=submit]")
    axe(page)
    assert f"dari={yesterday.isoformat()}" in page.url
    assert page.locator("#hours-chart").count() == 0
    assert page.locator("#summary dd").first.inner_text().strip() == "0"

    # The day of the visits: the tables and the chart, then the CSV.
    page.fill("#id_dari", day.isoformat())
    page.fill("#id_sampai", day.isoformat())
    _click(page, "#range-form button[type=submit]")
    axe(page)
    assert page.locator("#lines-table tbody tr").count() == 1
    assert page.locator("#counters-table tbody tr").count() == 1
    assert page.locator("#hours-table tbody tr th").all_inner_texts() == ["09:00", "10:00"]
    assert page.locator("#hours-chart svg").get_attribute("aria-labelledby") == "hours-chart-title"
    href = page.locator("#csv-link").get_attribute("href")
    answer = page.request.get(href)
    assert answer.status == 200
    assert answer.headers["content-disposition"].startswith("attachment")
    assert answer.text().lstrip("\ufeff").splitlines()[1] == "line,A,Layanan A,4,4,4,0,0.0000,5.00,9.00"

    # The last day before the first: the error comes back, with what was typed.
    page.fill("#id_dari", day.isoformat())
    page.fill("#id_sampai", (day - datetime.timedelta(days=3)).isoformat())
    _click(page, "#range-form button[type=submit]")
    axe(page)
    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_sampai").get_attribute("aria-invalid") == "true"
    assert page.locator("#hours-chart").count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_platform_administrator_reads_them_too(
    page: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    unit_a: ServiceUnit,
    admin_user: User,
    language: str,
) -> None:
    slug, _day = _a_week_ago_with_visitors(unit_a)
    set_language(page, language)
    login_as(page, admin_user)
    page.goto(reverse("queueing:analytics", args=[slug]))
    axe(page)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#hours-table tbody tr").count() == 2
    answer = page.request.get(page.locator("#csv-link").get_attribute("href"))
    assert answer.status == 200
