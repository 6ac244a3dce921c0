"""The manager's analytics: the figures per line, counter and hour of arrival (known timestamps,
known averages, no-show rates and busiest hours), the days filter, a constant number of queries,
who may read them, the page with its chart and tables, the CSV, and bad parameters (400)."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import staff_with_role
from layanan.core.testing import verified_client
from layanan.queueing import actions, analytics
from layanan.queueing.models import Counter, ServiceGroup, Site, Ticket
from layanan.queueing.tests.factories import at, counter, group, site

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 23)  # a Monday
ONE_DAY = datetime.timedelta(days=1)

Mall = tuple[Site, ServiceGroup, ServiceGroup, Counter, Counter]


@pytest.fixture
def mall(unit_a: ServiceUnit) -> Mall:
    made = site(unit_a)
    line_a = group(made, "A", unit=unit_a)
    line_b = group(made, "B", unit=unit_a)
    return made, line_a, line_b, counter(made, 1, line_a, line_b), counter(made, 2, line_a)


def _ticket(
    line: ServiceGroup,
    arrived: tuple[int, int],
    *,
    day: datetime.date = DAY,
    status: str = Ticket.Status.WAITING,
    called: tuple[int, int] | None = None,
    started: tuple[int, int] | None = None,
    finished: tuple[int, int] | None = None,
    desk: Counter | None = None,
    **fields: Any,
) -> Ticket:
    """A ticket issued at ``arrived`` (local time on ``day``) with the other times set directly."""
    ticket = actions.issue_ticket(line, channel=Ticket.Channel.KIOSK, now=at(*arrived, day=day))

    def when(moment: tuple[int, int] | None) -> datetime.datetime | None:
        return None if moment is None else at(*moment, day=day)

    Ticket.objects.filter(pk=ticket.pk).update(
        status=status,
        called_at=when(called),
        call_count=1 if called else 0,
        started_at=when(started),
        finished_at=when(finished),
        counter=desk,
        **fields,
    )
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def day_of_work(mall: Mall, officer: User, unit_b: ServiceUnit) -> Mall:
    """Six visitors on ``DAY``; one of them sent on to line B (a second ticket, not taken again).

    ====  ====  =======  ======  =======  ========  ========  =======
    code  line  arrived  called  started  finished  status    counter
    ====  ====  =======  ======  =======  ========  ========  =======
    A-1   A     08:10    08:20   08:22    08:30     done      1
    A-2   A     08:40    09:00   –        09:06     done      2
    A-3   A     09:05    09:35   –        09:36     no-show   1
    B-1   B     09:15    –       –        –         waiting   –
    B-2   B     09:30    09:34   09:35    09:47     done      1
    A-4   A     10:00    10:05   –        10:05     transfer  1
    B-3   B     (10:00)  10:15   10:15    10:25     done      1
    ====  ====  =======  ======  =======  ========  ========  =======
    """
    made, line_a, line_b, desk_1, desk_2 = mall
    done, no_show = Ticket.Status.DONE, Ticket.Status.NO_SHOW
    _ticket(line_a, (8, 10), status=done, called=(8, 20), started=(8, 22), finished=(8, 30), desk=desk_1)
    Ticket.objects.filter(number=1, group=line_a).update(officer=officer)
    _ticket(line_a, (8, 40), status=done, called=(9, 0), finished=(9, 6), desk=desk_2)
    _ticket(line_a, (9, 5), status=no_show, called=(9, 35), finished=(9, 36), desk=desk_1)
    _ticket(line_b, (9, 15))
    _ticket(line_b, (9, 30), status=done, called=(9, 34), started=(9, 35), finished=(9, 47), desk=desk_1)
    sent = _ticket(
        line_a, (10, 0), status=Ticket.Status.TRANSFERRED, called=(10, 5), finished=(10, 5), desk=desk_1
    )
    _ticket(
        line_b,
        (10, 7),
        status=done,
        called=(10, 15),
        started=(10, 15),
        finished=(10, 25),
        desk=desk_1,
        channel=Ticket.Channel.TRANSFER,
        transferred_from=sent,
        arrived_at=sent.arrived_at,
    )
    # Outside the days read, and another service mall on the same day: never counted.
    _ticket(line_a, (8, 0), day=DAY - ONE_DAY, status=done, called=(8, 30), finished=(8, 40), desk=desk_2)
    _ticket(line_a, (14, 0), day=DAY + ONE_DAY, status=no_show, called=(14, 5), finished=(14, 6), desk=desk_2)
    other = site(unit_b, slug="mpp-lain", name="MPP Lain")
    other_line = group(other, "A", unit=unit_b)
    _ticket(
        other_line, (8, 0), status=done, called=(9, 0), finished=(9, 30), desk=counter(other, 1, other_line)
    )
    return mall


def _figures(
    taken: int, called: int, served: int, no_show: int, wait: float | None, service: float | None
) -> analytics.Figures:
    return analytics.Figures(taken, called, served, no_show, wait, service)


def _close(actual: analytics.Figures, expected: analytics.Figures) -> None:
    assert (actual.taken, actual.called, actual.served, actual.no_show) == (
        expected.taken,
        expected.called,
        expected.served,
        expected.no_show,
    )
    for name in ("avg_wait", "avg_service"):
        got, want = getattr(actual, name), getattr(expected, name)
        assert (got is None) == (want is None), name
        if want is not None:
            assert got == pytest.approx(want), name


# The figures --------------------------------------------------------------------------------------


def test_the_figures_per_line_counter_and_hour(day_of_work: Mall) -> None:
    made, line_a, line_b, *_desks = day_of_work
    report = analytics.report(made, DAY, DAY)

    _close(report.total, _figures(6, 6, 4, 1, 84 / 6, 9.0))
    assert report.total.no_show_rate == pytest.approx(0.2)

    assert [row.group for row in report.lines] == [line_a, line_b]
    line_a_row, line_b_row = report.lines
    _close(line_a_row.figures, _figures(4, 4, 2, 1, 16.25, 7.0))
    assert line_a_row.figures.no_show_rate == pytest.approx(1 / 3)
    _close(line_b_row.figures, _figures(2, 2, 2, 0, 9.5, 11.0))
    assert line_b_row.figures.no_show_rate == 0.0

    assert [row.number for row in report.counters] == [1, 2]
    _close(report.counters[0].figures, _figures(0, 5, 3, 1, 12.8, 10.0))
    assert report.counters[0].figures.no_show_rate == pytest.approx(0.25)
    _close(report.counters[1].figures, _figures(0, 1, 1, 0, 20.0, 6.0))

    # Hours of arrival in local time (08:10 in Jakarta is 01:10 UTC).
    assert [row.hour for row in report.hours] == [8, 9, 10]
    eight, nine, ten = (row.figures for row in report.hours)
    _close(eight, _figures(2, 2, 2, 0, 15.0, 7.0))
    _close(nine, _figures(3, 2, 1, 1, 17.0, 12.0))
    assert nine.no_show_rate == pytest.approx(0.5)
    _close(ten, _figures(1, 2, 1, 0, 10.0, 10.0))
    assert [row.hour for row in report.busiest_hours] == [9, 8, 10]


def test_empty_hours_between_busy_ones_are_listed_and_rates_need_an_ended_visit(mall: Mall) -> None:
    made, line_a, line_b, *_desks = mall
    _ticket(line_a, (8, 0))
    _ticket(line_a, (11, 30))
    _ticket(line_a, (11, 45))
    report = analytics.report(made, DAY, DAY)
    assert [(row.hour, row.figures.taken) for row in report.hours] == [(8, 1), (9, 0), (10, 0), (11, 2)]
    assert [row.hour for row in report.busiest_hours] == [11, 8]
    assert report.total.no_show_rate is None
    assert report.total.avg_wait is None
    assert report.total.avg_service is None
    assert report.counters == []
    assert report.lines[1].group == line_b
    assert report.lines[1].figures == analytics.EMPTY


def test_an_empty_range_has_no_hours(mall: Mall) -> None:
    report = analytics.report(mall[0], DAY, DAY)
    assert report.hours == []
    assert report.busiest_hours == []
    assert report.total == analytics.EMPTY
    assert [row.figures for row in report.lines] == [analytics.EMPTY, analytics.EMPTY]


def test_the_days_are_inclusive(day_of_work: Mall) -> None:
    made = day_of_work[0]
    assert analytics.report(made, DAY - ONE_DAY, DAY - ONE_DAY).total.taken == 1
    assert analytics.report(made, DAY + ONE_DAY, DAY + ONE_DAY).total.taken == 1
    wide = analytics.report(made, DAY - ONE_DAY, DAY + ONE_DAY)
    _close(wide.total, _figures(8, 8, 5, 2, (84 + 30 + 5) / 8, (36 + 10) / 5))
    assert [row.hour for row in wide.hours] == [8, 9, 10, 11, 12, 13, 14]
    assert analytics.report(made, DAY + 2 * ONE_DAY, DAY + 9 * ONE_DAY).total == analytics.EMPTY


def test_five_queries_however_many_days_and_tickets(
    day_of_work: Mall, django_assert_num_queries: Any
) -> None:
    made, line_a, line_b, desk_1, _desk_2 = day_of_work
    with django_assert_num_queries(5):
        analytics.report(made, DAY, DAY)
    for offset in range(2, 30):
        for line in (line_a, line_b):
            _ticket(
                line,
                (8 + offset % 8, offset),
                day=DAY - offset * ONE_DAY,
                status=Ticket.Status.DONE,
                called=(16, 0),
                finished=(16, 30),
                desk=desk_1,
            )
    with django_assert_num_queries(5):
        report = analytics.report(made, DAY - 40 * ONE_DAY, DAY + ONE_DAY)
    assert report.total.taken == 6 + 2 + 56


def test_the_default_range_is_the_last_thirty_days() -> None:
    assert analytics.default_range(DAY) == (DAY - 29 * ONE_DAY, DAY)


# Who may read them ----------------------------------------------------------------------------------


def _url(made: Site, name: str = "analytics", **query: str) -> str:
    url = reverse(f"queueing:{name}", args=[made.slug])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def test_anonymous_visitors_go_to_the_staff_sign_in(client: Client, mall: Mall) -> None:
    for name in ("analytics", "analytics-csv"):
        response = client.get(_url(mall[0], name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:staff-signin"))


def test_citizens_and_staff_outside_the_operating_unit_are_refused(
    citizen_client: Client,
    officer_client: Client,
    other_agency_officer_client: Client,
    unit_b: ServiceUnit,
    coordinator: User,
    mall: Mall,
) -> None:
    clients = [
        citizen_client,
        officer_client,  # back office of the operating unit: works counters, not the analytics
        other_agency_officer_client,
        verified_client(staff_with_role(Role.UNIT_HEAD, unit=unit_b)),
        verified_client(coordinator),
    ]
    for client in clients:
        for name in ("analytics", "analytics-csv"):
            assert client.get(_url(mall[0], name)).status_code == 403


def test_the_operating_units_head_and_front_office_and_admins_read_them(
    unit_head: User, front_officer: User, admin_user: User, mall: Mall
) -> None:
    for user in (unit_head, front_officer, admin_user):
        client = verified_client(user)
        for name in ("analytics", "analytics-csv"):
            assert client.get(_url(mall[0], name)).status_code == 200


def test_an_unknown_site_is_not_found(admin_user: User, mall: Mall) -> None:
    client = verified_client(admin_user)
    assert client.get(reverse("queueing:analytics", args=["tidak-ada"])).status_code == 404
    assert client.get(reverse("queueing:analytics-csv", args=["tidak-ada"])).status_code == 404


def test_a_closed_site_keeps_its_history(unit_head: User, day_of_work: Mall) -> None:
    made = day_of_work[0]
    Site.objects.filter(pk=made.pk).update(is_active=False)
    response = verified_client(unit_head).get(_url(made, dari=DAY.isoformat(), sampai=DAY.isoformat()))
    assert response.status_code == 200
    assert response.context["report"].total.taken == 6


# The page ------------------------------------------------------------------------------------------


def _says(response: Any, text: str) -> bool:
    with override("id"):
        return gettext(text) in response.content.decode()


def test_the_page_shows_the_tables_and_the_chart(unit_head: User, day_of_work: Mall) -> None:
    made = day_of_work[0]
    response = verified_client(unit_head).get(_url(made, dari=DAY.isoformat(), sampai=DAY.isoformat()))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    for element in ('id="hours-table"', 'id="lines-table"', 'id="counters-table"', 'id="hours-chart"'):
        assert element in html
    assert '<svg role="img" aria-labelledby="hours-chart-title"' in html
    assert 'id="hours-chart-title"' in html
    assert "style=" not in html
    assert "<script>" not in html
    # One bar per hour, the busiest one the longest; the numbers also in the table (Indonesian decimals).
    assert response.context["bars"] == [
        {"hour": 8, "taken": 2, "y": 0, "width": 200},
        {"hour": 9, "taken": 3, "y": 28, "width": 300},
        {"hour": 10, "taken": 1, "y": 56, "width": 100},
    ]
    assert "16,3" in html  # line A's average wait, 16.25 minutes
    assert "33,3%" in html  # line A's no-show rate
    assert 'id="busiest-hours">09:00 (3), 08:00 (2), 10:00 (1)<' in html
    csv_url = _url(made, "analytics-csv", dari=DAY.isoformat(), sampai=DAY.isoformat())
    assert f'href="{csv_url}"' in html.replace("&amp;", "&")
    assert 'value="2026-11-23"' in html
    assert _says(response, "Tickets taken per hour of arrival")


def test_the_page_in_english_uses_dot_decimals(unit_head: User, day_of_work: Mall) -> None:
    client = verified_client(unit_head)
    client.cookies["layanan_language"] = "en"
    response = client.get(_url(day_of_work[0], dari=DAY.isoformat(), sampai=DAY.isoformat()))
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "16.3" in html
    assert "Tickets taken per hour of arrival" in html


def test_without_dates_the_page_reads_the_last_thirty_days(unit_head: User, mall: Mall) -> None:
    made, line_a, *_rest = mall
    today = timezone.localdate()
    actions.issue_ticket(line_a, channel=Ticket.Channel.KIOSK)
    response = verified_client(unit_head).get(_url(made))
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.start, report.end) == (today - 29 * ONE_DAY, today)
    assert report.total.taken == 1
    # Only one day given: the other takes its default.
    response = verified_client(unit_head).get(_url(made, sampai=DAY.isoformat()))
    assert (response.context["report"].start, response.context["report"].end) == (DAY - 29 * ONE_DAY, DAY)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"dari": "kemarin", "sampai": "2026-11-23"}, "dari", "Enter the first day as a date."),
        ({"dari": "2026-11-23", "sampai": "2026-13-01"}, "sampai", "Enter the last day as a date."),
        ({"dari": "2026-11-24", "sampai": "2026-11-23"}, "sampai", "The last day is before the first day."),
        ({"dari": "2025-11-22", "sampai": "2026-11-23"}, "sampai", "Choose at most %(days)s days."),
    ],
)
def test_bad_days_come_back_with_the_error_and_status_400(
    unit_head: User, mall: Mall, query: dict[str, str], field: str, message: str
) -> None:
    client = verified_client(unit_head)
    response = client.get(_url(mall[0], **query))
    assert response.status_code == 400
    assert response.context["report"] is None
    assert list(response.context["form"].errors) == [field]
    html = response.content.decode()
    with override("id"):
        assert gettext(message).replace("%(days)s", "366") in html
    assert 'class="error-summary"' in html
    for value in query.values():
        assert f'value="{value}"' in html  # what was typed stays in the form
    csv_response = client.get(_url(mall[0], "analytics-csv", **query))
    assert csv_response.status_code == 400
    assert not csv_response.get("Content-Disposition")


def test_a_year_of_366_days_is_allowed(unit_head: User, mall: Mall) -> None:
    response = verified_client(unit_head).get(_url(mall[0], dari="2023-11-24", sampai="2024-11-23"))
    assert response.status_code == 200
    assert response.context["report"].days == 366


def test_a_post_is_not_allowed(unit_head: User, mall: Mall) -> None:
    assert verified_client(unit_head).post(_url(mall[0])).status_code == 405


# The CSV -------------------------------------------------------------------------------------------


def test_the_csv_holds_the_same_figures_and_nobodys_name(
    unit_head: User, officer: User, day_of_work: Mall
) -> None:
    made = day_of_work[0]
    response = verified_client(unit_head).get(
        _url(made, "analytics-csv", dari=DAY.isoformat(), sampai=DAY.isoformat())
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="antrean-mpp-test-2026-11-23-2026-11-23.csv"'
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "kind",
        "key",
        "name",
        "taken",
        "called",
        "served",
        "no_show",
        "no_show_rate",
        "avg_wait_minutes",
        "avg_service_minutes",
    ]
    assert rows[1:] == [
        ["line", "A", "Layanan A", "4", "4", "2", "1", "0.3333", "16.25", "7.00"],
        ["line", "B", "Layanan B", "2", "2", "2", "0", "0.0000", "9.50", "11.00"],
        ["counter", "1", "", "", "5", "3", "1", "0.2500", "12.80", "10.00"],
        ["counter", "2", "", "", "1", "1", "0", "0.0000", "20.00", "6.00"],
        ["hour", "8", "08:00", "2", "2", "2", "0", "0.0000", "15.00", "7.00"],
        ["hour", "9", "09:00", "3", "2", "1", "1", "0.5000", "17.00", "12.00"],
        ["hour", "10", "10:00", "1", "2", "1", "0", "0.0000", "10.00", "10.00"],
    ]
    assert officer.username not in text
    assert (officer.full_name or officer.username) not in text


def test_the_csv_leaves_empty_figures_blank_and_defuses_formulas(unit_head: User, mall: Mall) -> None:
    made, line_a, *_rest = mall
    ServiceGroup.objects.filter(pk=line_a.pk).update(name="=HYPERLINK(1)")
    _ticket(line_a, (8, 0))
    response = verified_client(unit_head).get(
        _url(made, "analytics-csv", dari=DAY.isoformat(), sampai=DAY.isoformat())
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["line", "A", "'=HYPERLINK(1)", "1", "0", "0", "0", "", "", ""]
    assert rows[-1] == ["hour", "8", "08:00", "1", "0", "0", "0", "", "", ""]
