"""Concurrency: 64 people taking a ticket for one line at the same moment get 64 distinct,
consecutive numbers, and two counters calling at the same moment never call the same ticket.
Runs on the test database of the run: SQLite locally (writers one at a time with BEGIN
IMMEDIATE), PostgreSQL in CI (row lock on the day's sequence, SKIP LOCKED for calls)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import staff_with_role
from layanan.queueing import actions
from layanan.queueing.models import Ticket, TicketSequence
from layanan.queueing.tests.factories import counter, group, site

pytestmark = pytest.mark.django_db(transaction=True)


def _run_together(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcome = work(index)
            with lock:
                results.append(outcome)
        except BaseException as error:  # noqa: BLE001 - asserted by the caller
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_64_concurrent_tickets_get_64_distinct_consecutive_numbers(unit_a: ServiceUnit) -> None:
    line = group(site(unit_a), "A", unit=unit_a)

    results, errors = _run_together(
        64, lambda _index: actions.issue_ticket(line, channel=Ticket.Channel.KIOSK).number
    )

    assert errors == []
    assert sorted(results) == list(range(1, 65))
    assert TicketSequence.objects.get(group=line).last_number == 64
    assert Ticket.objects.filter(group=line).count() == 64


def test_two_counters_calling_at_once_never_call_the_same_ticket(unit_a: ServiceUnit, officer: User) -> None:
    mall = site(unit_a)
    line = group(mall, "A", unit=unit_a)
    desks = [counter(mall, 1, line), counter(mall, 2, line)]
    officers = [officer, staff_with_role(Role.FRONT_OFFICE, unit=unit_a)]
    for desk, person in zip(desks, officers, strict=True):
        actions.open_counter(desk, actor=person)
    for _ in range(20):
        actions.issue_ticket(line, channel=Ticket.Channel.KIOSK)

    called: list[int] = []
    for _round in range(10):

        def call(index: int) -> int | None:
            ticket = actions.call_next(desks[index], actor=officers[index])
            if ticket is not None:
                actions.finish_service(ticket, actor=officers[index])
            return ticket.number if ticket is not None else None

        results, errors = _run_together(2, call)
        assert errors == []
        called.extend(number for number in results if number is not None)

    assert len(called) == len(set(called)) == 20
    assert sorted(called) == list(range(1, 21))
