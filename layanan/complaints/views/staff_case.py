"""Presentation of one complaint case for staff: the rows of its deadlines, timeline, disposition
chain, attachments and attributes, the reporter block (never for an anonymous report), the
routing suggestions, the step forms, and the CSV cells of the queue export. Used by
``layanan.complaints.views.staff``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.complaints import actions, permissions
from layanan.complaints.forms_staff import DisposeForm, NoteForm
from layanan.complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
)
from layanan.complaints.queries_staff import (
    QueueRow,
    attachments_of,
    categories_by_slug,
    disposable_units,
    dispositions_of,
    first_unit_of_agencies,
    timeline_of,
)
from layanan.core.masking import mask_email, mask_nik, mask_phone, mask_text
from layanan.workdays.calendar import WorkCalendar
from layanan.workdays.queries import calendar_for_unit, standard_calendar
from layanan.workflow import engine
from layanan.workflow.defaults import CITIZEN, COORDINATOR, INSPECTORATE
from layanan.workflow.definition import Transition
from layanan.workflow.models import TimelineEvent

logger = logging.getLogger(__name__)

# Steps with their own form or action (the rest go through ``transition_complaint``).
OWN_FORM_STEPS = frozenset({"dispose"})
CITIZEN_STEPS = frozenset({"supply_info", "reply", "rate"})
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIVE_SUGGESTIONS = 3


def _crumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    crumbs = [
        {"label": _("Staff workspace"), "href": reverse("accounts:staff-dashboard")},
        {"label": _("Complaints"), "href": reverse("complaints:staff-queue")},
    ]
    crumbs.extend({"label": label, "href": href} for label, href in extra)
    return crumbs


# --- Presentation of one case ---------------------------------------------------------------------

ROLE_LABELS: dict[str, Any] = {
    CITIZEN: gettext_lazy("Reporter"),
    "system": gettext_lazy("System"),
    "staff": gettext_lazy("Staff"),
    **{str(role.value): role.label for role in Role},
}
DEADLINE_KIND_LABELS: dict[str, Any] = {
    "step": gettext_lazy("Deadline of this step"),
    "overall": gettext_lazy("Resolution deadline (by resolution class)"),
    "alarm": gettext_lazy("Legal deadline"),
}
WARNING_STEPS = frozenset({"archive", "mark_not_authority", "reroute"})
# Forwarding to SP4N-LAPOR! writes its own note when none is given.
OPTIONAL_NOTE_STEPS = frozenset({"reroute"})
DISPOSING_ROLES = frozenset({COORDINATOR, INSPECTORATE})


def moved_on() -> str:
    return _("This report has already moved on. Reload the page to see its state.")


def _calendar(complaint: Complaint) -> WorkCalendar:
    return calendar_for_unit(complaint.unit) if complaint.unit is not None else standard_calendar()


def step_forms(
    user: User, complaint: Complaint, *, failed_step: str = "", failed_form: NoteForm | None = None
) -> list[dict[str, Any]]:
    """The workflow steps ``user`` may take now, each a small form with a note. A unit may answer
    straight from "disposed": ``answer_complaint`` starts the work first."""
    definition = complaint.definition()
    available: list[Transition] = actions.available_transitions(user, complaint)
    steps = [t for t in available if t.key not in OWN_FORM_STEPS | CITIZEN_STEPS]
    keys = {t.key for t in steps}
    if complaint.state == "disposed" and "start_work" in keys and "answer" not in keys:
        answer = next((t for t in definition.transitions if t.key == "answer"), None)
        if answer is not None:
            steps.append(answer)
    rows = []
    for step in steps:
        failed = step.key == failed_step and failed_form is not None
        errors: list[Any] = list(failed_form.errors.get("note", [])) if failed and failed_form else []
        rows.append(
            {
                "key": step.key,
                "label": step.display_label,
                "requires_note": step.requires_note and step.key not in OPTIONAL_NOTE_STEPS,
                "target": definition.state(step.target).display_label,
                "error": " ".join(str(e) for e in errors),
                "note": failed_form.data.get("note", "") if failed and failed_form is not None else "",
                "warning": step.key in WARNING_STEPS,
            }
        )
    return rows


def step_of(user: User, complaint: Complaint, key: str) -> dict[str, Any] | None:
    return next((step for step in step_forms(user, complaint) if step["key"] == key), None)


def can_dispose(user: User, complaint: Complaint) -> bool:
    """Whether ``user`` may dispose the report now (from "submitted" the action starts the
    verification first)."""
    keys = {t.key for t in actions.available_transitions(user, complaint)}
    if "dispose" in keys:
        return True
    return (
        complaint.state == "submitted"
        and "start_verification" in keys
        and bool(permissions.staff_roles_for(user, complaint) & DISPOSING_ROLES)
    )


def deadline_rows(complaint: Complaint) -> list[dict[str, Any]]:
    definition = complaint.definition()
    history = engine.history_of(complaint, ComplaintEvent)
    deadlines = engine.deadlines_of(complaint, history, _calendar(complaint))
    alarms = {alarm.key: alarm for alarm in definition.alarms}
    paused = definition.state(complaint.state).effective_clock == "paused"
    rows: list[dict[str, Any]] = []
    for deadline in deadlines.all():
        if deadline.kind == "alarm" and deadline.name in alarms:
            label: Any = alarms[deadline.name].display_label
        else:
            label = DEADLINE_KIND_LABELS.get(deadline.kind, deadline.kind)
        if deadline.stopped:
            status, colour = (_("Met") if deadline.kind == "alarm" else _("Stopped")), "grey"
        elif deadline.overdue:
            status, colour = _("Overdue"), "red"
        elif deadline.due_soon:
            status, colour = _("Due soon"), "yellow"
        else:
            status, colour = _("On time"), "green"
        rows.append(
            {
                "label": label,
                "due": deadline.due,
                "left": deadline.working_days_left,
                "status": status,
                "colour": colour,
                "live": not deadline.stopped,
                "paused": paused and not deadline.stopped,
            }
        )
    started = {d.name for d in deadlines.alarms}
    for alarm in definition.alarms:
        if alarm.key not in started:
            rows.append(
                {
                    "label": alarm.display_label,
                    "due": None,
                    "status": _("Not started"),
                    "colour": "grey",
                    "live": False,
                    "starts": definition.state(alarm.start_state).display_label,
                    "days": alarm.working_days,
                }
            )
    return rows


def _event_title(event: ComplaintEvent, transitions: dict[str, Transition], data: dict[str, Any]) -> Any:
    if event.kind == TimelineEvent.Kind.TRANSITION:
        found = transitions.get(event.transition)
        if found is not None:
            return found.display_label
        return _("Report received") if event.transition == "submit" else event.transition
    if event.kind == TimelineEvent.Kind.ESCALATION:
        if data.get("level") == 2 or str(data.get("deadline", "")).startswith("inspectorate:"):
            return _("Deadline missed: escalated to the inspectorate")
        return _("Deadline missed: escalated to the coordinator")
    if event.kind == TimelineEvent.Kind.DOCUMENT:
        return _("Attachments added: %(count)s") % {"count": data.get("count", "")}
    return event.get_kind_display()


def timeline_rows(complaint: Complaint) -> list[dict[str, Any]]:
    """The timeline; staff steps name their officer, the reporter's steps only say "Reporter"."""
    definition = complaint.definition()
    transitions = {t.key: t for t in definition.transitions}

    def state_label(key: str) -> Any:
        return definition.state(key).display_label if key and definition.has_state(key) else key

    rows = []
    for event in timeline_of(complaint):
        data = event.data if isinstance(event.data, dict) else {}
        by_reporter = event.actor_role == CITIZEN
        actor = event.actor if event.actor is not None and not by_reporter else None
        rows.append(
            {
                "event": event,
                "title": _event_title(event, transitions, data),
                "detail": _("%(from)s → %(to)s")
                % {"from": state_label(event.from_state), "to": state_label(event.to_state)}
                if event.kind == TimelineEvent.Kind.TRANSITION and event.from_state
                else "",
                "actor": (actor.full_name or actor.username) if actor is not None else "",
                "role": ROLE_LABELS.get(event.actor_role, event.actor_role) if event.actor_role else "",
                "internal": not event.is_public,
                "lapor": str(data.get("lapor_tracking_id", "")),
            }
        )
    return rows


def disposition_rows(complaint: Complaint) -> list[dict[str, Any]]:
    return [
        {
            "disposition": d,
            "by": (d.by.full_name or d.by.username) if d.by is not None else _("System"),
            "percent": round(d.confidence * 100) if d.confidence is not None else None,
        }
        for d in dispositions_of(complaint)
    ]


def attachment_rows(complaint: Complaint) -> list[dict[str, Any]]:
    """The attachments, named by number and kind only: a file's own name may name its sender."""
    rows = []
    for number, attachment in enumerate(attachments_of(complaint), start=1):
        rows.append(
            {
                "number": number,
                "attachment": attachment,
                "is_image": attachment.content_type.startswith("image/"),
                "by_reporter": attachment.added_by_reporter,
                "url": reverse(
                    "complaints:staff-attachment",
                    kwargs={"complaint": complaint.reference, "attachment": attachment.public_id},
                ),
            }
        )
    return rows


def attribute_rows(complaint: Complaint) -> list[dict[str, str]]:
    """The answers to the category's questions, with their labels."""
    answers = complaint.attributes if isinstance(complaint.attributes, dict) else {}
    rows = []
    known: set[str] = set()
    for attribute in complaint.category.attributes or []:
        code = str(attribute.get("code", ""))
        known.add(code)
        if code not in answers or answers[code] in (None, "", []):
            continue
        names = {str(v.get("key")): str(v.get("name", v.get("key"))) for v in attribute.get("values", [])}
        value = answers[code]
        chosen = value if isinstance(value, list) else [value]
        rows.append(
            {
                "label": str(attribute.get("description", code)),
                "value": ", ".join(names.get(str(v), str(v)) for v in chosen),
            }
        )
    rows.extend({"label": key, "value": str(answers[key])} for key in sorted(set(answers) - known))
    return rows


def _national_phone(phone: str) -> str:
    return f"0{phone[3:]}" if phone.startswith("+62") else phone


CONTACT_FIELDS: dict[str, tuple[Any, Callable[[str], str], Callable[[str], str]]] = {
    "email": (gettext_lazy("E-mail"), mask_email, str),
    "phone": (gettext_lazy("Phone"), lambda v: mask_phone(_national_phone(v)), _national_phone),
    "nik": (gettext_lazy("NIK"), mask_nik, str),
    "address": (gettext_lazy("Address"), mask_text, str),
}


def contact_fields(complaint: Complaint) -> list[str]:
    details = complaint.reporter_details()
    return [key for key in CONTACT_FIELDS if details.get(key)]


def reporter_block(user: User, complaint: Complaint, *, revealed: bool) -> dict[str, Any]:
    """Who reported, as far as ``user`` may know: for an anonymous report only that it is
    anonymous (``reporter_data`` is not even read); otherwise the name and the contact masked,
    in full only in the response to the audited "show" request."""
    if complaint.is_anonymous:
        return {"anonymous": True}
    if not permissions.can_see_reporter(user, complaint):
        return {"hidden": True}
    details = complaint.reporter_details()
    rows = []
    for key, (label, masked, full) in CONTACT_FIELDS.items():
        value = str(details.get(key) or "")
        if value:
            rows.append({"key": key, "label": label, "value": full(value) if revealed else masked(value)})
    return {
        "name": str(details.get("name") or ""),
        "has_account": complaint.reporter_id is not None,
        "rows": rows,
        "revealed": revealed,
    }


# --- The routing assistant's suggestions ----------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    unit: ServiceUnit
    category: ComplaintCategory | None
    confidence: float | None
    is_stored: bool  # the suggestion made when the report arrived

    @property
    def percent(self) -> int | None:
        return round(self.confidence * 100) if self.confidence is not None else None


def _live_suggestions(complaint: Complaint) -> list[Any]:
    """The assistant's ranked suggestions now (an empty list without the assistant)."""
    try:
        from layanan.complaints.routing_store import (  # type: ignore[import-not-found,unused-ignore]
            suggestions_for,
        )
    except ImportError:
        return []
    try:
        return list(
            suggestions_for(complaint.title, complaint.body, complaint.region_id, limit=LIVE_SUGGESTIONS)
        )
    except Exception:
        # The case page must work when the assistant fails; the failure is logged.
        logger.exception("routing suggestions failed for %s", complaint.reference)
        return []


def suggestions(complaint: Complaint) -> list[Suggestion]:
    """The stored suggestion first, then the assistant's current ranking (each agency once),
    each with the unit that would receive the report. Never for the protected channel."""
    if complaint.is_protected:
        return []
    wanted: list[tuple[str, str, float | None, bool]] = []
    if complaint.suggested_agency is not None:
        wanted.append(
            (
                complaint.suggested_agency.slug,
                complaint.suggested_category.slug if complaint.suggested_category else "",
                complaint.suggestion_confidence,
                True,
            )
        )
    for live in _live_suggestions(complaint):
        wanted.append((str(live.agency_slug), str(live.category_slug or ""), float(live.confidence), False))
    slugs = list(dict.fromkeys(agency for agency, *_rest in wanted))
    units = first_unit_of_agencies(slugs)
    categories = categories_by_slug([category for _agency, category, *_rest in wanted if category])
    found: list[Suggestion] = []
    seen: set[str] = set()
    for agency, category, confidence, stored in wanted:
        if agency in seen or agency not in units:
            continue
        seen.add(agency)
        found.append(Suggestion(units[agency], categories.get(category), confidence, stored))
    return found


def suggested_unit_pk(complaint: Complaint) -> str:
    """The disposition form's preselected unit: the stored suggestion's, if any."""
    if complaint.suggested_agency is None or complaint.is_protected:
        return ""
    unit = first_unit_of_agencies([complaint.suggested_agency.slug]).get(complaint.suggested_agency.slug)
    return str(unit.pk) if unit is not None else ""


def find_suggestion(complaint: Complaint, agency_slug: str) -> Suggestion | None:
    if not agency_slug:
        return None
    return next((s for s in suggestions(complaint) if s.unit.agency.slug == agency_slug), None)


def export_header() -> list[str]:
    return [
        _("Reference"),
        _("Type of report"),
        _("Category"),
        _("Title"),
        _("State"),
        _("Region"),
        _("Agency"),
        _("Unit"),
        _("Received"),
        _("Due"),
        _("Deadline"),
        _("Escalation level"),
        _("Suggested agency"),
        _("Suggestion confidence (%)"),
    ]


def export_cells(row: QueueRow) -> list[Any]:
    """One report of the export: no reporter, no report text (see ``export``)."""
    c = row.complaint
    deadline = _("Overdue") if row.overdue else _("Due soon") if row.due_soon else ""
    return [
        c.reference,
        c.get_kind_display(),
        c.category.display_name(get_language()),
        c.title,
        row.state_label,
        c.region.name,
        c.agency.name if c.agency else "",
        c.unit.name if c.unit else "",
        timezone.localtime(c.submitted_at).strftime("%Y-%m-%d %H:%M"),
        c.due_date.isoformat() if row.has_due_date else "",
        deadline,
        c.escalation_level,
        c.suggested_agency.name if c.suggested_agency else "",
        round(c.suggestion_confidence * 100) if c.suggestion_confidence is not None else "",
    ]


# --- One case -------------------------------------------------------------------------------------


def _render_case(
    request: AuthenticatedHttpRequest,
    complaint: Complaint,
    *,
    status: int = 200,
    failed_step: str = "",
    step_form: NoteForm | None = None,
    step_error: str = "",
    lost_note: str = "",
    dispose_form: DisposeForm | None = None,
    revealed: bool = False,
) -> HttpResponse:
    user = request.user
    steps = step_forms(user, complaint, failed_step=failed_step, failed_form=step_form)
    keys = {step["key"] for step in steps}
    disposing = can_dispose(user, complaint)
    units = disposable_units() if disposing else []
    if dispose_form is None and disposing:
        dispose_form = DisposeForm(
            units=units,
            initial={
                "resolution_class": complaint.resolution_class,
                "unit": suggested_unit_pk(complaint),
            },
        )
    definition = complaint.definition()
    context = {
        "complaint": complaint,
        "category_name": complaint.category.display_name(get_language()),
        "state_label": complaint.state_label(),
        "is_final": definition.state(complaint.state).is_final,
        "is_paused": definition.state(complaint.state).effective_clock == "paused",
        "deadlines": deadline_rows(complaint),
        "timeline": timeline_rows(complaint),
        "dispositions": disposition_rows(complaint),
        "attachments": attachment_rows(complaint),
        "attributes": attribute_rows(complaint),
        "reporter": reporter_block(user, complaint, revealed=revealed),
        "steps": steps,
        "can_dispose": disposing,
        "dispose_form": dispose_form,
        "suggestions": suggestions(complaint) if disposing else [],
        "can_forward": "reroute" in keys,
        "step_error": step_error,
        "lost_note": lost_note,
        "has_error": bool(
            step_error or (step_form and step_form.errors) or (dispose_form and dispose_form.errors)
        ),
        "crumbs": _crumbs(),
    }
    return render(request, "complaints/staff/complaint_detail.html", context, status=status)
