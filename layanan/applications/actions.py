"""Writes of applications. Every state change of an application goes through
``transition_application``; creation through ``submit_application``.

Each action runs in one transaction, checks the actor's right, writes its audit event in that
transaction and schedules notifications for after the commit.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from layanan.accounts.actions.profile import is_unreachable_walk_in_account, take_over_walk_in_profile
from layanan.accounts.models import CitizenProfile, StaffMembership, User
from layanan.accounts.nik import validate_nik
from layanan.accounts.roles import Role
from layanan.applications import notices
from layanan.applications.formspec import FieldKind, FormSpec, default_form, validate_answers
from layanan.applications.models import (
    Application,
    ApplicationDocument,
    ApplicationDraft,
    ApplicationEvent,
    ServiceConfig,
)
from layanan.audit.actions import record_event
from layanan.catalog.models import Service
from layanan.catalog.standard import PublishedComponents
from layanan.core.crypto import blind_index
from layanan.core.references import secret_digest, tracking_secret
from layanan.survey.actions import invite_after_application
from layanan.vault.models import VaultDocument
from layanan.workdays.queries import calendar_for_unit
from layanan.workflow import engine
from layanan.workflow.defaults import APPLICATION_WORKFLOW, CITIZEN
from layanan.workflow.definition import TransitionNotAllowed, WorkflowDefinition
from layanan.workflow.models import TimelineEvent

WORKFLOW_SCOPE = "application:service:{pk}"
# A finished application invites its applicant to the satisfaction survey (SKM).
SURVEYED_STATES = frozenset({"completed", "rejected"})
_WORD_RE = re.compile(r"[a-z]+")
_SMALL_WORDS = frozenset({"dan", "di", "ke", "dari", "untuk", "atau", "yang", "the", "of", "and"})


class ServiceNotOpen(ValidationError):
    """The service takes no applications online (no adopted standard, inactive, counter only)."""


# Service configuration ---------------------------------------------------------------------------


def workflow_scope(service: Service) -> str:
    return WORKFLOW_SCOPE.format(pk=service.pk)


def seeded_workflow(components: PublishedComponents) -> WorkflowDefinition:
    """The default application workflow with the standard's completion time as overall deadline,
    counted from the complete application when the standard says so."""
    time = components.completion_time
    days = time.value if time.unit == "working_days" else 1
    # "Counted from the complete application": the clock starts when the check accepts it.
    starts_at = "processing" if time.starts_when_complete else None
    return dataclasses.replace(
        APPLICATION_WORKFLOW, overall_deadline_working_days=days, overall_starts_at=starts_at
    )


def reference_prefix_for(service: Service) -> str:
    """2 to 6 capitals from the service's slug: initials of its words (``PBG`` for
    ``persetujuan-bangunan-gedung``), padded from the first word when there are too few."""
    words = [w for w in _WORD_RE.findall(service.slug.lower()) if w not in _SMALL_WORDS] or ["layanan"]
    prefix = "".join(word[0] for word in words)[:6]
    if len(prefix) < 2:
        prefix = (prefix + words[0][1:])[:3]
    if len(prefix) < 2:
        prefix = (prefix + "XX")[:2]
    return prefix.upper()


@transaction.atomic
def ensure_service_config(service: Service) -> ServiceConfig:
    """The service's application settings, seeded from its adopted standard on first use."""
    existing = ServiceConfig.objects.select_related("workflow").filter(service=service).first()
    if existing is not None:
        return existing
    standard = service.adopted_standard
    components = standard.components() if standard is not None else None
    if components is None:
        raise ServiceNotOpen(_("This service has no adopted standard yet."), code="no_standard")
    workflow = engine.store_workflow(workflow_scope(service), seeded_workflow(components), actor=None)
    try:
        with transaction.atomic():
            return ServiceConfig.objects.create(
                service=service,
                reference_prefix=reference_prefix_for(service),
                form=default_form(components).model_dump(mode="json"),
                workflow=workflow,
            )
    except IntegrityError:
        return ServiceConfig.objects.select_related("workflow").get(service=service)


def form_of(config: ServiceConfig) -> FormSpec:
    return FormSpec.model_validate(config.form)


@transaction.atomic
def update_service_workflow(service: Service, definition: WorkflowDefinition, *, actor: Any) -> ServiceConfig:
    """Store a new version of a service's workflow (unit head or platform admin of its unit).
    Cases already running keep the version they started with."""
    from layanan.applications.permissions import can_configure_service

    if not can_configure_service(actor, service):
        raise PermissionDenied
    config = ServiceConfig.objects.select_for_update().get(pk=ensure_service_config(service).pk)
    stored = engine.store_workflow(workflow_scope(service), definition, actor=actor)
    if stored.pk != config.workflow_id:
        config.workflow = stored
        config.save(update_fields=["workflow", "updated_at"])
        record_event(
            "applications.workflow_updated",
            actor=actor,
            target=config,
            summary={"service": service.slug, "version": stored.version},
        )
    return config


# References --------------------------------------------------------------------------------------


def next_reference(prefix: str, year: int) -> str:
    """The next application reference of ``prefix`` in ``year`` (the shared case counter)."""
    return engine.next_reference(prefix, year)


# Roles -------------------------------------------------------------------------------------------


def roles_for(user: Any, application: Application) -> set[str]:
    """The workflow roles ``user`` holds for this application: ``citizen`` for the applicant,
    and the staff roles held in the application's unit (or agency-wide in its agency)."""
    roles: set[str] = set()
    if not getattr(user, "is_authenticated", False):
        return roles
    if application.applicant_id is not None and application.applicant_id == user.pk:
        roles.add(CITIZEN)
    if getattr(user, "kind", None) == User.Kind.STAFF:
        unit = application.unit
        memberships = StaffMembership.objects.active().filter(user=user, agency_id=unit.agency_id)
        for role, unit_id in memberships.values_list("role", "unit_id"):
            if unit_id is None or unit_id == unit.pk:
                roles.add(role)
    return roles


def facts_for(application: Application) -> set[str]:
    facts: set[str] = set()
    if application.has_fee:
        facts.add("fee")
        if application.bills.filter(status="paid").exists():
            facts.add("paid")
    return facts


# Submission --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Submission:
    application: Application
    # The tracking secret, shown once (None when a retry found the earlier submission).
    secret: str | None
    created: bool


def _fingerprint(service: Service, answers: Mapping[str, Any]) -> str:
    body = json.dumps({"service": service.slug, "answers": answers}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


@transaction.atomic
def submit_application(
    *,
    service: Service,
    applicant: User | None,
    answers: Mapping[str, Any],
    actor: Any,
    channel: str = Application.Channel.ONLINE,
    idempotency_key: str = "",
    consent: bool = False,
    now: Any = None,
) -> Submission:
    """Create an application from complete answers and start its workflow.

    * Online (``channel="online"``): ``actor`` is the applicant, a signed-in citizen.
    * At the counter: ``actor`` is a front-office officer of the service's unit and ``consent``
      records that the citizen agreed; ``applicant`` is the citizen's account.
    * API: ``actor`` is the API client (a citizen token: themselves).

    Document answers are vault ids of the applicant's documents; each is shared into the
    application (recorded). A second call with the same ``idempotency_key`` by the same actor
    returns the first application (``created=False``); the same key with other answers is refused.
    """
    from layanan.applications.permissions import can_register_for_citizen

    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    if channel == Application.Channel.COUNTER:
        if not can_register_for_citizen(actor, service):
            raise PermissionDenied
        if not consent:
            raise ValidationError(_("Record the citizen's consent before applying for them."), code="consent")
        if applicant is None:
            raise ValidationError(_("Find or register the citizen first."), code="applicant")
    elif applicant is None or applicant.pk != actor.pk or not applicant.is_citizen:
        raise PermissionDenied
    if not service.is_active:
        raise ServiceNotOpen(_("This service is not offered at the moment."), code="inactive")
    if channel != Application.Channel.COUNTER and not service.is_online:
        raise ServiceNotOpen(_("This service is only available at the counter."), code="counter_only")

    fingerprint = _fingerprint(service, answers)
    key = idempotency_key.strip()[:80]
    if key:
        earlier = Application.objects.filter(submitted_by=actor, idempotency_key=key).defer("answers").first()
        if earlier is not None:
            if earlier.idempotency_fingerprint != fingerprint:
                raise ValidationError(
                    _("This idempotency key was already used for a different application."),
                    code="idempotency_key_reused",
                )
            return Submission(earlier, None, created=False)

    config = ensure_service_config(service)
    spec = form_of(config)
    owner_documents = _chosen_vault_documents(spec, answers, owner=applicant)
    cleaned, errors = validate_answers(spec, answers, known_documents=set(owner_documents))
    if errors:
        raise ValidationError(dict(errors), code="invalid")

    standard = service.adopted_standard
    components = standard.components() if standard is not None else None
    if standard is None or components is None:
        raise ServiceNotOpen(_("This service has no adopted standard yet."), code="no_standard")
    at = now or timezone.now()
    secret = tracking_secret()
    application = Application(
        reference=next_reference(config.reference_prefix, timezone.localtime(at).year),
        service=service,
        standard=standard,
        unit=service.unit,
        channel=channel,
        applicant=applicant,
        submitted_by=actor,
        submitted_at=at,
        answers=json.dumps(cleaned, ensure_ascii=False, sort_keys=True),
        applicant_nik_index=_nik_index(spec, cleaned),
        tracking_secret_digest=secret_digest(secret),
        idempotency_key=key,
        idempotency_fingerprint=fingerprint if key else "",
        consent_recorded_at=at if consent else None,
        fee_amount=0 if components.fee.is_free else sum(item.amount for item in components.fee.items),
        language=translation.get_language() or "id",
    )
    # Read before the savepoint below: inside one the calendar is read afresh from the database.
    calendar = calendar_for_unit(service.unit)
    try:
        with transaction.atomic():
            engine.start_case(
                application,
                workflow=config.workflow,
                event_model=ApplicationEvent,
                calendar=calendar,
                actor=actor,
                actor_role=CITIZEN
                if channel != Application.Channel.COUNTER
                else str(Role.FRONT_OFFICE.value),
                at=at,
            )
    except IntegrityError:
        # Two requests with the same key at once: the other one committed first (PostgreSQL makes
        # this insert wait for it), so hand back its application like any retry.
        earlier = Application.objects.filter(submitted_by=actor, idempotency_key=key).first() if key else None
        if earlier is None:
            raise
        if earlier.idempotency_fingerprint != fingerprint:
            raise ValidationError(
                _("This idempotency key was already used for a different application."),
                code="idempotency_key_reused",
            ) from None
        return Submission(earlier, None, created=False)
    shared = _share_documents(application, spec, cleaned, owner_documents, actor=actor, at=at)
    if applicant is not None:
        ApplicationDraft.objects.filter(applicant=applicant, service=service).delete()
    notices.application_received(application, secret)
    record_event(
        "applications.submitted",
        actor=actor,
        target=application,
        summary={
            "reference": application.reference,
            "service": service.slug,
            "channel": channel,
            "documents_shared": len(shared),
            "consent": bool(consent),
        },
    )
    return Submission(application, secret, created=True)


def _nik_index(spec: FormSpec, cleaned: Mapping[str, Any]) -> str:
    """The blind index of the applicant's NIK in the answers ("" when the form asks none)."""
    nik = next(
        (str(cleaned[f.key]) for f in spec.fields() if f.kind == FieldKind.NIK and cleaned.get(f.key)), ""
    )
    return blind_index(nik, purpose="nik") if nik else ""


def _share_documents(
    application: Application,
    spec: FormSpec,
    cleaned: Mapping[str, Any],
    documents: Mapping[str, VaultDocument],
    *,
    actor: Any,
    at: Any,
    skip: set[tuple[str, str]] | None = None,
) -> list[ApplicationDocument]:
    """Record the vault documents the answers name as shared into the application (one row per
    field and document; ``skip``: (field, document id) pairs already shared)."""
    shared = [
        ApplicationDocument(
            application=application,
            field_key=item.key,
            vault_document=documents[str(cleaned[item.key])],
            shared_at=at,
            shared_by=actor,
        )
        for item in spec.fields()
        if item.kind == FieldKind.DOCUMENT
        and cleaned.get(item.key)
        and (item.key, str(cleaned[item.key])) not in (skip or set())
    ]
    return ApplicationDocument.objects.bulk_create(shared)


def _chosen_vault_documents(
    spec: FormSpec, answers: Mapping[str, Any], *, owner: Any
) -> dict[str, VaultDocument]:
    """The owner's current vault documents that the document answers name (by public id)."""
    wanted: set[uuid.UUID] = set()
    for item in spec.fields():
        if item.kind != FieldKind.DOCUMENT:
            continue
        try:
            wanted.add(uuid.UUID(str(answers.get(item.key) or "")))
        except ValueError:
            continue
    if not wanted or owner is None:
        return {}
    found = VaultDocument.objects.current().filter(owner=owner, public_id__in=wanted)
    return {str(doc.public_id): doc for doc in found}


@transaction.atomic
def save_draft(
    *, service: Service, applicant: User, answers: Mapping[str, Any], documents: Mapping[str, str]
) -> ApplicationDraft:
    """Save (create or update) the applicant's draft for a service. Drafts are the citizen's
    own working copy: not audited (nothing has been given to the agency yet)."""
    if not applicant.is_authenticated or not applicant.is_citizen:
        raise PermissionDenied
    draft, _created = ApplicationDraft.objects.select_for_update().get_or_create(
        applicant=applicant, service=service
    )
    draft.answers = json.dumps(dict(answers), ensure_ascii=False, sort_keys=True)
    draft.documents = dict(documents)
    draft.save()
    return draft


@transaction.atomic
def discard_draft(draft: ApplicationDraft, *, actor: Any) -> None:
    if draft.applicant_id != getattr(actor, "pk", None):
        raise PermissionDenied
    ApplicationDraft.objects.filter(pk=draft.pk).delete()


# Transitions -------------------------------------------------------------------------------------


def _refuse(error: TransitionNotAllowed) -> Exception:
    if error.code == "role_not_allowed":
        return PermissionDenied(str(error))
    messages = {
        "wrong_state": _("This application has already moved on. Reload the page to see its state."),
        "condition_not_met": _("This step is not possible yet for this application."),
        "unknown_transition": _("Unknown step."),
        "unknown_state": _("Unknown state."),
    }
    return ValidationError(messages.get(error.code, _("This step is not possible.")), code=error.code)


@transaction.atomic
def transition_application(
    application: Application, key: str, *, actor: Any, note: str = "", now: Any = None
) -> Application:
    """Take workflow step ``key`` on an application: the only way its state changes.

    Locks the row, checks the step against the application's workflow version, the actor's roles
    for this application and the conditions (fee, paid), writes the timeline and audit events,
    recomputes the deadlines, runs the step's side effects (a bill when payment is requested, the
    signed output document when it is issued) and schedules the applicant's notification.
    """
    case = engine.lock_case(Application, application.pk)
    roles = roles_for(actor, case)
    if not roles:
        raise PermissionDenied
    definition = case.definition()
    try:
        transition = definition.transition(key, case.state, roles, facts_for(case))
    except TransitionNotAllowed as error:
        raise _refuse(error) from error
    actor_role = next(role for role in sorted(roles) if role in transition.roles)
    try:
        outcome = engine.transition_case(
            case,
            key,
            roles=roles,
            facts=facts_for(case),
            actor=actor,
            actor_role=actor_role,
            event_model=ApplicationEvent,
            calendar=calendar_for_unit(case.unit),
            note=note,
            now=now,
        )
    except TransitionNotAllowed as error:
        raise _refuse(error) from error
    target = definition.state(outcome.transition.target)
    at = outcome.event.at
    if target.key in {"approved", "rejected"}:
        case.decided_at = at
    if target.is_final:
        case.closed_at = at
    case.save(update_fields=["decided_at", "closed_at", "updated_at"])
    if target.key in SURVEYED_STATES:
        # One satisfaction-survey invitation per finished application (idempotent per reference).
        invite_after_application(
            reference=case.reference,
            unit=case.unit,
            service=case.service,
            actor=actor,
            today=timezone.localdate(at),
        )
    if target.key == "awaiting_payment":
        from layanan.applications.billing import open_bill

        open_bill(case, actor=actor)
    if target.key == "output_issued":
        from layanan.applications.outputs import issue_output_document

        issue_output_document(case, actor=actor)
    notices.state_changed(case, outcome.event)
    record_event(
        f"applications.{key}",
        actor=actor,
        target=case,
        summary={
            "from": outcome.from_state,
            "to": target.key,
            "role": actor_role,
            "with_note": bool(note.strip()),
        },
    )
    return case


def available_transitions(user: Any, application: Application) -> list[Any]:
    """The steps ``user`` may take on the application now (for buttons and the API)."""
    roles = roles_for(user, application)
    if not roles:
        return []
    return application.definition().allowed_transitions(application.state, roles, facts_for(application))


# Assignment --------------------------------------------------------------------------------------


@transaction.atomic
def assign_application(application: Application, *, assignee: User | None, actor: Any) -> Application:
    """Give the case to an officer of its unit (or take it back: ``assignee=None``).

    Officers of the unit may take a case themselves; the unit head may give it to anyone of the
    unit.
    """
    from layanan.applications.permissions import can_assign, is_unit_officer

    case = engine.lock_case(Application, application.pk)
    if not can_assign(actor, case, assignee):
        raise PermissionDenied
    if assignee is not None and not is_unit_officer(assignee, case.unit):
        raise ValidationError(
            _("This person does not work in the unit of this application."), code="assignee"
        )
    if case.assigned_to_id == getattr(assignee, "pk", None):
        return case
    previous = case.assigned_to_id
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to", "updated_at"])
    engine.add_timeline_event(
        case,
        TimelineEvent.Kind.ASSIGNMENT,
        event_model=ApplicationEvent,
        actor=actor,
        actor_role="staff",
        data={"assignee": getattr(assignee, "username", None)},
    )
    record_event(
        "applications.assigned",
        actor=actor,
        target=case,
        summary={"from_user_id": previous, "to_user_id": getattr(assignee, "pk", None)},
    )
    return case


# Escalation --------------------------------------------------------------------------------------


def escalate_overdue_applications(*, now: Any = None) -> int:
    """Escalate every overdue deadline of every open application to its unit head, once.

    Runs from the ``escalate_applications`` command (cron, or the task worker); each case is
    handled in its own transaction so one failure does not hold back the others.
    """
    from layanan.workdays.queries import standard_calendar

    escalated = 0
    candidates = engine.overdue_candidates(Application.objects.all(), standard_calendar(), now)
    for pk in candidates.values_list("pk", flat=True).iterator():
        escalated += _escalate_one(pk, now=now)
    return escalated


@transaction.atomic
def _escalate_one(pk: int, *, now: Any) -> int:
    case = engine.lock_case(Application, pk)
    due = engine.escalate_case(
        case, event_model=ApplicationEvent, calendar=calendar_for_unit(case.unit), now=now
    )
    if not due:
        return 0
    notices.escalated(case, due)
    record_event(
        "applications.escalated",
        actor=None,
        target=case,
        summary={"deadlines": [d.key for d in due], "state": case.state},
    )
    return len(due)


# Claims ------------------------------------------------------------------------------------------


@transaction.atomic
def claim_application(application: Application, *, secret: str, actor: Any, nik: str = "") -> Application:
    """A citizen takes over an application made for them at the counter: they know its tracking
    secret and the NIK in their profile is the applicant's NIK.

    A citizen registered at the counter without a phone has an account nobody can sign in to, and
    their NIK belongs to it. When the claimant's own profile has no NIK yet, they also type the
    NIK: if it is the application's and the application's account is such an unreachable walk-in
    account, its once-only data, applications and vault documents move to the claimant.
    """
    from layanan.core.references import check_secret

    if not getattr(actor, "is_authenticated", False) or not actor.is_citizen:
        raise PermissionDenied
    case = engine.lock_case(Application, application.pk)
    if not check_secret(secret, case.tracking_secret_digest):
        raise ValidationError(_("The reference number or the tracking code is not right."), code="secret")
    profile = CitizenProfile.objects.filter(user=actor).first()
    nik_matches = (
        profile is not None
        and bool(case.applicant_nik_index)
        and profile.nik_index == case.applicant_nik_index
    )
    if not nik_matches and not _take_over_walk_in(case, actor=actor, profile=profile, nik=nik):
        raise ValidationError(
            _("The NIK in your profile is not the NIK of this application. Check your profile first."),
            code="nik",
        )
    if case.applicant_id == actor.pk:
        return case
    previous = case.applicant_id
    case.applicant = actor
    case.save(update_fields=["applicant", "updated_at"])
    engine.add_timeline_event(
        case,
        TimelineEvent.Kind.NOTE,
        event_model=ApplicationEvent,
        actor=actor,
        actor_role=CITIZEN,
        is_public=True,
        data={"claimed": True},
    )
    record_event(
        "applications.claimed",
        actor=actor,
        target=case,
        summary={"from_user_id": previous, "to_user_id": actor.pk},
    )
    return case


def _take_over_walk_in(case: Application, *, actor: Any, profile: CitizenProfile | None, nik: str) -> bool:
    """Move an unreachable walk-in account's data to ``actor`` (see ``claim_application``)."""
    walk_in = case.applicant
    if walk_in is None or (profile is not None and profile.nik_index) or not nik.strip():
        return False
    try:
        typed = validate_nik(nik).nik
    except ValidationError:
        return False
    if not case.applicant_nik_index or blind_index(typed, purpose="nik") != case.applicant_nik_index:
        return False
    if not is_unreachable_walk_in_account(walk_in):
        return False
    take_over_walk_in_profile(walk_in, actor=actor)
    moved = Application.objects.filter(applicant=walk_in).exclude(pk=case.pk).update(applicant=actor)
    documents = VaultDocument.objects.filter(owner=walk_in).update(owner=actor)
    record_event(
        "applications.walk_in_account_merged",
        actor=actor,
        target=case,
        summary={
            "from_user_id": walk_in.pk,
            "applications_moved": moved + 1,
            "vault_documents_moved": documents,
        },
    )
    return True


# Corrections -------------------------------------------------------------------------------------


@transaction.atomic
def resubmit_application(application: Application, *, answers: Mapping[str, Any], actor: Any) -> Application:
    """The applicant corrects an application returned for correction and sends it back.

    The answers are checked like a new submission (documents: the applicant's current vault
    documents, or the ones already shared into this application for the same field), stored
    encrypted, newly chosen documents are shared (recorded; earlier shares stay on file) and the
    workflow step ``resubmit`` is taken, all in one transaction. The audit event names the changed
    fields only, never their values.
    """
    case = engine.lock_case(Application, application.pk)
    if CITIZEN not in roles_for(actor, case):
        raise PermissionDenied
    if case.state != "returned_for_correction":
        raise ValidationError(
            _("This application has already moved on. Reload the page to see its state."), code="wrong_state"
        )
    spec = form_of(ensure_service_config(case.service))
    owner_documents = {
        str(doc.public_id): doc for doc in VaultDocument.objects.current().filter(owner=case.applicant_id)
    }
    already_shared = {
        (share.field_key, str(share.vault_document.public_id)): share.vault_document
        for share in ApplicationDocument.objects.filter(application=case).select_related("vault_document")
    }
    known = set(owner_documents) | {public_id for _field, public_id in already_shared}
    cleaned, errors = validate_answers(spec, answers, known_documents=known)
    if errors:
        raise ValidationError(dict(errors), code="invalid")
    # A document shared for one field cannot be slipped into another unless it is still in the vault.
    for item in spec.fields():
        value = str(cleaned.get(item.key) or "")
        if (
            item.kind == FieldKind.DOCUMENT
            and value
            and value not in owner_documents
            and (item.key, value) not in already_shared
        ):
            raise ValidationError({item.key: [str(_("Choose one of your documents."))]}, code="invalid")

    before = case.answer_data()
    changed = sorted(key for key in set(before) | set(cleaned) if before.get(key) != cleaned.get(key))
    case.answers = json.dumps(cleaned, ensure_ascii=False, sort_keys=True)
    case.applicant_nik_index = _nik_index(spec, cleaned)
    case.save(update_fields=["answers", "applicant_nik_index", "updated_at"])
    at = timezone.now()
    shared = _share_documents(
        case, spec, cleaned, owner_documents, actor=actor, at=at, skip=set(already_shared)
    )
    record_event(
        "applications.corrected",
        actor=actor,
        target=case,
        summary={"reference": case.reference, "fields": changed, "documents_shared": len(shared)},
    )
    return transition_application(case, "resubmit", actor=actor)
