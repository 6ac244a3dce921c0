"""The default workflows, as data: applications (issue 4) and complaints (issue 5, domain facts §3.4).

Roles are the codes of ``layanan.accounts.roles.Role``, plus ``"citizen"`` for the applicant or
reporter. Labels are marked with ``gettext_noop`` (the data keeps the English message id, shown
through ``display_label``). An agency's copy is ``APPLICATION_WORKFLOW.as_dict()``, edited and read
back with ``WorkflowDefinition.from_dict``; a service's standard time goes in
``overall_deadline_working_days`` (``dataclasses.replace``).

Conditions the caller evaluates for applications: ``fee`` (the service standard has a fee) and
``paid`` (the bill is paid).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from layanan.accounts.roles import Role
from layanan.workflow.definition import Alarm, State, Transition, WorkflowDefinition

CITIZEN = "citizen"
FRONT_OFFICE = str(Role.FRONT_OFFICE.value)
BACK_OFFICE = str(Role.BACK_OFFICE.value)
UNIT_HEAD = str(Role.UNIT_HEAD.value)
COORDINATOR = str(Role.COMPLAINT_COORDINATOR.value)
INSPECTORATE = str(Role.INSPECTORATE.value)

# UU 30/2014 Pasal 53 as amended: decision within 5 working days after the application is complete.
PASAL_53_WORKING_DAYS = 5
# SP4N-LAPOR!: verification within 3 working days, the agency's first answer within 5.
LAPOR_VERIFICATION_WORKING_DAYS = 3
LAPOR_FIRST_ANSWER_WORKING_DAYS = 5

_COUNTER = frozenset({FRONT_OFFICE, BACK_OFFICE})


def _t(
    key: str,
    source: set[str],
    target: str,
    roles: frozenset[str] | set[str],
    label: str,
    *,
    requires_note: bool = False,
    requires: tuple[str, ...] = (),
) -> Transition:
    return Transition(key, frozenset(source), target, frozenset(roles), label, requires_note, requires)


APPLICATION_WORKFLOW = WorkflowDefinition(
    key="application",
    initial="submitted",
    overall_deadline_working_days=None,
    states=(
        State("submitted", gettext_noop("Submitted")),
        State("completeness_check", gettext_noop("Completeness check"), deadline_working_days=1),
        State("returned_for_correction", gettext_noop("Returned for correction"), clock="paused"),
        State("processing", gettext_noop("Processing")),
        State("approved", gettext_noop("Approved")),
        State("rejected", gettext_noop("Rejected"), is_final=True, clock="stopped"),
        State("awaiting_payment", gettext_noop("Awaiting payment"), clock="paused"),
        State("output_issued", gettext_noop("Output issued")),
        State("completed", gettext_noop("Completed"), is_final=True, clock="stopped"),
    ),
    transitions=(
        _t(
            "start_check",
            {"submitted"},
            "completeness_check",
            _COUNTER,
            gettext_noop("Start completeness check"),
        ),
        _t(
            "return_for_correction",
            {"completeness_check"},
            "returned_for_correction",
            _COUNTER,
            gettext_noop("Return for correction"),
            requires_note=True,
        ),
        _t(
            "resubmit", {"returned_for_correction"}, "completeness_check", {CITIZEN}, gettext_noop("Resubmit")
        ),
        _t(
            "accept_complete",
            {"completeness_check"},
            "processing",
            _COUNTER,
            gettext_noop("Accept as complete"),
        ),
        _t("approve", {"processing"}, "approved", {UNIT_HEAD}, gettext_noop("Approve")),
        _t("reject", {"processing"}, "rejected", {UNIT_HEAD}, gettext_noop("Reject"), requires_note=True),
        _t(
            "request_payment",
            {"approved"},
            "awaiting_payment",
            {BACK_OFFICE},
            gettext_noop("Request payment"),
            requires=("fee",),
        ),
        _t(
            "issue_output",
            {"approved"},
            "output_issued",
            {BACK_OFFICE},
            gettext_noop("Issue output"),
            requires=("!fee",),
        ),
        _t(
            "issue_paid_output",
            {"awaiting_payment"},
            "output_issued",
            {BACK_OFFICE},
            gettext_noop("Issue output after payment"),
            requires=("paid",),
        ),
        _t("complete", {"output_issued"}, "completed", _COUNTER, gettext_noop("Complete")),
    ),
    alarms=(
        Alarm(
            "pasal_53",
            gettext_noop("Decision due (UU 30/2014 Pasal 53)"),
            start_state="processing",
            stop_states=frozenset({"approved", "rejected"}),
            working_days=PASAL_53_WORKING_DAYS,
        ),
    ),
)

_VERIFIERS = frozenset({COORDINATOR, INSPECTORATE})
_UNIT = frozenset({BACK_OFFICE, UNIT_HEAD})

SYSTEM = "system"
# SP4N-LAPOR!: the reporter may reply to the agency's answer within 10 days, else it stands.
LAPOR_REPLY_DAYS = 10
# Resolution tiers (working days from the disposition), by complaint class (domain facts §3.3).
RESOLUTION_TIERS = {"ringan": 2, "normatif": 5, "tidak_berkadar_pengawasan": 14, "berkadar_pengawasan": 60}
# UU 14/2008 Pasal 22: an information request is answered within 10 working days, extendable once
# by at most 7 with a written notice.
KIP_ANSWER_WORKING_DAYS = 10
KIP_EXTENSION_WORKING_DAYS = 7

_CLOSING = {"disposed", "archived", "rerouted"}

# Verification, the same for complaints and information requests.
_VERIFICATION = (
    _t("start_verification", {"submitted"}, "verifying", _VERIFIERS, gettext_noop("Start verification")),
    _t(
        "request_info",
        {"verifying"},
        "needs_info",
        _VERIFIERS,
        gettext_noop("Ask the reporter for information"),
        requires_note=True,
    ),
    _t("supply_info", {"needs_info"}, "verifying", {CITIZEN}, gettext_noop("Send the information")),
)

# What follows the agency's answer, the same for complaints and information requests: the
# reporter replies or rates, the coordinator or the reply window resolves, and it is closed.
_AFTER_THE_ANSWER = (
    _t(
        "reply",
        {"answered"},
        "in_progress",
        {CITIZEN},
        gettext_noop("Reply to the answer"),
        requires_note=True,
    ),
    _t("rate", {"answered"}, "resolved", {CITIZEN}, gettext_noop("Rate the answer")),
    _t("mark_resolved", {"answered"}, "resolved", {COORDINATOR}, gettext_noop("Mark as resolved")),
    _t(
        "reply_window_passed",
        {"answered"},
        "resolved",
        {SYSTEM},
        gettext_noop("No reply within the reply window"),
    ),
    _t(
        "reopen",
        {"resolved"},
        "in_progress",
        {CITIZEN, COORDINATOR, INSPECTORATE},
        gettext_noop("Reopen"),
        requires_note=True,
    ),
    _t("close", {"resolved"}, "closed", {COORDINATOR, INSPECTORATE, SYSTEM}, gettext_noop("Close")),
)

COMPLAINT_WORKFLOW = WorkflowDefinition(
    key="complaint",
    initial="submitted",
    # The resolution tier of the complaint's class, counted from the (first) disposition.
    overall_deadline_working_days=RESOLUTION_TIERS["tidak_berkadar_pengawasan"],
    overall_starts_at="disposed",
    states=(
        State("submitted", gettext_noop("Submitted")),
        State("verifying", gettext_noop("Verifying")),
        State("needs_info", gettext_noop("Needs information"), clock="paused"),
        State("not_authority", gettext_noop("Not our authority")),
        State("rerouted", gettext_noop("Forwarded outside the platform"), is_final=True, clock="stopped"),
        State("archived", gettext_noop("Archived"), is_final=True, clock="stopped"),
        State("disposed", gettext_noop("Disposed to a unit")),
        State("in_progress", gettext_noop("In progress")),
        State("answered", gettext_noop("Answered"), clock="paused"),
        State("resolved", gettext_noop("Resolved"), clock="stopped"),
        State("closed", gettext_noop("Closed"), is_final=True, clock="stopped"),
    ),
    transitions=(
        *_VERIFICATION,
        _t(
            "mark_not_authority",
            {"disposed", "in_progress"},
            "not_authority",
            _UNIT | _VERIFIERS,
            gettext_noop("Not our authority"),
            requires_note=True,
        ),
        _t(
            "reroute",
            {"verifying", "not_authority"},
            "rerouted",
            _VERIFIERS,
            gettext_noop("Forward outside the platform"),
            requires_note=True,
        ),
        _t(
            "archive",
            {"submitted", "verifying", "needs_info", "not_authority"},
            "archived",
            _VERIFIERS,
            gettext_noop("Archive"),
            requires_note=True,
        ),
        _t(
            "dispose",
            {"verifying", "not_authority"},
            "disposed",
            _VERIFIERS,
            gettext_noop("Dispose to a unit"),
        ),
        _t("start_work", {"disposed"}, "in_progress", _UNIT, gettext_noop("Start work")),
        _t("answer", {"in_progress"}, "answered", _UNIT, gettext_noop("Answer"), requires_note=True),
        *_AFTER_THE_ANSWER,
    ),
    alarms=(
        Alarm(
            "verification",
            gettext_noop("Verification and disposition due (SP4N-LAPOR!)"),
            start_state="submitted",
            stop_states=frozenset(_CLOSING),
            working_days=LAPOR_VERIFICATION_WORKING_DAYS,
        ),
        Alarm(
            "first_answer",
            gettext_noop("First answer due (SP4N-LAPOR!)"),
            start_state="disposed",
            stop_states=frozenset({"answered", "not_authority"}),
            working_days=LAPOR_FIRST_ANSWER_WORKING_DAYS,
        ),
    ),
)

INFORMATION_REQUEST_WORKFLOW = WorkflowDefinition(
    key="information_request",
    initial="submitted",
    overall_deadline_working_days=None,
    states=(
        State("submitted", gettext_noop("Submitted")),
        State("verifying", gettext_noop("Verifying")),
        State("needs_info", gettext_noop("Needs information"), clock="paused"),
        State("archived", gettext_noop("Archived"), is_final=True, clock="stopped"),
        State("rerouted", gettext_noop("Forwarded outside the platform"), is_final=True, clock="stopped"),
        State("disposed", gettext_noop("Disposed to a unit")),
        State("in_progress", gettext_noop("In progress")),
        State(
            "extended",
            gettext_noop("Extended (UU 14/2008)"),
            deadline_working_days=KIP_EXTENSION_WORKING_DAYS,
        ),
        State("answered", gettext_noop("Answered"), clock="paused"),
        State("resolved", gettext_noop("Resolved"), clock="stopped"),
        State("closed", gettext_noop("Closed"), is_final=True, clock="stopped"),
    ),
    transitions=(
        *_VERIFICATION,
        _t(
            "reroute",
            {"verifying"},
            "rerouted",
            _VERIFIERS,
            gettext_noop("Forward outside the platform"),
            requires_note=True,
        ),
        _t(
            "archive",
            {"submitted", "verifying", "needs_info"},
            "archived",
            _VERIFIERS,
            gettext_noop("Archive"),
            requires_note=True,
        ),
        _t("dispose", {"verifying"}, "disposed", _VERIFIERS, gettext_noop("Dispose to a unit")),
        _t("start_work", {"disposed"}, "in_progress", _UNIT, gettext_noop("Start work")),
        _t(
            "extend",
            {"in_progress"},
            "extended",
            _UNIT,
            gettext_noop("Extend by 7 working days (written notice)"),
            requires_note=True,
        ),
        _t(
            "answer",
            {"in_progress", "extended"},
            "answered",
            _UNIT,
            gettext_noop("Answer"),
            requires_note=True,
        ),
        *_AFTER_THE_ANSWER,
    ),
    alarms=(
        Alarm(
            "kip_answer",
            gettext_noop("Answer or extension due (UU 14/2008 Pasal 22)"),
            start_state="submitted",
            stop_states=frozenset({"answered", "extended", "archived", "rerouted"}),
            working_days=KIP_ANSWER_WORKING_DAYS,
        ),
    ),
)

DEFAULT_WORKFLOWS = {
    w.key: w for w in (APPLICATION_WORKFLOW, COMPLAINT_WORKFLOW, INFORMATION_REQUEST_WORKFLOW)
}
