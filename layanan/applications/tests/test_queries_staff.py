"""Reads of the back office: the queue's filters, flags and keyset pagination, the workload
aggregates, and (on PostgreSQL) that the queue query can use its composite index."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from layanan.accounts.models import ServiceUnit, StaffMembership, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import ServiceUnitFactory
from layanan.applications.models import Application
from layanan.applications.queries_staff import (
    DUE_SOON,
    OVERDUE,
    Cursor,
    QueueFilters,
    after_cursor,
    flags,
    queue_page,
    queue_queryset,
    workload,
)
from layanan.applications.tests.factories import submitted_application
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import service_with_adopted_standard
from layanan.workflow.engine import QueueThresholds
from layanan.workflow.models import NO_DUE_DATE

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="needs PostgreSQL (its query planner)"
)

# "Today" is Wednesday 11 March 2026: overdue before Wednesday, due soon before Friday 13 March.
THRESHOLDS = QueueThresholds(
    overdue_before=datetime.date(2026, 3, 11), due_soon_before=datetime.date(2026, 3, 13)
)
_numbers = itertools.count(500_000)


def queue_rows(template: Application, due_dates: list[datetime.date], **fields: Any) -> list[Application]:
    """Many applications like ``template`` (same service, unit, workflow) with the given due dates,
    inserted in one statement: enough for queue tests without submitting each one."""
    rows = []
    for due in due_dates:
        number = next(_numbers)
        values: dict[str, Any] = {
            "reference": f"QT-2026-{number:06d}-0",
            "service_id": template.service_id,
            "standard_id": template.standard_id,
            "unit_id": template.unit_id,
            "channel": Application.Channel.ONLINE,
            "applicant_id": template.applicant_id,
            "submitted_by_id": template.submitted_by_id,
            "submitted_at": template.submitted_at,
            "answers": "{}",
            "tracking_secret_digest": "0" * 64,
            "state": "completeness_check",
            "state_entered_at": template.submitted_at,
            "is_open": True,
            "due_date": due,
            "workflow_id": template.workflow_id,
        }
        values.update(fields)
        rows.append(Application(**values))
    return Application.objects.bulk_create(rows)


@pytest.fixture
def service(unit_a: ServiceUnit) -> Service:
    return service_with_adopted_standard(unit=unit_a, channel="both")


@pytest.fixture
def template(service: Service, citizen: User) -> Application:
    application = submitted_application(service, citizen)
    Application.objects.filter(pk=application.pk).update(is_open=False, state="completed")
    application.refresh_from_db()
    return application


def _refs(rows: Any) -> list[str]:
    return [row.application.reference if hasattr(row, "application") else row.reference for row in rows]


# --- Cursor ---------------------------------------------------------------------------------------


def test_a_cursor_survives_the_url_and_nonsense_gives_the_first_page() -> None:
    cursor = Cursor(datetime.date(2026, 3, 25), 1234)
    assert cursor.encode() == "2026-03-25_1234"
    assert Cursor.decode(cursor.encode()) == cursor
    for bad in [
        "",
        "2026-03-25",
        "2026-02-30_1",
        "x_1",
        "2026-03-25_-1",
        "2026-03-25_1e3",
        "2026-03-25_" + "9" * 40,
    ]:
        assert Cursor.decode(bad) is None, bad


def test_flags_are_plain_date_comparisons() -> None:
    assert flags(datetime.date(2026, 3, 10), THRESHOLDS) == (True, False)
    assert flags(datetime.date(2026, 3, 11), THRESHOLDS) == (False, True)
    assert flags(datetime.date(2026, 3, 12), THRESHOLDS) == (False, True)
    assert flags(datetime.date(2026, 3, 13), THRESHOLDS) == (False, False)
    assert flags(NO_DUE_DATE, THRESHOLDS) == (False, False)


# --- Filters --------------------------------------------------------------------------------------


def test_the_queue_holds_the_open_cases_of_the_units_by_due_date_then_id(
    template: Application, officer: User
) -> None:
    march = [datetime.date(2026, 3, day) for day in (20, 5, 12, 5, 30)]
    mine = queue_rows(template, march)
    queue_rows(template, [datetime.date(2026, 3, 1)], is_open=False, state="completed")
    elsewhere = ServiceUnitFactory()
    queue_rows(template, [datetime.date(2026, 3, 1)], unit_id=elsewhere.pk)

    found = list(queue_queryset(officer, QueueFilters(unit_ids=(template.unit_id,)), THRESHOLDS))

    expected = sorted(mine, key=lambda a: (a.due_date, a.pk))
    assert [a.pk for a in found] == [a.pk for a in expected]


def test_filters_by_state_deadline_and_assignee(template: Application, officer: User) -> None:
    unit = (template.unit_id,)
    overdue = queue_rows(template, [datetime.date(2026, 3, 9), datetime.date(2026, 3, 10)])
    soon = queue_rows(template, [datetime.date(2026, 3, 11), datetime.date(2026, 3, 12)], state="processing")
    later = queue_rows(template, [datetime.date(2026, 3, 13)], assigned_to_id=officer.pk)
    paused = queue_rows(template, [NO_DUE_DATE], state="returned_for_correction", assigned_to_id=officer.pk)

    def pks(**kwargs: Any) -> set[int]:
        return {a.pk for a in queue_queryset(officer, QueueFilters(unit_ids=unit, **kwargs), THRESHOLDS)}

    assert pks(flag=OVERDUE) == {a.pk for a in overdue}
    assert pks(flag=DUE_SOON) == {a.pk for a in soon}
    assert pks(state="processing") == {a.pk for a in soon}
    assert pks(state="processing", flag=OVERDUE) == set()
    assert pks(mine=True) == {a.pk for a in later + paused}
    assert pks(mine=True, flag=DUE_SOON) == set()
    assert pks(state="completed") == {template.pk}  # a closed state can be looked up on purpose


def test_an_officer_of_two_units_can_narrow_to_one(template: Application, officer: User) -> None:
    second = ServiceUnitFactory(agency=template.unit.agency)
    StaffMembership.objects.create(user=officer, role=Role.BACK_OFFICE, unit=second, agency=second.agency)
    here = queue_rows(template, [datetime.date(2026, 3, 20)])
    there = queue_rows(template, [datetime.date(2026, 3, 21)], unit_id=second.pk)

    both = queue_queryset(officer, QueueFilters(unit_ids=(template.unit_id, second.pk)), THRESHOLDS)
    one = queue_queryset(officer, QueueFilters(unit_ids=(second.pk,)), THRESHOLDS)

    assert [a.pk for a in both] == [here[0].pk, there[0].pk]
    assert [a.pk for a in one] == [there[0].pk]


# --- Keyset pagination ------------------------------------------------------------------------------


def test_keyset_pages_neither_repeat_nor_skip_a_row(template: Application, officer: User) -> None:
    # Many rows share a due date (ties are broken by id), and some have none (sorted last).
    days = [datetime.date(2026, 3, 1 + (i % 7)) for i in range(40)] + [NO_DUE_DATE] * 5
    rows = queue_rows(template, days)
    filters = QueueFilters(unit_ids=(template.unit_id,))

    seen: list[int] = []
    cursor: Cursor | None = None
    pages = 0
    while True:
        page = queue_page(officer, filters, THRESHOLDS, after=cursor, limit=7)
        pages += 1
        seen.extend(row.application.pk for row in page.rows)
        assert len(page.rows) <= 7
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
        assert cursor == Cursor(page.rows[-1].application.due_date, page.rows[-1].application.pk)

    expected = [a.pk for a in sorted(rows, key=lambda a: (a.due_date, a.pk))]
    assert seen == expected
    assert len(set(seen)) == len(seen) == 45
    assert pages == 7  # 45 rows by 7: the last page has 3 and no next cursor


def test_a_full_last_page_has_no_next_cursor(template: Application, officer: User) -> None:
    queue_rows(template, [datetime.date(2026, 3, 20)] * 4)
    page = queue_page(officer, QueueFilters(unit_ids=(template.unit_id,)), THRESHOLDS, limit=4)
    assert len(page.rows) == 4
    assert page.next_cursor is None


def test_the_page_after_a_vanished_row_still_continues_in_order(template: Application, officer: User) -> None:
    rows = sorted(queue_rows(template, [datetime.date(2026, 3, d) for d in (2, 3, 4, 5)]), key=lambda a: a.pk)
    filters = QueueFilters(unit_ids=(template.unit_id,))
    first = queue_page(officer, filters, THRESHOLDS, limit=2)
    # The last row of page one is closed by a colleague before page two is asked for.
    Application.objects.filter(pk=first.rows[-1].application.pk).update(is_open=False)

    second = queue_page(officer, filters, THRESHOLDS, after=first.next_cursor, limit=2)

    assert [r.application.pk for r in second.rows] == [rows[2].pk, rows[3].pk]


def test_rows_carry_flags_and_state_labels_and_no_answers(template: Application, officer: User) -> None:
    queue_rows(template, [datetime.date(2026, 3, 10), datetime.date(2026, 3, 12), NO_DUE_DATE])
    page = queue_page(officer, QueueFilters(unit_ids=(template.unit_id,)), THRESHOLDS)

    assert [(r.overdue, r.due_soon, r.has_due_date) for r in page.rows] == [
        (True, False, True),
        (False, True, True),
        (False, False, False),
    ]
    with translation.override("en"):
        assert {str(r.state_label) for r in page.rows} == {"Completeness check"}
    assert all("answers" in r.application.get_deferred_fields() for r in page.rows)


def test_after_cursor_is_one_row_value_comparison(template: Application) -> None:
    queryset = after_cursor(
        Application.objects.order_by("due_date", "id"), Cursor(datetime.date(2026, 3, 5), 7)
    )
    sql = str(queryset.query)
    assert '("applications_application"."due_date", "applications_application"."id") > (2026-03-05, 7)' in sql
    assert "OFFSET" not in sql.upper()


# --- Workload -------------------------------------------------------------------------------------


def test_workload_counts_per_unit_and_per_officer(
    template: Application, officer: User, front_officer: User, unit_head: User
) -> None:
    unit = template.unit
    queue_rows(template, [datetime.date(2026, 3, 9), datetime.date(2026, 3, 12)], assigned_to_id=officer.pk)
    queue_rows(template, [datetime.date(2026, 3, 20)], assigned_to_id=officer.pk)
    queue_rows(template, [datetime.date(2026, 3, 1), datetime.date(2026, 3, 11)])
    queue_rows(template, [datetime.date(2026, 3, 1)], assigned_to_id=officer.pk, is_open=False)

    result = workload([unit], THRESHOLDS)

    (load,) = result.units
    assert (load.counts.open, load.counts.overdue, load.counts.due_soon) == (5, 2, 2)
    by_user = {o.user.pk if o.user else None: o.counts for o in load.officers}
    assert (by_user[officer.pk].open, by_user[officer.pk].overdue, by_user[officer.pk].due_soon) == (3, 1, 1)
    assert (by_user[None].open, by_user[None].overdue, by_user[None].due_soon) == (2, 1, 1)
    assert by_user[front_officer.pk].open == 0  # officers without cases are listed too
    assert by_user[unit_head.pk].open == 0
    assert load.officers[-1].user is None  # "not assigned" comes last
    assert [r.application.due_date for r in result.overdue] == [
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 9),
    ]


def test_workload_query_count_does_not_grow_with_cases_or_units(
    template: Application, officer: User, django_assert_num_queries: Any
) -> None:
    units: list[ServiceUnit] = [template.unit, ServiceUnitFactory(agency=template.unit.agency)]
    queue_rows(template, [datetime.date(2026, 3, 1)] * 3, assigned_to_id=officer.pk)
    with django_assert_num_queries(6):  # 2 aggregates, officers, users, overdue list, workflows
        workload(units, THRESHOLDS)
    queue_rows(template, [datetime.date(2026, 3, 2)] * 30)
    queue_rows(template, [datetime.date(2026, 3, 2)] * 5, unit_id=units[1].pk)
    with django_assert_num_queries(6):
        workload(units, THRESHOLDS)


# --- PostgreSQL: the composite index serves the queue --------------------------------------------------


def _plan(sql: str, params: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(str(row[0]) for row in cursor.fetchall())


@postgresql_only
@pytest.mark.parametrize(
    ("kwargs", "index"),
    [
        ({}, "app_queue_unit"),
        ({"state": "processing"}, "app_queue_unit_state"),
        ({"mine": True}, "app_queue_"),
    ],
)
def test_the_queue_query_can_walk_its_composite_index(
    kwargs: dict[str, Any], index: str, template: Application, officer: User
) -> None:
    queue_rows(template, [datetime.date(2026, 3, 1 + i % 20) for i in range(200)], assigned_to_id=officer.pk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE applications_application")
    filters = QueueFilters(unit_ids=(template.unit_id,), **kwargs)
    queryset = after_cursor(
        queue_queryset(officer, filters, THRESHOLDS), Cursor(datetime.date(2026, 3, 5), 1)
    ).defer("answers")[:26]
    sql, params = queryset.query.sql_with_params()

    plan = _plan(sql, params)

    assert "Index" in plan, plan
    assert index in plan, plan
    assert "Sort" not in plan, plan  # the index gives the (due_date, id) order: no sort step
