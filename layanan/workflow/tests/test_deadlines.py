"""Deadlines from a case's history: paused clocks, flags, escalation once (pure, no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest

from layanan.workdays.calendar import JAKARTA, WorkCalendar
from layanan.workflow.deadlines import Moment, case_deadlines, escalations_due
from layanan.workflow.defaults import APPLICATION_WORKFLOW, COMPLAINT_WORKFLOW
from layanan.workflow.definition import State, Transition, WorkflowDefinition


class DailyCalendar:
    """A tiny fake: every day is a working day, times do not matter."""

    @staticmethod
    def _day(moment: Moment) -> date:
        return moment.date() if isinstance(moment, datetime) else moment

    def add_working_days(self, start: Moment, n: int) -> date:
        return self._day(start) + timedelta(days=n)

    def working_days_between(self, start: Moment, end: Moment) -> int:
        return (self._day(end) - self._day(start)).days


CAL = DailyCalendar()
# 2026 Lebaran (domain facts §7): cuti bersama 18, 20, 23, 24 March; holidays 19, 21, 22 March, 3 April.
LEBARAN_2026 = frozenset(
    {date(2026, 3, d) for d in (18, 19, 20, 21, 22, 23, 24)} | {date(2026, 4, 3), date(2026, 4, 5)}
)
OFFICE = WorkCalendar(non_working_dates=LEBARAN_2026, cutoff=time(15, 0))


def wib(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=JAKARTA)


def d(day: int, month: int = 1) -> date:
    return date(2026, month, day)


APP = replace(APPLICATION_WORKFLOW, overall_deadline_working_days=10)


# Step deadlines --------------------------------------------------------------------------------------


def test_step_deadline_of_the_current_state() -> None:
    history = [("submitted", d(1)), ("completeness_check", d(2))]
    step = case_deadlines(APP, history, CAL, d(2)).step
    assert step is not None
    assert (step.key, step.name, step.due) == ("step:completeness_check:1", "completeness_check", d(3))
    assert (step.working_days_left, step.due_soon, step.overdue) == (1, True, False)


def test_no_step_deadline_in_a_state_without_one() -> None:
    assert case_deadlines(APP, [("submitted", d(1))], CAL, d(1)).step is None


# Overall clock and pauses ----------------------------------------------------------------------------

CORRECTED = [
    ("submitted", d(1)),
    ("completeness_check", d(2)),
    ("returned_for_correction", d(3)),
    ("completeness_check", d(6)),
    ("processing", d(7)),
]


def test_overall_deadline_without_pause() -> None:
    overall = case_deadlines(APP, [("submitted", d(1))], CAL, d(1)).overall
    assert overall is not None
    assert overall.due == d(11)
    assert (overall.working_days_left, overall.due_soon, overall.overdue) == (10, False, False)


def test_paused_days_are_added_to_the_overall_deadline() -> None:
    overall = case_deadlines(APP, CORRECTED, CAL, d(8)).overall
    assert overall is not None
    assert overall.due == d(14)  # 10 days from 1 Jan, plus 3 days with the citizen (4, 5, 6 Jan)


def test_while_paused_the_due_date_moves_with_today() -> None:
    history = CORRECTED[:3]
    for today, due in [(d(3), d(11)), (d(5), d(13)), (d(20), d(28))]:
        overall = case_deadlines(APP, history, CAL, today).overall
        assert overall is not None
        assert overall.due == due
        assert not overall.overdue


def test_several_pauses_add_up() -> None:
    history = [
        *CORRECTED,
        ("approved", d(8)),
        ("awaiting_payment", d(9)),
        ("output_issued", d(12)),
    ]
    overall = case_deadlines(APP, history, CAL, d(12)).overall
    assert overall is not None
    assert overall.due == d(17)  # plus 3 days correcting and 3 days paying


def test_a_final_state_stops_the_clock_and_freezes_flags() -> None:
    history = [*CORRECTED, ("rejected", d(20))]
    deadlines = case_deadlines(APP, history, CAL, d(30, 3))
    assert deadlines.overall is not None
    assert deadlines.overall.due == d(14)
    assert deadlines.overall.stopped
    assert deadlines.overall.overdue  # finished late
    assert not deadlines.overdue  # but nothing is live
    assert escalations_due(APP, history, CAL, d(30, 3), set()) == []


def test_a_reopened_case_does_not_count_the_stopped_time() -> None:
    workflow = replace(COMPLAINT_WORKFLOW, overall_deadline_working_days=14, overall_starts_at=None)
    history = [
        ("submitted", d(1)),
        ("verifying", d(1)),
        ("disposed", d(2)),
        ("in_progress", d(3)),
        ("answered", d(5)),
        ("resolved", d(6)),
        ("in_progress", d(16)),
    ]
    overall = case_deadlines(workflow, history, CAL, d(16)).overall
    assert overall is not None
    # 1 day answered (paused) and 10 days resolved (stopped, then reopened): 14 + 11.
    assert overall.due == d(26)
    assert not overall.stopped


# Flags ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "left", "due_soon", "overdue"),
    [
        (d(8), 6, False, False),
        (d(12), 2, False, False),
        (d(13), 1, True, False),
        (d(14), 0, True, False),
        (d(15), -1, False, True),
    ],
)
def test_due_soon_and_overdue(today: date, left: int, due_soon: bool, overdue: bool) -> None:
    deadlines = case_deadlines(APP, CORRECTED, CAL, today)
    overall = deadlines.overall
    assert overall is not None
    assert (overall.working_days_left, overall.due_soon, overall.overdue) == (left, due_soon, overdue)


def test_due_soon_window_is_configurable() -> None:
    overall = case_deadlines(APP, CORRECTED, CAL, d(12), due_soon_days=2).overall
    assert overall is not None
    assert overall.due_soon


def test_history_must_be_known() -> None:
    with pytest.raises(ValueError, match="at least one"):
        case_deadlines(APP, [], CAL, d(1))
    with pytest.raises(ValueError, match="Unknown state 'limbo'"):
        case_deadlines(APP, [("limbo", d(1))], CAL, d(1))


# Alarms --------------------------------------------------------------------------------------------


def test_pasal_53_alarm_runs_from_complete_to_decision() -> None:
    history = [("submitted", d(1)), ("completeness_check", d(1)), ("processing", d(2))]
    (alarm,) = case_deadlines(APPLICATION_WORKFLOW, history, CAL, d(5)).alarms
    assert (alarm.key, alarm.due, alarm.working_days_left, alarm.stopped) == (
        "alarm:pasal_53:2",
        d(7),
        2,
        False,
    )
    (met,) = case_deadlines(APPLICATION_WORKFLOW, [*history, ("approved", d(6))], CAL, d(30)).alarms
    assert met.stopped
    assert not met.overdue
    (late,) = case_deadlines(APPLICATION_WORKFLOW, [*history, ("rejected", d(9))], CAL, d(30)).alarms
    assert late.stopped
    assert late.overdue


# Escalation ----------------------------------------------------------------------------------------


def test_escalation_fires_once_per_deadline() -> None:
    history = [("submitted", d(1)), ("completeness_check", d(1)), ("processing", d(2))]
    assert escalations_due(APP, history, CAL, d(7), set()) == []  # alarm due on 7 Jan: not yet
    first = escalations_due(APP, history, CAL, d(8), set())
    assert [e.key for e in first] == ["alarm:pasal_53:2"]
    escalated = {e.key for e in first}
    assert escalations_due(APP, history, CAL, d(9), escalated) == []
    later = escalations_due(APP, history, CAL, d(12), escalated)
    assert [e.key for e in later] == ["overall"]
    escalated |= {e.key for e in later}
    assert escalations_due(APP, history, CAL, d(30), escalated) == []


def test_escalation_kinds_can_be_chosen() -> None:
    history = [("submitted", d(1)), ("completeness_check", d(1)), ("processing", d(2))]
    assert escalations_due(APP, history, CAL, d(30), set(), kinds={"overall"})[0].key == "overall"


def test_reentering_a_state_gives_a_new_step_deadline() -> None:
    workflow = replace(
        COMPLAINT_WORKFLOW,
        states=tuple(
            replace(s, deadline_working_days=3) if s.key == "verifying" else s
            for s in COMPLAINT_WORKFLOW.states
        ),
        alarms=(),
    )
    history = [("submitted", d(1)), ("verifying", d(1))]
    first = escalations_due(workflow, history, CAL, d(5), set())
    assert [e.key for e in first] == ["step:verifying:1"]
    history += [("needs_info", d(5)), ("verifying", d(10))]
    assert escalations_due(workflow, history, CAL, d(11), {"step:verifying:1"}) == []
    again = escalations_due(workflow, history, CAL, d(14), {"step:verifying:1"})
    assert [e.key for e in again] == ["step:verifying:3"]


def test_a_left_state_no_longer_escalates() -> None:
    history = [("submitted", d(1)), ("verifying", d(1)), ("disposed", d(2))]
    assert [e.key for e in escalations_due(COMPLAINT_WORKFLOW, history, CAL, d(10), set())] == [
        "alarm:first_answer:2"
    ]
    answered = [*history, ("in_progress", d(3)), ("answered", d(6))]
    assert escalations_due(COMPLAINT_WORKFLOW, answered, CAL, d(30), set()) == []


def test_a_paused_step_deadline_is_not_escalated_while_the_clock_stops() -> None:
    workflow = WorkflowDefinition(
        key="tiny",
        initial="open",
        states=(
            State("open", "Open", deadline_working_days=2),
            State("resting", "Resting", clock="stopped", deadline_working_days=1),
            State("done", "Done", is_final=True),
        ),
        transitions=(
            Transition("rest", frozenset({"open"}), "resting", frozenset({"back_office"}), "Rest"),
            Transition(
                "finish", frozenset({"open", "resting"}), "done", frozenset({"back_office"}), "Finish"
            ),
        ),
    )
    history = [("open", d(1)), ("resting", d(2))]
    deadlines = case_deadlines(workflow, history, CAL, d(20))
    assert deadlines.step is not None
    assert deadlines.step.stopped
    assert escalations_due(workflow, history, CAL, d(20), set()) == []


# Across Lebaran 2026, with the real calendar ------------------------------------------------------


def test_pasal_53_across_lebaran() -> None:
    # Complete on Tuesday 17 March at 10:00; Wednesday 18 to Tuesday 24 March are all off.
    history = [("submitted", wib(3, 16)), ("completeness_check", wib(3, 16)), ("processing", wib(3, 17))]
    (alarm,) = case_deadlines(APPLICATION_WORKFLOW, history, OFFICE, wib(3, 17)).alarms
    assert alarm.due == date(2026, 3, 31)  # 25, 26, 27, 30, 31 March
    assert alarm.working_days_left == 5
    (alarm,) = case_deadlines(APPLICATION_WORKFLOW, history, OFFICE, wib(3, 30)).alarms
    assert (alarm.working_days_left, alarm.due_soon, alarm.overdue) == (1, True, False)
    assert escalations_due(APPLICATION_WORKFLOW, history, OFFICE, wib(3, 31, 16), set()) == []
    (late,) = escalations_due(APPLICATION_WORKFLOW, history, OFFICE, wib(4, 1, 8), set())
    assert late.key == "alarm:pasal_53:2"


def test_after_the_cutoff_the_clock_starts_the_next_working_day() -> None:
    history = [("submitted", wib(3, 16)), ("completeness_check", wib(3, 16)), ("processing", wib(3, 17, 16))]
    (alarm,) = case_deadlines(APPLICATION_WORKFLOW, history, OFFICE, wib(3, 17, 16)).alarms
    assert alarm.due == date(2026, 4, 1)


def test_correction_over_lebaran_pauses_only_working_days() -> None:
    workflow = replace(APPLICATION_WORKFLOW, overall_deadline_working_days=10)
    history = [
        ("submitted", wib(3, 13)),  # Friday
        ("completeness_check", wib(3, 13)),
        ("returned_for_correction", wib(3, 16)),  # Monday
        ("completeness_check", wib(3, 25)),  # back on Wednesday after Lebaran: paused 17 and 25 March
    ]
    overall = case_deadlines(workflow, history, OFFICE, wib(3, 25)).overall
    assert overall is not None
    # Without the pause: 16, 17, 25, 26, 27, 30, 31 March, 1, 2, 6 April (3 April is Good Friday).
    # Two paused working days push it to Wednesday 8 April.
    assert overall.due == date(2026, 4, 8)
    unpaused = case_deadlines(workflow, history[:2], OFFICE, wib(3, 13)).overall
    assert unpaused is not None
    assert unpaused.due == date(2026, 4, 6)


def test_weekend_after_the_due_day_is_not_yet_overdue() -> None:
    history = [("submitted", wib(3, 26)), ("completeness_check", wib(3, 26))]
    step = case_deadlines(APPLICATION_WORKFLOW, history, OFFICE, wib(3, 28)).step  # Saturday
    assert step is not None
    assert step.due == date(2026, 3, 27)
    assert not step.overdue
    monday = case_deadlines(APPLICATION_WORKFLOW, history, OFFICE, wib(3, 30)).step
    assert monday is not None
    assert monday.overdue


# Overall clock from the complete application --------------------------------------------------------


FROM_COMPLETE = replace(APP, overall_starts_at="processing")


def test_no_overall_deadline_before_the_application_is_complete() -> None:
    history = [("submitted", d(1)), ("completeness_check", d(2))]
    assert case_deadlines(FROM_COMPLETE, history, CAL, d(3)).overall is None


def test_the_overall_clock_starts_when_the_application_is_complete() -> None:
    history = [
        ("submitted", d(1)),
        ("completeness_check", d(2)),
        ("returned_for_correction", d(3)),
        ("completeness_check", d(6)),
        ("processing", d(7)),
    ]
    overall = case_deadlines(FROM_COMPLETE, history, CAL, d(8)).overall
    assert overall is not None
    assert overall.due == d(17)  # 10 days from 7 Jan; the correction before it does not count


def test_the_start_state_must_exist_and_round_trips() -> None:
    assert WorkflowDefinition.from_dict(FROM_COMPLETE.as_dict()) == FROM_COMPLETE
    with pytest.raises(ValueError, match="unknown state 'nowhere'"):
        replace(APP, overall_starts_at="nowhere")
    legacy = APP.as_dict()
    del legacy["overall_starts_at"]  # versions stored before the field existed
    assert WorkflowDefinition.from_dict(legacy).overall_starts_at is None
