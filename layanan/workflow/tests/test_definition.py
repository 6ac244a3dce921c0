"""Workflow definitions: validation, the transition rules, the JSON round trip (pure, no database)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from django.utils import translation

from layanan.accounts.roles import Role
from layanan.workflow.defaults import APPLICATION_WORKFLOW, COMPLAINT_WORKFLOW, DEFAULT_WORKFLOWS
from layanan.workflow.definition import (
    Alarm,
    State,
    Transition,
    TransitionNotAllowed,
    WorkflowDefinition,
)

FO, BO, HEAD = "front_office", "back_office", "unit_head"
COORD, INSP, CITIZEN, ADMIN = "complaint_coordinator", "inspectorate", "citizen", "platform_admin"
SYSTEM = "system"
ALL_ROLES = (FO, BO, HEAD, COORD, INSP, CITIZEN, ADMIN, SYSTEM)

# The tables of issue 4 and issue 5 written out independently of defaults.py:
# transition -> (source states, target, roles, requires_note, requires).
Row = tuple[set[str], str, set[str], bool, tuple[str, ...]]
APPLICATION_TABLE: dict[str, Row] = {
    "start_check": ({"submitted"}, "completeness_check", {FO, BO}, False, ()),
    "return_for_correction": ({"completeness_check"}, "returned_for_correction", {FO, BO}, True, ()),
    "resubmit": ({"returned_for_correction"}, "completeness_check", {CITIZEN}, False, ()),
    "accept_complete": ({"completeness_check"}, "processing", {FO, BO}, False, ()),
    "approve": ({"processing"}, "approved", {HEAD}, False, ()),
    "reject": ({"processing"}, "rejected", {HEAD}, True, ()),
    "request_payment": ({"approved"}, "awaiting_payment", {BO}, False, ("fee",)),
    "issue_output": ({"approved"}, "output_issued", {BO}, False, ("!fee",)),
    "issue_paid_output": ({"awaiting_payment"}, "output_issued", {BO}, False, ("paid",)),
    "complete": ({"output_issued"}, "completed", {FO, BO}, False, ()),
}
COMPLAINT_TABLE: dict[str, Row] = {
    "start_verification": ({"submitted"}, "verifying", {COORD, INSP}, False, ()),
    "request_info": ({"verifying"}, "needs_info", {COORD, INSP}, True, ()),
    "supply_info": ({"needs_info"}, "verifying", {CITIZEN}, False, ()),
    "mark_not_authority": ({"disposed", "in_progress"}, "not_authority", {BO, HEAD, COORD, INSP}, True, ()),
    "reroute": ({"verifying", "not_authority"}, "rerouted", {COORD, INSP}, True, ()),
    "archive": (
        {"submitted", "verifying", "needs_info", "not_authority"},
        "archived",
        {COORD, INSP},
        True,
        (),
    ),
    "dispose": ({"verifying", "not_authority"}, "disposed", {COORD, INSP}, False, ()),
    "start_work": ({"disposed"}, "in_progress", {BO, HEAD}, False, ()),
    "answer": ({"in_progress"}, "answered", {BO, HEAD}, True, ()),
    "reply": ({"answered"}, "in_progress", {CITIZEN}, True, ()),
    "rate": ({"answered"}, "resolved", {CITIZEN}, False, ()),
    "mark_resolved": ({"answered"}, "resolved", {COORD}, False, ()),
    "reply_window_passed": ({"answered"}, "resolved", {SYSTEM}, False, ()),
    "reopen": ({"resolved"}, "in_progress", {CITIZEN, COORD, INSP}, True, ()),
    "close": ({"resolved"}, "closed", {COORD, INSP, SYSTEM}, False, ()),
}
TABLES = [(APPLICATION_WORKFLOW, APPLICATION_TABLE), (COMPLAINT_WORKFLOW, COMPLAINT_TABLE)]

MATRIX = [
    pytest.param(workflow, key, state.key, role, id=f"{workflow.key}-{key}-{state.key}-{role}")
    for workflow, table in TABLES
    for key in table
    for state in workflow.states
    for role in ALL_ROLES
]


def test_role_codes_are_the_platform_roles() -> None:
    assert {FO, BO, HEAD, COORD, INSP, ADMIN} == {str(r.value) for r in Role}


@pytest.mark.parametrize(("workflow", "table"), TABLES, ids=["application", "complaint"])
def test_definition_matches_the_issue_table(workflow: WorkflowDefinition, table: dict[str, Row]) -> None:
    actual = {
        t.key: (set(t.source), t.target, set(t.roles), t.requires_note, t.requires)
        for t in workflow.transitions
    }
    assert actual == table


@pytest.mark.parametrize(("workflow", "key", "state", "role"), MATRIX)
def test_every_transition_for_every_role_from_every_state(
    workflow: WorkflowDefinition, key: str, state: str, role: str
) -> None:
    sources, target, roles, _, _ = _row(workflow, key)
    if state in sources and role in roles:
        assert workflow.transition(key, state, {role}).target == target
        assert key in [t.key for t in workflow.allowed_transitions(state, {role})]
    else:
        with pytest.raises(TransitionNotAllowed) as caught:
            workflow.transition(key, state, {role})
        assert caught.value.code == ("role_not_allowed" if state in sources else "wrong_state")
        assert key not in [t.key for t in workflow.allowed_transitions(state, {role})]


def _row(workflow: WorkflowDefinition, key: str) -> Row:
    table = APPLICATION_TABLE if workflow is APPLICATION_WORKFLOW else COMPLAINT_TABLE
    return table[key]


@pytest.mark.parametrize(("workflow", "table"), TABLES, ids=["application", "complaint"])
def test_allowed_transitions_are_exactly_the_table(
    workflow: WorkflowDefinition, table: dict[str, Row]
) -> None:
    for state in workflow.states:
        for role in ALL_ROLES:
            expected = [k for k, row in table.items() if state.key in row[0] and role in row[2]]
            assert [t.key for t in workflow.allowed_transitions(state.key, {role})] == expected


def test_several_roles_combine() -> None:
    keys = [t.key for t in APPLICATION_WORKFLOW.allowed_transitions("processing", {BO, HEAD})]
    assert keys == ["approve", "reject"]
    assert APPLICATION_WORKFLOW.allowed_transitions("processing", set()) == []


def test_unknown_transition_and_state() -> None:
    with pytest.raises(TransitionNotAllowed) as caught:
        APPLICATION_WORKFLOW.transition("teleport", "submitted", {BO})
    assert caught.value.code == "unknown_transition"
    with pytest.raises(TransitionNotAllowed) as caught:
        APPLICATION_WORKFLOW.transition("start_check", "limbo", {BO})
    assert caught.value.code == "unknown_state"
    with pytest.raises(TransitionNotAllowed) as caught:
        APPLICATION_WORKFLOW.allowed_transitions("limbo", {BO})
    assert caught.value.code == "unknown_state"


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (set(), ["issue_output"]),
        ({"fee"}, ["request_payment"]),
        ({"fee", "paid"}, ["request_payment"]),
    ],
)
def test_fee_condition_after_approval(facts: set[str], expected: list[str]) -> None:
    allowed = APPLICATION_WORKFLOW.allowed_transitions("approved", {BO}, facts)
    assert [t.key for t in allowed] == expected
    # Without facts the caller has not evaluated conditions: both ways are listed.
    assert [t.key for t in APPLICATION_WORKFLOW.allowed_transitions("approved", {BO})] == [
        "request_payment",
        "issue_output",
    ]


def test_output_not_issued_before_payment() -> None:
    with pytest.raises(TransitionNotAllowed) as caught:
        APPLICATION_WORKFLOW.transition("issue_paid_output", "awaiting_payment", {BO}, {"fee"})
    assert caught.value.code == "condition_not_met"
    with pytest.raises(TransitionNotAllowed) as caught:
        APPLICATION_WORKFLOW.transition("issue_output", "approved", {BO}, {"fee"})
    assert caught.value.code == "condition_not_met"
    transition = APPLICATION_WORKFLOW.transition(
        "issue_paid_output", "awaiting_payment", {BO}, {"fee", "paid"}
    )
    assert transition.target == "output_issued"


def test_role_is_checked_before_conditions() -> None:
    with pytest.raises(TransitionNotAllowed) as caught:
        APPLICATION_WORKFLOW.transition("request_payment", "approved", {CITIZEN}, set())
    assert caught.value.code == "role_not_allowed"


def test_returned_application_goes_back_to_completeness_check_and_clock_pauses() -> None:
    returned = APPLICATION_WORKFLOW.state("returned_for_correction")
    assert returned.clock == "paused"
    assert APPLICATION_WORKFLOW.transition("resubmit", returned.key, {CITIZEN}).target == "completeness_check"


def test_final_states() -> None:
    assert {s.key for s in APPLICATION_WORKFLOW.states if s.is_final} == {"rejected", "completed"}
    assert {s.key for s in COMPLAINT_WORKFLOW.states if s.is_final} == {"rerouted", "archived", "closed"}
    assert COMPLAINT_WORKFLOW.state("needs_info").clock == "paused"
    assert [(a.key, a.start_state, a.working_days) for a in COMPLAINT_WORKFLOW.alarms] == [
        ("verification", "submitted", 3),
        ("first_answer", "disposed", 5),
    ]
    assert COMPLAINT_WORKFLOW.overall_starts_at == "disposed"
    assert COMPLAINT_WORKFLOW.overall_deadline_working_days == 14
    assert [(a.key, a.start_state, a.working_days) for a in APPLICATION_WORKFLOW.alarms] == [
        ("pasal_53", "processing", 5)
    ]


# Round trip ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("workflow", list(DEFAULT_WORKFLOWS.values()), ids=list(DEFAULT_WORKFLOWS))
def test_dict_round_trip_through_json_is_exact(workflow: WorkflowDefinition) -> None:
    data = workflow.as_dict()
    text = json.dumps(data, sort_keys=True)
    again = WorkflowDefinition.from_dict(json.loads(text))
    assert again == workflow
    assert again.as_dict() == data
    assert json.dumps(again.as_dict(), sort_keys=True) == text


def test_an_agency_edits_its_copy() -> None:
    data = APPLICATION_WORKFLOW.as_dict()
    data["overall_deadline_working_days"] = 14
    for state in data["states"]:
        if state["key"] == "processing":
            state["deadline_working_days"] = 5
            state["label"] = "Diproses teknis"
    edited = WorkflowDefinition.from_dict(data)
    assert edited.overall_deadline_working_days == 14
    assert edited.state("processing").deadline_working_days == 5
    assert str(edited.state("processing").display_label) == "Diproses teknis"
    assert edited != APPLICATION_WORKFLOW
    assert edited == replace(
        APPLICATION_WORKFLOW,
        overall_deadline_working_days=14,
        states=tuple(
            replace(s, deadline_working_days=5, label="Diproses teknis") if s.key == "processing" else s
            for s in APPLICATION_WORKFLOW.states
        ),
    )


def test_labels_are_translated_when_shown() -> None:
    state = APPLICATION_WORKFLOW.state("submitted")
    with translation.override("en"):
        assert str(state.display_label) == "Submitted"
    assert state.label == "Submitted"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("states"),
        lambda d: d.update(states="submitted"),
        lambda d: d["states"][0].update(clock="frozen"),
        lambda d: d["states"][0].update(is_final="no"),
        lambda d: d["transitions"][0].update(roles="back_office"),
        lambda d: d.update(overall_deadline_working_days="5"),
        lambda d: d["alarms"][0].update(working_days=True),
        lambda d: d["states"].append({"label": "No key"}),
    ],
)
def test_from_dict_rejects_malformed_data(mutate: Any) -> None:
    data = APPLICATION_WORKFLOW.as_dict()
    mutate(data)
    with pytest.raises(ValueError, match="workflow"):
        WorkflowDefinition.from_dict(data)


# Validation ----------------------------------------------------------------------------------------


def _t(key: str, source: set[str], target: str, roles: set[str] | None = None) -> Transition:
    return Transition(key, frozenset(source), target, frozenset({BO} if roles is None else roles), key)


def test_a_definition_lists_every_problem() -> None:
    with pytest.raises(ValueError, match="Invalid workflow") as caught:
        WorkflowDefinition(
            key="broken",
            initial="start",
            states=(
                State("start", "Start"),
                State("middle", "Middle"),
                State("middle", "Middle again"),
                State("done", "Done", is_final=True, deadline_working_days=2),
                State("island", "Island", is_final=True),
                State("Bad Key", "Bad", clock="frozen", deadline_working_days=0),  # type: ignore[arg-type]
            ),
            transitions=(
                _t("go", {"start"}, "middle"),
                _t("go", {"middle"}, "done"),
                _t("undo", {"done"}, "start"),
                _t("nowhere", {"start"}, "ghost"),
                _t("from_ghost", {"phantom"}, "middle"),
                _t("nobody", {"start"}, "done", set()),
                _t("stay", {"middle"}, "middle"),
                Transition(
                    "cond", frozenset({"start"}), "done", frozenset({BO}), "Cond", requires=("has fee",)
                ),
                Transition("empty", frozenset(), "done", frozenset({BO}), "Empty"),
            ),
            overall_deadline_working_days=0,
            alarms=(
                Alarm("late", "Late", "limbo", frozenset({"void"}), 0),
                Alarm("late", "Late", "start", frozenset(), 1),
            ),
        )
    message = str(caught.value)
    for problem in [
        "duplicate state 'middle'",
        "duplicate transition 'go'",
        "duplicate alarm 'late'",
        "state key 'Bad Key' is not a lowercase identifier",
        "state 'Bad Key' has unknown clock 'frozen'",
        "state 'Bad Key' has a deadline below 1 working day",
        "final state 'done' has a deadline",
        "overall deadline below 1 working day",
        "transition 'nowhere' enters unknown state 'ghost'",
        "transition 'from_ghost' leaves unknown state 'phantom'",
        "transition 'nobody' is open to no role",
        "transition 'stay' loops on state 'middle'",
        "transition 'cond' has malformed condition 'has fee'",
        "transition 'empty' has no source state",
        "final state 'done' has outgoing transitions ['undo']",
        "state 'Bad Key' is not final and has no outgoing transition",
        "alarm 'late' starts at unknown state 'limbo'",
        "alarm 'late' stops at unknown state 'void'",
        "alarm 'late' is below 1 working day",
        "alarm 'late' has no stop state",
        "state 'island' is unreachable from 'start'",
        "state 'Bad Key' is unreachable from 'start'",
    ]:
        assert problem in message


@pytest.mark.parametrize(
    ("initial", "problem"),
    [("nowhere", "initial state 'nowhere' is unknown"), ("done", "initial state 'done' is final")],
)
def test_initial_state_must_exist_and_not_be_final(initial: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        WorkflowDefinition(
            key="tiny",
            initial=initial,
            states=(State("start", "Start"), State("done", "Done", is_final=True)),
            transitions=(_t("finish", {"start"}, "done"),),
        )


def test_a_valid_minimal_definition() -> None:
    tiny = WorkflowDefinition(
        key="tiny",
        initial="start",
        states=(State("start", "Start"), State("done", "Done", is_final=True)),
        transitions=(_t("finish", {"start"}, "done"),),
    )
    assert tiny.transition("finish", "start", {BO}).target == "done"
    assert tiny.state("done").effective_clock == "stopped"
    assert WorkflowDefinition.from_dict(tiny.as_dict()) == tiny
