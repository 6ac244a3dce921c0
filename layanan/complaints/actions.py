"""Writes of complaints. Creation goes through ``submit_complaint``; every state change through
``transition_complaint`` (the named helpers below call it and add what their step records).

Each action runs in one transaction, checks the actor's right for the report, writes its audit
event in that transaction and schedules notifications for after the commit. Audit events of an
anonymous report never name its reporter: the reporter's own steps are recorded without an actor.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from layanan.accounts.models import Agency, ServiceUnit, User
from layanan.audit.actions import record_event
from layanan.catalog.models import Service
from layanan.complaints import notices
from layanan.complaints.models import (
    REFERENCE_PREFIXES,
    Complaint,
    ComplaintAttachment,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintKind,
    ComplaintPolicy,
    ComplaintSupport,
    Disposition,
    ResolutionClass,
)
from layanan.complaints.permissions import (
    is_reporter,
    reporter_index_of,
    roles_for,
    staff_roles_for,
)
from layanan.core.crypto import encrypt_bytes
from layanan.core.references import secret_digest, tracking_secret
from layanan.core.uploads import Readable, check_upload
from layanan.regions.models import Region
from layanan.workdays.queries import calendar_for_unit, standard_calendar
from layanan.workflow import engine
from layanan.workflow.defaults import (
    CITIZEN,
    COMPLAINT_WORKFLOW,
    COORDINATOR,
    INFORMATION_REQUEST_WORKFLOW,
    INSPECTORATE,
    SYSTEM,
)
from layanan.workflow.definition import Alarm, TransitionNotAllowed, WorkflowDefinition
from layanan.workflow.models import StoredWorkflow, TimelineEvent

TITLE_MAX = 200
BODY_MIN = 20
BODY_MAX = 5000
MAX_ATTACHMENTS = 3
# SP4N-LAPOR!: attachments of one report total at most 2 MB.
MAX_ATTACHMENTS_BYTES = 2 * 1024 * 1024
OFFICER_CHANNELS = frozenset({Complaint.Channel.PHONE, Complaint.Channel.WALK_IN})


class _System:
    """The actor of scheduled steps (reply window passed, closing)."""

    pk = None
    is_authenticated = False
    username = "system"

    def __str__(self) -> str:
        return "system"


SYSTEM_ACTOR = _System()


# Policies and workflows --------------------------------------------------------------------------


def policy_for(region: Region | None) -> ComplaintPolicy:
    """The most specific policy whose region contains ``region`` (else the national default)."""
    candidates: list[str | None] = []
    if region is not None:
        parts = region.code.split(".")
        candidates = [".".join(parts[:n]) for n in range(len(parts), 0, -1)]
    found = {
        p.region_id: p for p in ComplaintPolicy.objects.filter(region_id__in=[c for c in candidates if c])
    }
    for code in candidates:
        if code in found:
            return found[code]
    default = ComplaintPolicy.objects.filter(region__isnull=True).first()
    return default if default is not None else ComplaintPolicy()


def definition_for(kind: str, resolution_class: str, policy: ComplaintPolicy) -> WorkflowDefinition:
    """The workflow of a report of ``kind`` and ``resolution_class`` under ``policy``."""
    if kind == ComplaintKind.INFORMATION:
        return INFORMATION_REQUEST_WORKFLOW
    days = {
        "verification": policy.verification_working_days,
        "first_answer": policy.first_answer_working_days,
    }
    alarms = tuple(
        dataclasses.replace(alarm, working_days=days.get(alarm.key, alarm.working_days))
        for alarm in COMPLAINT_WORKFLOW.alarms
    )
    return dataclasses.replace(
        COMPLAINT_WORKFLOW,
        alarms=alarms,
        overall_deadline_working_days=policy.resolution_days(resolution_class),
    )


def _workflow_scope(kind: str, resolution_class: str, policy: ComplaintPolicy) -> str:
    family = "information" if kind == ComplaintKind.INFORMATION else "complaint"
    return f"complaint:{family}:{resolution_class}:{policy.region_id or 'default'}"


def stored_workflow_for(kind: str, resolution_class: str, policy: ComplaintPolicy) -> StoredWorkflow:
    scope = _workflow_scope(kind, resolution_class, policy)
    definition = definition_for(kind, resolution_class, policy)
    latest = engine.latest_workflow(scope)
    if latest is not None and latest.definition == definition.as_dict():
        return latest
    return engine.store_workflow(scope, definition, actor=None)


def _alarm(definition: WorkflowDefinition, key: str) -> Alarm | None:
    return next((a for a in definition.alarms if a.key == key), None)


# Submission --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ComplaintSubmission:
    complaint: Complaint
    # The tracking secret, shown once (None when a retry found the earlier report).
    secret: str | None
    created: bool


def _fingerprint(fields: Mapping[str, Any]) -> str:
    body = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def _clean_text(value: Any) -> str:
    return " ".join(str(value or "").split()) if value is not None else ""


def _validate(
    *,
    kind: str,
    category: ComplaintCategory | None,
    title: str,
    body: str,
    region: Region | None,
    incident_date: date | None,
    latitude: Decimal | float | None,
    longitude: Decimal | float | None,
    attributes: Mapping[str, Any],
    now: datetime,
    require_attributes: bool = True,
) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}

    def add(field: str, message: Any) -> None:
        errors.setdefault(field, []).append(message)

    if kind not in ComplaintKind.values:
        add("kind", _("Choose the type of report."))
    if category is None or not category.is_active:
        add("category", _("Choose a category."))
    elif category.is_protected != (kind == ComplaintKind.WHISTLEBLOWING):
        add(
            "category",
            _("Reports of illegal charges or abuse of power go through their own protected channel.")
            if category.is_protected
            else _("Choose the category of illegal charges or abuse of power for this channel."),
        )
    if not title:
        add("title", _("Give the report a short title."))
    elif len(title) > TITLE_MAX:
        add("title", _("Keep the title under %(max)d characters.") % {"max": TITLE_MAX})
    if len(body) < BODY_MIN:
        add("body", _("Tell us what happened in at least %(min)d characters.") % {"min": BODY_MIN})
    elif len(body) > BODY_MAX:
        add("body", _("Keep the story under %(max)d characters.") % {"max": BODY_MAX})
    if region is None or region.level < Region.Level.REGENCY:
        add("region", _("Choose at least the regency or city where it happened."))
    if incident_date is not None and incident_date > timezone.localdate(now):
        add("incident_date", _("The date of the incident cannot be in the future."))
    if (latitude is None) != (longitude is None):
        add("location", _("Give both the latitude and the longitude of the point, or neither."))
    elif latitude is not None and longitude is not None:
        lat, lon = Decimal(str(latitude)), Decimal(str(longitude))
        # Indonesia lies within about 6°N..11°S and 95°E..141°E.
        if not (Decimal(-11.5) <= lat <= Decimal(6.5) and Decimal(94.5) <= lon <= Decimal(141.5)):
            add("location", _("The point on the map is outside Indonesia."))
    if category is not None:
        for problem_field, message in attribute_problems(category, attributes, required=require_attributes):
            add(problem_field, message)
    return errors


def attribute_problems(
    category: ComplaintCategory, answers: Mapping[str, Any], *, required: bool = True
) -> list[tuple[str, Any]]:
    """What is wrong with ``answers`` to the category's attributes: (field, message) pairs.
    ``required=False`` (reports from SP4N-LAPOR!, which has no such questions) checks only the
    answers that were given."""
    problems: list[tuple[str, Any]] = []
    for attribute in category.attributes or []:
        code = str(attribute.get("code", ""))
        value = answers.get(code)
        empty = value is None or value == "" or value == []
        if attribute.get("required") and empty and required:
            problems.append(
                (
                    f"attribute[{code}]",
                    _("Answer: %(question)s") % {"question": attribute.get("description", code)},
                )
            )
            continue
        if empty:
            continue
        keys = {str(v.get("key")) for v in attribute.get("values", [])}
        if attribute.get("datatype") == "singlevaluelist" and str(value) not in keys:
            problems.append((f"attribute[{code}]", _("Choose one of the listed answers.")))
        if attribute.get("datatype") == "multivaluelist":
            chosen = value if isinstance(value, list) else [value]
            if not all(str(v) in keys for v in chosen):
                problems.append((f"attribute[{code}]", _("Choose from the listed answers.")))
    return problems


def regency_code_of(region: Region) -> str:
    return region.code[:5]


@transaction.atomic
def submit_complaint(
    *,
    kind: str,
    category: ComplaintCategory | None,
    title: str,
    body: str,
    region: Region | None,
    actor: Any,
    channel: str,
    incident_date: date | None = None,
    location_text: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    target_agency: Agency | None = None,
    target_service: Service | None = None,
    attributes: Mapping[str, Any] | None = None,
    is_anonymous: bool = False,
    is_confidential: bool = False,
    reporter: User | None = None,
    reporter_details: Mapping[str, str] | None = None,
    attachments: Sequence[Readable] = (),
    idempotency_scope: str = "",
    idempotency_key: str = "",
    language: str | None = None,
    suggest: bool = True,
    now: datetime | None = None,
    preset: tuple[str, str] | None = None,
    lapor_tracking_id: str = "",
) -> ComplaintSubmission:
    """Take a report from any channel and start its workflow.

    * ``web``/``api``: ``actor`` is the signed-in reporter (``reporter`` = ``actor``) or ``None``
      for a visitor without an account (``reporter_details`` may give a name and a contact).
    * ``open311``/``lapor``: ``actor`` is None; ``idempotency_scope`` names the client.
    * ``phone``/``walk_in``: ``actor`` is a coordinator or a front-office officer, the reporter's
      details come in ``reporter_details``.

    The protected channel (``kind="pungli"``) must use the protected category and is always
    confidential. A retry with the same ``idempotency_scope`` and ``idempotency_key`` returns the
    first report (``created=False``); the same key with other content is refused.

    ``preset`` (reference, secret) comes from ``accept_complaint``: the report was accepted and
    numbered earlier and is processed now by the worker.
    """
    at = now or timezone.now()
    title = _clean_text(title)
    body = str(body or "").strip()
    attributes = {str(k): v for k, v in (attributes or {}).items()}
    details: dict[str, Any] = {
        k: _clean_text(v) for k, v in (reporter_details or {}).items() if _clean_text(v)
    }
    _check_submitter(channel, actor, reporter)

    key = idempotency_key.strip()[:80]
    scope = (idempotency_scope or (f"user:{actor.pk}" if getattr(actor, "pk", None) else ""))[:80]
    fingerprint = _fingerprint(
        {
            "kind": kind,
            "category": getattr(category, "slug", None),
            "title": title,
            "body": body,
            "region": getattr(region, "code", None),
            "anonymous": bool(is_anonymous),
        }
    )
    if key:
        earlier = _earlier(scope, key, fingerprint)
        if earlier is not None:
            return ComplaintSubmission(earlier, None, created=False)

    errors = _validate(
        kind=kind,
        category=category,
        title=title,
        body=body,
        region=region,
        incident_date=incident_date,
        latitude=latitude,
        longitude=longitude,
        attributes=attributes,
        now=at,
        require_attributes=channel != Complaint.Channel.LAPOR,
    )
    checked = _check_attachments(attachments, errors)
    if errors:
        raise ValidationError(errors, code="invalid")
    assert category is not None
    assert region is not None

    if kind == ComplaintKind.WHISTLEBLOWING:
        is_confidential = True
    person = reporter if reporter is not None else (actor if channel in {"web", "api"} else None)
    if person is not None and getattr(person, "is_authenticated", False):
        details = {
            "name": person.full_name or person.get_username(),
            **({"email": person.email} if person.email else {}),
            **({"phone": person.phone} if getattr(person, "phone", "") else {}),
            **details,
            "account": person.pk,
        }
    policy = policy_for(region)
    resolution_class = category.default_resolution_class or ResolutionClass.NO_AUDIT
    if preset is not None:
        reference, secret = preset
    else:
        secret = tracking_secret()
        reference = engine.next_reference(
            REFERENCE_PREFIXES[ComplaintKind(kind)], timezone.localtime(at).year
        )
    complaint = Complaint(
        reference=reference,
        kind=kind,
        channel=channel,
        title=title,
        body=body,
        incident_date=incident_date,
        region=region,
        regency_code=regency_code_of(region),
        location_text=_clean_text(location_text)[:200],
        latitude=Decimal(str(latitude)).quantize(Decimal("0.000001")) if latitude is not None else None,
        longitude=Decimal(str(longitude)).quantize(Decimal("0.000001")) if longitude is not None else None,
        category=category,
        target_agency=target_agency,
        target_service=target_service,
        resolution_class=resolution_class,
        attributes=attributes,
        is_anonymous=bool(is_anonymous),
        is_confidential=bool(is_confidential),
        reporter=None if is_anonymous or person is None else person,
        reporter_index=reporter_index_of(person) if person is not None else "",
        reporter_data=json.dumps(details, ensure_ascii=False, sort_keys=True),
        tracking_secret_digest=secret_digest(secret),
        submitted_by=actor if getattr(actor, "pk", None) and channel in OFFICER_CHANNELS else None,
        idempotency_scope=scope if key else "",
        idempotency_key=key,
        idempotency_fingerprint=fingerprint if key else "",
        submitted_at=at,
        language=(language or translation.get_language() or "id")[:5],
        lapor_tracking_id=lapor_tracking_id[:40],
    )
    if suggest and kind != ComplaintKind.WHISTLEBLOWING:
        _store_suggestion(complaint)
    workflow = stored_workflow_for(kind, resolution_class, policy)
    calendar = standard_calendar()
    officer = channel in OFFICER_CHANNELS
    try:
        with transaction.atomic():
            engine.start_case(
                complaint,
                workflow=workflow,
                event_model=ComplaintEvent,
                calendar=calendar,
                # The reporter's own steps carry no actor: an anonymous report names nobody.
                actor=actor if officer else None,
                actor_role=_officer_role(actor, complaint) if officer else CITIZEN,
                at=at,
            )
    except IntegrityError:
        earlier = _earlier(scope, key, fingerprint) if key else None
        if earlier is None:
            raise
        return ComplaintSubmission(earlier, None, created=False)
    for upload in checked:
        _store_attachment(complaint, upload, by_reporter=True, at=at)
    notices.complaint_received(complaint, secret)
    record_event(
        "complaints.submitted",
        actor=actor if officer else None,
        target=complaint,
        summary={
            "reference": complaint.reference,
            "kind": kind,
            "channel": channel,
            "category": category.slug,
            "anonymous": complaint.is_anonymous,
            "confidential": complaint.is_confidential,
            "attachments": len(checked),
        },
    )
    _maybe_dispose_automatically(complaint, policy, at)
    return ComplaintSubmission(complaint, secret, created=True)


def _check_submitter(channel: str, actor: Any, reporter: User | None) -> None:
    if channel not in Complaint.Channel.values:
        raise ValidationError(_("Unknown channel."), code="channel")
    if channel in OFFICER_CHANNELS:
        from layanan.complaints.permissions import is_staff

        if not is_staff(actor) or not _officer_roles(actor):
            raise PermissionDenied
        if reporter is not None:
            raise ValidationError(
                _("An officer enters the reporter's details, not an account."), code="reporter"
            )
    elif channel in {"web", "api"}:
        if getattr(actor, "is_authenticated", False):
            if getattr(actor, "kind", None) != User.Kind.CITIZEN or (
                reporter is not None and reporter.pk != actor.pk
            ):
                raise PermissionDenied
        elif reporter is not None:
            raise PermissionDenied


def _officer_roles(actor: Any) -> set[str]:
    from layanan.complaints.permissions import memberships_of

    return {role for role, *_ in memberships_of(actor)} & {COORDINATOR, INSPECTORATE, "front_office"}


def _officer_role(actor: Any, complaint: Complaint) -> str:
    roles = _officer_roles(actor)
    for role in (COORDINATOR, INSPECTORATE, "front_office"):
        if role in roles:
            return role
    return "staff"


def _earlier(scope: str, key: str, fingerprint: str) -> Complaint | None:
    earlier = Complaint.objects.filter(idempotency_scope=scope, idempotency_key=key).first()
    if earlier is not None and earlier.idempotency_fingerprint != fingerprint:
        raise ValidationError(
            _("This idempotency key was already used for a different report."), code="idempotency_key_reused"
        )
    return earlier


def _check_attachments(attachments: Sequence[Readable], errors: dict[str, list[Any]]) -> list[Any]:
    checked = []
    if len(attachments) > MAX_ATTACHMENTS:
        errors.setdefault("attachments", []).append(
            _("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS}
        )
        return []
    for upload in attachments:
        try:
            checked.append(check_upload(upload, max_bytes=MAX_ATTACHMENTS_BYTES))
        except ValidationError as error:
            errors.setdefault("attachments", []).extend(error.messages)
    if sum(c.size for c in checked) > MAX_ATTACHMENTS_BYTES:
        errors.setdefault("attachments", []).append(_("The attachments together may be at most 2 MB."))
    return checked


def _store_attachment(
    complaint: Complaint, checked: Any, *, by_reporter: bool, at: datetime
) -> ComplaintAttachment:
    attachment = ComplaintAttachment(
        complaint=complaint,
        display_name=checked.display_name,
        kind=checked.kind,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        added_at=at,
        added_by_reporter=by_reporter,
    )
    attachment.file.save(
        f"{checked.safe_name}.enc",
        ContentFile(encrypt_bytes(checked.content, context=attachment_context(attachment))),
        save=False,
    )
    attachment.save(force_insert=True)
    return attachment


def attachment_context(attachment: ComplaintAttachment) -> str:
    return f"complaint-attachment:{attachment.public_id}"


def _store_suggestion(complaint: Complaint) -> None:
    """The routing assistant's best guess, kept on the report for the coordinator."""
    from layanan.complaints.routing_store import suggestions_for

    suggestions = suggestions_for(complaint.title, complaint.body, complaint.region_id, limit=1)
    if not suggestions:
        return
    best = suggestions[0]
    complaint.suggested_agency_id = best.agency_id
    complaint.suggested_category_id = best.category_id
    complaint.suggestion_confidence = float(best.confidence)


def _maybe_dispose_automatically(complaint: Complaint, policy: ComplaintPolicy, at: datetime) -> None:
    threshold = policy.auto_dispose_confidence
    if (
        threshold is None
        or complaint.suggested_agency is None
        or complaint.suggestion_confidence is None
        or complaint.suggestion_confidence < threshold
        or complaint.kind == ComplaintKind.WHISTLEBLOWING
    ):
        return
    unit = complaint_unit_of(complaint.suggested_agency)  # loaded here only when confident
    if unit is None:
        return
    dispose_complaint(
        complaint,
        unit=unit,
        actor=SYSTEM_ACTOR,
        source=Disposition.Source.AUTOMATIC,
        confidence=complaint.suggestion_confidence,
        category=complaint.suggested_category,
        now=at,
    )


def complaint_unit_of(agency: Agency) -> ServiceUnit | None:
    """The unit that answers complaints for ``agency`` when none is chosen: its first active unit."""
    return agency.units.filter(is_active=True).order_by("pk").first()


# Transitions -------------------------------------------------------------------------------------


def _refuse(error: TransitionNotAllowed) -> Exception:
    if error.code == "role_not_allowed":
        return PermissionDenied(str(error))
    messages = {
        "wrong_state": _("This report has already moved on. Reload the page to see its state."),
        "condition_not_met": _("This step is not possible yet for this report."),
        "unknown_transition": _("Unknown step."),
        "unknown_state": _("Unknown state."),
    }
    return ValidationError(messages.get(error.code, _("This step is not possible.")), code=error.code)


def _roles(actor: Any, case: Complaint, tracking_secret: str | None) -> set[str]:
    if actor is SYSTEM_ACTOR:
        return {SYSTEM}
    return roles_for(actor, case, tracking_secret=tracking_secret)


def _calendar(case: Complaint) -> Any:
    return calendar_for_unit(case.unit) if case.unit is not None else standard_calendar()


@transaction.atomic
def transition_complaint(
    complaint: Complaint,
    key: str,
    *,
    actor: Any,
    note: str = "",
    tracking_secret: str | None = None,
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Complaint:
    """Take workflow step ``key``: the only way a report's state changes.

    Locks the row, checks the step against the report's workflow version and the actor's roles
    (a visitor proves they are the reporter with the tracking secret), writes the timeline and
    audit events, recomputes the deadlines and schedules the reporter's notification.
    """
    case = engine.lock_case(Complaint, complaint.pk)
    roles = _roles(actor, case, tracking_secret)
    if not roles:
        raise PermissionDenied
    definition = case.definition()
    try:
        transition = definition.transition(key, case.state, roles, set())
    except TransitionNotAllowed as error:
        raise _refuse(error) from error
    actor_role = next(role for role in _role_order(roles) if role in transition.roles)
    reporter_step = actor_role == CITIZEN
    try:
        outcome = engine.transition_case(
            case,
            key,
            roles=roles,
            facts=set(),
            # The reporter's own steps carry no actor: an anonymous report names nobody.
            actor=None if reporter_step or actor is SYSTEM_ACTOR else actor,
            actor_role=actor_role,
            event_model=ComplaintEvent,
            calendar=_calendar(case),
            note=note,
            data=data,
            now=now,
        )
    except TransitionNotAllowed as error:
        raise _refuse(error) from error
    _stamp(case, outcome.transition.target, outcome.event.at)
    notices.state_changed(case, outcome.event)
    record_event(
        f"complaints.{key}",
        actor=None if reporter_step or actor is SYSTEM_ACTOR else actor,
        target=case,
        summary={"from": outcome.from_state, "to": outcome.transition.target, "role": actor_role},
    )
    complaint.__dict__.update({k: v for k, v in case.__dict__.items() if not k.startswith("_")})
    return case


def _role_order(roles: Iterable[str]) -> list[str]:
    preferred = [CITIZEN, INSPECTORATE, COORDINATOR, "unit_head", "back_office", SYSTEM]
    return [r for r in preferred if r in roles] + sorted(set(roles) - set(preferred))


def _stamp(case: Complaint, target: str, at: datetime) -> None:
    fields: list[str] = []
    if target == "verifying" and case.verified_at is None:
        case.verified_at = at
        fields.append("verified_at")
    if target == "disposed":
        case.disposed_at = case.disposed_at or at
        fields.append("disposed_at")
    if target == "answered":
        case.answered_at = at
        fields.append("answered_at")
        if case.first_answered_at is None:
            case.first_answered_at = at
            calendar = _calendar(case)
            started = case.disposed_at or case.submitted_at
            case.first_answer_working_days = max(0, calendar.working_days_between(started, at))
            limit = _alarm(case.definition(), "first_answer") or _alarm(case.definition(), "kip_answer")
            days = limit.working_days if limit else 5
            case.answered_on_time = calendar.local_date(at) <= calendar.add_working_days(started, days)
            fields += ["first_answered_at", "first_answer_working_days", "answered_on_time"]
    if target == "resolved":
        case.resolved_at = at
        fields.append("resolved_at")
    if target == "in_progress" and case.resolved_at is not None:
        case.resolved_at = None
        fields.append("resolved_at")
    if target in {"closed", "archived", "rerouted"}:
        case.closed_at = at
        fields.append("closed_at")
    if fields:
        case.save(update_fields=[*fields, "updated_at"])


def available_transitions(
    user: Any, complaint: Complaint, *, tracking_secret: str | None = None
) -> list[Any]:
    """The steps ``user`` may take on the report now (buttons, the API)."""
    roles = roles_for(user, complaint, tracking_secret=tracking_secret)
    if not roles:
        return []
    steps = complaint.definition().allowed_transitions(complaint.state, roles, set())
    # Disposition, answering and rating have their own forms and actions.
    return steps


@transaction.atomic
def dispose_complaint(
    complaint: Complaint,
    *,
    unit: ServiceUnit,
    actor: Any,
    note: str = "",
    resolution_class: str | None = None,
    category: ComplaintCategory | None = None,
    source: str = Disposition.Source.MANUAL,
    confidence: float | None = None,
    now: datetime | None = None,
) -> Complaint:
    """Hand the report to an agency's unit (*disposisi*), from verification or after the previous
    unit said it is not theirs. Starts the verification first if nobody has; keeps the chain;
    sets the resolution class (and with it the resolution deadline of the policy)."""
    case = engine.lock_case(Complaint, complaint.pk)
    roles = _roles(actor, case, None)
    if actor is SYSTEM_ACTOR:
        roles = {COORDINATOR}
    if not roles & {COORDINATOR, INSPECTORATE}:
        raise PermissionDenied
    if not unit.is_active or not unit.agency.is_active:
        raise ValidationError(_("This unit does not take reports at the moment."), code="unit")
    if case.kind == ComplaintKind.WHISTLEBLOWING and not _is_inspectorate_unit(unit, case):
        raise ValidationError(_("Reports of illegal charges stay with the inspectorate."), code="protected")
    if resolution_class is not None and resolution_class not in ResolutionClass.values:
        raise ValidationError(_("Choose a resolution class."), code="resolution_class")
    at = now or timezone.now()
    by = None if actor is SYSTEM_ACTOR else actor
    if case.state == "submitted":
        _system_aware_transition(case, "start_verification", actor, roles, at)
    chosen_class = resolution_class or case.resolution_class
    if chosen_class != case.resolution_class and case.kind != ComplaintKind.INFORMATION:
        # The class decides the resolution deadline: the report moves to that tier's workflow
        # (same states and transitions, another number of days).
        case.resolution_class = chosen_class
        case.workflow = stored_workflow_for(case.kind, chosen_class, policy_for(case.region))
    if category is not None and category.pk != case.category_id and not category.is_protected:
        case.category = category
    previous_agency = case.agency
    case.agency = unit.agency
    case.unit = unit
    case.save(update_fields=["resolution_class", "workflow", "category", "agency", "unit", "updated_at"])
    Disposition.objects.create(
        complaint=case,
        from_agency=previous_agency,
        to_agency=unit.agency,
        to_unit=unit,
        category=case.category,
        source=source,
        confidence=confidence,
        at=at,
        by=by,
        note=note.strip(),
    )
    _system_aware_transition(
        case, "dispose", actor, roles, at, note=note, data={"unit": unit.slug, "agency": unit.agency.slug}
    )
    complaint.__dict__.update({k: v for k, v in case.__dict__.items() if not k.startswith("_")})
    return case


def _is_inspectorate_unit(unit: ServiceUnit, case: Complaint) -> bool:
    from layanan.accounts.models import StaffMembership

    return StaffMembership.objects.active().filter(role=INSPECTORATE, agency_id=unit.agency_id).exists()


def _system_aware_transition(
    case: Complaint,
    key: str,
    actor: Any,
    roles: set[str],
    at: datetime,
    *,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """A step inside another action on a locked case (roles already checked by the caller)."""
    definition = case.definition()
    try:
        transition = definition.transition(key, case.state, roles, set())
    except TransitionNotAllowed as error:
        raise _refuse(error) from error
    actor_role = next(role for role in _role_order(roles) if role in transition.roles)
    outcome = engine.transition_case(
        case,
        key,
        roles=roles,
        facts=set(),
        actor=None if actor is SYSTEM_ACTOR else actor,
        actor_role=SYSTEM if actor is SYSTEM_ACTOR else actor_role,
        event_model=ComplaintEvent,
        calendar=_calendar(case),
        note=note,
        data=data,
        now=at,
    )
    _stamp(case, transition.target, at)
    notices.state_changed(case, outcome.event)
    record_event(
        f"complaints.{key}",
        actor=None if actor is SYSTEM_ACTOR else actor,
        target=case,
        summary={"from": outcome.from_state, "to": transition.target, "role": actor_role, **(data or {})},
    )


@transaction.atomic
def mark_not_authority(
    complaint: Complaint, *, actor: Any, note: str, now: datetime | None = None
) -> Complaint:
    """The receiving unit (or the coordinator) says the report is not theirs: it goes back to the
    coordinator to dispose again, and the disposition no longer teaches the routing assistant."""
    case = transition_complaint(complaint, "mark_not_authority", actor=actor, note=note, now=now)
    last = case.dispositions.order_by("-at", "-id").first()
    if last is not None and last.is_accepted:
        last.is_accepted = False
        last.save(update_fields=["is_accepted"])
    return case


@transaction.atomic
def answer_complaint(
    complaint: Complaint, *, actor: Any, note: str, now: datetime | None = None
) -> Complaint:
    """The unit answers the reporter (the answer is public when the report is)."""
    case = engine.lock_case(Complaint, complaint.pk)
    if case.state == "disposed" and roles_for(actor, case) & {"back_office", "unit_head"}:
        transition_complaint(case, "start_work", actor=actor, now=now)
    return transition_complaint(case, "answer", actor=actor, note=note, now=now)


@transaction.atomic
def rate_complaint(
    complaint: Complaint,
    *,
    rating: int,
    comment: str = "",
    actor: Any,
    tracking_secret: str | None = None,
    now: datetime | None = None,
) -> Complaint:
    """The reporter rates the answer (1-5). A rating at or below the policy's threshold reopens
    the report with the comment as the reason."""
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Choose a rating from 1 to 5.")]}, code="rating")
    comment = comment.strip()[:2000]
    policy = policy_for(complaint.region)
    reopen = rating <= policy.reopen_rating_at_most
    if reopen and not comment:
        raise ValidationError(
            {"comment": [_("Tell us what is still wrong, so the unit can work on it again.")]}, code="comment"
        )
    case = transition_complaint(
        complaint, "rate", actor=actor, tracking_secret=tracking_secret, data={"rating": rating}, now=now
    )
    case.rating = rating
    case.rating_comment = comment
    case.save(update_fields=["rating", "rating_comment", "updated_at"])
    if reopen:
        case = transition_complaint(
            case, "reopen", actor=actor, tracking_secret=tracking_secret, note=comment, now=now
        )
    return case


@transaction.atomic
def add_attachments(
    complaint: Complaint,
    uploads: Sequence[Readable],
    *,
    actor: Any,
    tracking_secret: str | None = None,
    now: datetime | None = None,
) -> list[ComplaintAttachment]:
    """More photos or documents: the reporter's (e.g. requested information) or the unit's."""
    case = engine.lock_case(Complaint, complaint.pk)
    roles = roles_for(actor, case, tracking_secret=tracking_secret)
    if not roles:
        raise PermissionDenied
    if not case.is_open:
        raise ValidationError(_("This report is closed."), code="closed")
    errors: dict[str, list[Any]] = {}
    checked = _check_attachments(uploads, errors)
    existing = sum(a.size for a in case.attachments.all())
    if existing + sum(c.size for c in checked) > MAX_ATTACHMENTS_BYTES * 2:
        errors.setdefault("attachments", []).append(_("This report has no room for more attachments."))
    if errors:
        raise ValidationError(errors, code="invalid")
    at = now or timezone.now()
    by_reporter = CITIZEN in roles
    stored = [_store_attachment(case, c, by_reporter=by_reporter, at=at) for c in checked]
    engine.add_timeline_event(
        case,
        TimelineEvent.Kind.DOCUMENT,
        event_model=ComplaintEvent,
        actor=None if by_reporter else actor,
        actor_role=CITIZEN if by_reporter else "staff",
        is_public=True,
        data={"count": len(stored)},
        at=at,
    )
    record_event(
        "complaints.attachments_added",
        actor=None if by_reporter else actor,
        target=case,
        summary={"count": len(stored), "by_reporter": by_reporter},
    )
    return stored


@transaction.atomic
def support_complaint(complaint: Complaint, *, actor: Any, now: datetime | None = None) -> bool:
    """A signed-in citizen supports an existing public report instead of filing a duplicate.
    Returns False when they had already supported it (or it is their own)."""
    if not getattr(actor, "is_authenticated", False) or getattr(actor, "kind", None) != User.Kind.CITIZEN:
        raise PermissionDenied
    if not complaint.is_public or not complaint.is_open:
        raise ValidationError(_("This report cannot be supported."), code="not_public")
    if is_reporter(actor, complaint):
        return False
    try:
        with transaction.atomic():
            ComplaintSupport.objects.create(
                complaint=complaint, supporter_index=reporter_index_of(actor), at=now or timezone.now()
            )
    except IntegrityError:
        return False
    Complaint.objects.filter(pk=complaint.pk).update(support_count=F("support_count") + 1)
    record_event("complaints.supported", actor=None, target=complaint, summary={})
    return True


# Scheduled work ----------------------------------------------------------------------------------


def escalate_overdue_complaints(*, now: datetime | None = None) -> int:
    """Escalate missed deadlines: at once to the coordinators of the report's regency (level 1),
    and to the inspectorate when a deadline is still missed ``inspectorate_after_working_days``
    later (level 2). Each deadline escalates once per level, however often this runs."""
    escalated = 0
    candidates = engine.overdue_candidates(Complaint.objects.all(), standard_calendar(), now)
    for pk in candidates.values_list("pk", flat=True).iterator():
        escalated += _escalate_one(pk, now=now)
    return escalated


@transaction.atomic
def _escalate_one(pk: int, *, now: datetime | None) -> int:
    case = engine.lock_case(Complaint, pk)
    at = now or timezone.now()
    calendar = _calendar(case)
    due = engine.escalate_case(case, event_model=ComplaintEvent, calendar=calendar, now=at)
    if due:
        level = 2 if case.kind == ComplaintKind.WHISTLEBLOWING else 1
        case.escalation_level = max(case.escalation_level, level)
        case.save(update_fields=["escalation_level"])
        notices.escalated(case, due, level=level)
        record_event(
            "complaints.escalated",
            actor=None,
            target=case,
            summary={"deadlines": [d.key for d in due], "level": level, "state": case.state},
        )
    # Level 2: a deadline escalated to the coordinator and still missed some working days later.
    policy = policy_for(case.region)
    history = engine.history_of(case, ComplaintEvent)
    deadlines = engine.deadlines_of(case, history, calendar, at)
    late = [
        d
        for d in deadlines.all()
        if d.overdue
        and not d.stopped
        and d.key in case.escalated_keys
        and f"inspectorate:{d.key}" not in case.escalated_keys
        and -d.working_days_left >= policy.inspectorate_after_working_days
    ]
    if late:
        for deadline in late:
            engine.add_timeline_event(
                case,
                TimelineEvent.Kind.ESCALATION,
                event_model=ComplaintEvent,
                actor=None,
                actor_role=SYSTEM,
                data={"deadline": deadline.key, "level": 2, "due": deadline.due.isoformat()},
                at=at,
            )
        case.escalated_keys = [*case.escalated_keys, *(f"inspectorate:{d.key}" for d in late)]
        case.escalation_level = 2
        case.save(update_fields=["escalated_keys", "escalation_level"])
        notices.escalated(case, late, level=2)
        record_event(
            "complaints.escalated",
            actor=None,
            target=case,
            summary={"deadlines": [d.key for d in late], "level": 2, "state": case.state},
        )
    return len(due) + len(late)


def close_reply_windows(*, now: datetime | None = None) -> int:
    """Answered reports whose reporter neither replied nor rated within the reply window of their
    region's policy are resolved; resolved reports are closed once the same window has passed
    again (until then the reporter or the coordinator can still reopen them)."""
    at = now or timezone.now()
    shortest = min([p.reply_days for p in ComplaintPolicy.objects.all()] or [ComplaintPolicy().reply_days])
    moved = 0
    for state, key in (("answered", "reply_window_passed"), ("resolved", "close")):
        candidates = Complaint.objects.filter(
            state=state, state_entered_at__lt=at - timedelta(days=shortest)
        ).select_related("region")
        for complaint in candidates.only("pk", "state_entered_at", "region"):
            window = timedelta(days=policy_for(complaint.region).reply_days)
            if complaint.state_entered_at < at - window:
                moved += _run_system_step(complaint.pk, key, at)
    return moved


@transaction.atomic
def _run_system_step(pk: int, key: str, at: datetime) -> int:
    case = engine.lock_case(Complaint, pk)
    try:
        transition_complaint(case, key, actor=SYSTEM_ACTOR, now=at)
    except (ValidationError, PermissionDenied):
        return 0
    return 1


# SP4N-LAPOR! -------------------------------------------------------------------------------------


@transaction.atomic
def forward_to_lapor(
    complaint: Complaint, *, actor: Any, note: str = "", now: datetime | None = None
) -> Complaint:
    """Send the report to SP4N-LAPOR! (the national system) and keep its tracking id. The report
    is closed here as forwarded outside the platform. Anonymous reports go without identity."""
    from layanan.complaints.lapor import lapor_gateway

    case = engine.lock_case(Complaint, complaint.pk)
    if not staff_roles_for(actor, case) & {COORDINATOR, INSPECTORATE}:
        raise PermissionDenied
    if case.kind == ComplaintKind.WHISTLEBLOWING:
        raise ValidationError(_("Reports of illegal charges stay with the inspectorate."), code="protected")
    if case.lapor_tracking_id:
        raise ValidationError(_("This report was already forwarded to SP4N-LAPOR!."), code="forwarded")
    # The step must be possible before anything leaves the platform.
    try:
        case.definition().transition("reroute", case.state, staff_roles_for(actor, case), set())
    except TransitionNotAllowed as error:
        raise _refuse(error) from error
    external_id = lapor_gateway().forward(case)
    case.lapor_tracking_id = external_id
    case.lapor_forwarded_at = now or timezone.now()
    case.save(update_fields=["lapor_tracking_id", "lapor_forwarded_at", "updated_at"])
    return transition_complaint(
        case,
        "reroute",
        actor=actor,
        note=note or str(_("Forwarded to SP4N-LAPOR! (%(id)s).") % {"id": external_id}),
        data={"lapor_tracking_id": external_id},
        now=now,
    )


def settings_site_url() -> str:
    return str(settings.LAYANAN_SITE_URL).rstrip("/")
