"""The board's version changes with everything the board shows, so the screens redraw."""

from __future__ import annotations

import pytest

from layanan.accounts.models import ServiceUnit, User
from layanan.queueing import actions
from layanan.queueing.models import Ticket
from layanan.queueing.queries import board, board_version
from layanan.queueing.tests.factories import counter, group, site

pytestmark = pytest.mark.django_db


def test_the_version_changes_on_issue_call_recall_and_finish(unit_a: ServiceUnit, officer: User) -> None:
    mall = site(unit_a)
    line = group(mall, "A", unit=unit_a)
    desk = counter(mall, 1, line)
    actions.open_counter(desk, actor=officer)
    seen = [board_version(mall)]
    ticket = actions.issue_ticket(line, channel=Ticket.Channel.KIOSK)
    seen.append(board_version(mall))
    assert board(mall)["next"] == ["A-001"]
    actions.call_next(desk, actor=officer)
    seen.append(board_version(mall))
    actions.recall(ticket, actor=officer)
    seen.append(board_version(mall))
    actions.finish_service(ticket, actor=officer)
    seen.append(board_version(mall))
    assert board(mall)["calls"] == []
    assert len(set(seen)) == len(seen)
    assert board_version(mall) == seen[-1]  # nothing changed: the same version


def test_the_lines_cost_the_same_queries_however_many_lines(
    unit_a: ServiceUnit, django_assert_num_queries: object
) -> None:
    from layanan.queueing.queries import lines

    mall = site(unit_a)
    for prefix in "ABCDE":
        group(mall, prefix, unit=unit_a)
    with django_assert_num_queries(5):  # type: ignore[operator]
        assert len(lines(mall)) == 5
