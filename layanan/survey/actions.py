"""Every write of the satisfaction survey. Each runs in one transaction and records its audit
event in it; the actor's right is checked again here, whatever the view did."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.accounts.models import ServiceUnit
from layanan.audit.actions import record_event
from layanan.catalog.models import Service
from layanan.core.logging import redact
from layanan.survey import permissions, queries
from layanan.survey.elements import ANSWER_VALUES, ELEMENT_KEYS
from layanan.survey.models import (
    Channel,
    FollowUpAction,
    SurveyInvitation,
    SurveyReport,
    SurveyResponse,
    UsedFormNonce,
)
from layanan.survey.periods import Period
from layanan.survey.tokens import counter_code, derived_token, normalise

PROFILE_FIELDS = queries.PROFILE_FIELDS


def _today() -> datetime.date:
    return timezone.localdate()


def _expiry(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.LAYANAN_SKM_INVITATION_DAYS)


# --- Invitations -----------------------------------------------------------------------------------


def application_source_key(reference: str) -> str:
    return f"application:{reference}"


def application_token(reference: str) -> str:
    return derived_token(application_source_key(reference))


@transaction.atomic
def invite_after_application(
    *, reference: str, unit: ServiceUnit, service: Service, actor: Any, today: datetime.date | None = None
) -> SurveyInvitation:
    """Invite the applicant of a finished application to answer once (idempotent per reference).

    Called by the applications app in the transaction that closes the application. The token is
    derived from the reference (``tokens.derived_token``), so the application's pages can show
    the link again: ``application_token(reference)``.
    """
    key = application_source_key(reference)
    existing = SurveyInvitation.objects.filter(source_key=key).first()
    if existing is not None:
        return existing
    today = today or _today()
    invitation = SurveyInvitation.objects.create(
        source=Channel.APPLICATION,
        source_key=key,
        token_digest=queries.token_digest(derived_token(key)),
        unit=unit,
        service=service,
        issued_on=today,
        expires_on=_expiry(today),
    )
    record_event("survey.invited", actor=actor, target=invitation, summary={"source": Channel.APPLICATION})
    return invitation


@transaction.atomic
def issue_counter_code(
    unit: ServiceUnit, *, service: Service | None, actor: Any, today: datetime.date | None = None
) -> tuple[SurveyInvitation, str]:
    """A one-time code for a person just served at the counter.

    The code is returned once, to be handed over or typed at the kiosk; only its digest is kept.
    """
    if not permissions.can_issue_code(actor, unit):
        raise PermissionDenied
    if service is not None and service.unit_id != unit.pk:
        raise ValidationError(_("Choose a service of this unit."), code="wrong_service")
    return _code_invitation(
        Channel.COUNTER, f"counter:{uuid.uuid4()}", unit=unit, service=service, actor=actor, today=today
    )


@transaction.atomic
def invite_after_queue_visit(
    *,
    ticket_key: str,
    unit: ServiceUnit,
    service: Service | None,
    actor: Any,
    audit_target: models.Model | None = None,
    today: datetime.date | None = None,
) -> tuple[SurveyInvitation, str]:
    """The one-time code for the person a queue ticket brought to the counter (one per ticket).

    Called by the queue in the transaction that closes the visit; the queue checked that the
    actor works that counter. ``audit_target`` (the ticket) puts this audit event in the same
    audit stream as the queue's own event of that transaction: two transactions that lock two
    streams in opposite orders deadlock on PostgreSQL.
    """
    return _code_invitation(
        Channel.QUEUE,
        f"queue:{ticket_key}",
        unit=unit,
        service=service,
        actor=actor,
        today=today,
        audit_target=audit_target,
    )


def _code_invitation(
    source: str,
    source_key: str,
    *,
    unit: ServiceUnit,
    service: Service | None,
    actor: Any,
    today: datetime.date | None,
    audit_target: models.Model | None = None,
) -> tuple[SurveyInvitation, str]:
    today = today or _today()
    for _attempt in range(5):
        code = counter_code()
        digest = queries.token_digest(code)
        if not SurveyInvitation.objects.filter(token_digest=digest).exists():
            break
    else:  # 30^8 codes: five collisions in a row mean something else is wrong
        raise RuntimeError("no free survey code after 5 tries")
    invitation = SurveyInvitation.objects.create(
        source=source,
        source_key=source_key,
        token_digest=digest,
        unit=unit,
        service=service,
        issued_on=today,
        expires_on=_expiry(today),
        issued_by=actor,
    )
    record_event(
        "survey.counter_code_issued",
        actor=actor,
        target=audit_target or invitation,
        summary={
            "invitation": invitation.pk,
            "source": source,
            "unit": unit.pk,
            "service": service.pk if service else None,
        },
    )
    return invitation, code


# --- Responses --------------------------------------------------------------------------------------


def _clean_answers(answers: Mapping[str, Any]) -> dict[str, int | None]:
    cleaned: dict[str, int | None] = {}
    for key in ELEMENT_KEYS:
        value = answers.get(key)
        if value in (None, ""):
            cleaned[key] = None
            continue
        try:
            # int() would cut 4.5 to 4 and take True for 1: only whole numbers and their digits.
            number = int(value) if isinstance(value, int | str) and not isinstance(value, bool) else 0
        except ValueError:
            number = 0
        if number not in ANSWER_VALUES:
            raise ValidationError(_("Choose one of the four answers."), code="bad_answer")
        cleaned[key] = number
    if all(value is None for value in cleaned.values()):
        raise ValidationError(_("Answer at least one question."), code="no_answers")
    return cleaned


def _clean_profile(profile: Mapping[str, Any]) -> dict[str, str]:
    choices = {
        "sex": SurveyResponse.Sex.values,
        "age_band": SurveyResponse.AgeBand.values,
        "education": SurveyResponse.Education.values,
        "occupation": SurveyResponse.Occupation.values,
    }
    cleaned: dict[str, str] = {}
    for name in PROFILE_FIELDS:
        value = str(profile.get(name) or "")
        if value and value not in choices[name]:
            raise ValidationError(_("Choose one of the answers offered."), code="bad_profile")
        cleaned[name] = value
    return cleaned


@transaction.atomic
def submit_response(
    *,
    answers: Mapping[str, Any],
    profile: Mapping[str, Any] | None = None,
    suggestion: str = "",
    invitation_token: str = "",
    unit: ServiceUnit | None = None,
    service: Service | None = None,
    form_nonce: str = "",
    today: datetime.date | None = None,
) -> SurveyResponse:
    """Store one anonymous response.

    Either with an invitation token (one response per transaction: the invitation is closed by a
    conditional UPDATE in this transaction, so a second or concurrent answer is refused) or
    through a unit's general link with a single-use ``form_nonce`` (a replayed form is refused by
    its unique row). The response does not point to the invitation.
    """
    today = today or _today()
    cleaned = _clean_answers(answers)
    person = _clean_profile(profile or {})
    suggestion = suggestion.strip()[:2000]
    if invitation_token:
        invitation = queries.open_invitation(normalise(invitation_token), today=today)
        closed = 0
        if invitation is not None:
            closed = SurveyInvitation.objects.filter(pk=invitation.pk, answered=False).update(answered=True)
        if invitation is None or not closed:
            state = queries.invitation_state(normalise(invitation_token), today=today)
            if state == "answered":
                raise ValidationError(_("This survey has already been answered. Thank you."), code="answered")
            if state == "expired":
                raise ValidationError(_("This survey link has expired."), code="expired")
            raise ValidationError(_("This survey code is not valid."), code="unknown_token")
        assert invitation is not None
        unit = invitation.unit
        channel = invitation.source
        service = invitation.service or (service if service and service.unit_id == unit.pk else None)
    else:
        if unit is None or not form_nonce:
            raise ValidationError(_("This survey form is not valid. Open it again."), code="no_nonce")
        try:
            with transaction.atomic():
                UsedFormNonce.objects.create(nonce=form_nonce, used_on=today)
        except IntegrityError as error:
            raise ValidationError(
                _("This form has already been sent. Thank you."), code="replayed"
            ) from error
        channel = Channel.UNIT_LINK
        if service is not None and service.unit_id != unit.pk:
            raise ValidationError(_("Choose a service of this unit."), code="wrong_service")
    response = SurveyResponse.objects.create(
        unit=unit,
        agency_id=unit.agency_id,
        region_code=unit.region_id,
        service=service,
        channel=channel,
        submitted_on=today,
        suggestion=suggestion,
        suggestion_status=(
            SurveyResponse.SuggestionStatus.PENDING if suggestion else SurveyResponse.SuggestionStatus.NONE
        ),
        **cleaned,
        **person,
    )
    record_event(
        "survey.response_submitted",
        actor=None,
        target=response,
        summary={"channel": channel, "answered": sum(value is not None for value in cleaned.values())},
    )
    return response


# --- Moderation, plan, publication ---------------------------------------------------------------------


def _require_head(actor: Any, unit: ServiceUnit) -> None:
    if not permissions.can_manage_report(actor, unit):
        raise PermissionDenied


def suggested_wording(response: SurveyResponse) -> str:
    """The suggestion with NIK/KK, phone numbers and e-mail addresses taken out."""
    return redact(response.suggestion)


@transaction.atomic
def moderate_suggestion(
    response: SurveyResponse, *, publish: bool, wording: str, actor: Any
) -> SurveyResponse:
    """Publish a suggestion (in the unit head's wording, personal data taken out) or keep it
    unpublished. Patterns of personal data are removed again from what the head wrote."""
    _require_head(actor, response.unit)
    if response.suggestion_status == SurveyResponse.SuggestionStatus.NONE:
        raise ValidationError(_("This response has no suggestion."), code="no_suggestion")
    if queries.published_report_covering(response.unit, response.submitted_on) is not None:
        raise ValidationError(
            _("A published report holds this suggestion: its moderation can no longer be changed."),
            code="published",
        )
    if publish:
        text = redact(wording.strip())[:2000]
        if not text:
            raise ValidationError(_("Write the wording to publish."), code="empty")
        response.published_suggestion = text
        response.suggestion_status = SurveyResponse.SuggestionStatus.PUBLISHED
    else:
        response.published_suggestion = ""
        response.suggestion_status = SurveyResponse.SuggestionStatus.HIDDEN
    response.save(update_fields=["published_suggestion", "suggestion_status"])
    record_event(
        "survey.suggestion_moderated",
        actor=actor,
        target=response,
        summary={"status": response.suggestion_status},
    )
    return response


def _draft_report(unit: ServiceUnit, period: Period) -> SurveyReport:
    report, _created = SurveyReport.objects.select_for_update().get_or_create(
        unit=unit, period_key=period.key, defaults={"weighting": settings.LAYANAN_SKM_WEIGHTING}
    )
    return report


def _refuse_published(report: SurveyReport) -> None:
    if report.is_published:
        raise ValidationError(
            _("This report has been published and can no longer be changed."), code="published"
        )


@transaction.atomic
def save_report_settings(
    unit: ServiceUnit,
    period: Period,
    *,
    weighting: str,
    offline_population: int,
    method_note: str,
    actor: Any,
) -> SurveyReport:
    _require_head(actor, unit)
    report = _draft_report(unit, period)
    _refuse_published(report)
    if weighting not in {"permen", "exact"}:
        raise ValidationError(_("Choose a weighting."), code="bad_weighting")
    if offline_population < 0:
        raise ValidationError(_("The number cannot be negative."), code="negative")
    report.weighting = weighting
    report.offline_population = offline_population
    report.method_note = method_note.strip()[:4000]
    report.save(update_fields=["weighting", "offline_population", "method_note", "updated_at"])
    record_event(
        "survey.report_settings_saved",
        actor=actor,
        target=report,
        summary={"weighting": weighting, "offline_population": offline_population},
    )
    return report


@transaction.atomic
def add_follow_up(
    unit: ServiceUnit,
    period: Period,
    *,
    element: str,
    action: str,
    owner: str,
    due_on: datetime.date,
    actor: Any,
) -> FollowUpAction:
    _require_head(actor, unit)
    report = _draft_report(unit, period)
    _refuse_published(report)
    if element and element not in ELEMENT_KEYS:
        raise ValidationError(_("Choose an element."), code="bad_element")
    if due_on < period.start:
        raise ValidationError(_("The due date cannot be before the period."), code="due_too_early")
    item = FollowUpAction.objects.create(
        report=report, element=element, action=action.strip(), owner=owner.strip(), due_on=due_on
    )
    record_event("survey.follow_up_added", actor=actor, target=item, summary={"element": element})
    return item


@transaction.atomic
def update_follow_up(item: FollowUpAction, *, status: str, progress_note: str, actor: Any) -> FollowUpAction:
    """Report progress on a plan line: allowed after publication too (the next report shows it)."""
    _require_head(actor, item.report.unit)
    if status not in FollowUpAction.Status.values:
        raise ValidationError(_("Choose a status."), code="bad_status")
    before = item.status
    item.status = status
    item.progress_note = progress_note.strip()[:2000]
    item.save(update_fields=["status", "progress_note", "updated_at"])
    record_event("survey.follow_up_updated", actor=actor, target=item, summary={"from": before, "to": status})
    return item


@transaction.atomic
def remove_follow_up(item: FollowUpAction, *, actor: Any) -> None:
    _require_head(actor, item.report.unit)
    _refuse_published(item.report)
    record_event(
        "survey.follow_up_removed", actor=actor, target=item.report, summary={"element": item.element}
    )
    item.delete()


def build_snapshot(report: SurveyReport, period: Period) -> dict[str, Any]:
    """The figures a published report keeps: sums, never single responses or personal data."""
    scope = queries.unit_scope(report.unit)
    figures = queries.figures(
        scope, period, weighting=report.weighting, offline_population=report.offline_population
    )
    return {
        "respondents": figures.respondents,
        "population": figures.population,
        "offline_population": report.offline_population,
        "minimum_sample": figures.minimum_sample,
        "tallies": [{"key": t.key, "total": t.total, "answered": t.answered} for t in figures.tallies],
        "profile": queries.profile(scope, period),
        "services": [
            {
                "name": row.name,
                "respondents": row.respondents,
                "ikm": str(row.score.ikm) if row.score else None,
                "grade": row.score.grade if row.score else None,
            }
            for row in queries.by_service(report.unit, period, weighting=report.weighting)
        ],
        "suggestions": queries.published_wordings(report.unit, period),
    }


@transaction.atomic
def publish_report(
    unit: ServiceUnit, period: Period, *, actor: Any, today: datetime.date | None = None
) -> SurveyReport:
    """Freeze the period's figures and make the report public. Only after the period has ended,
    with at least one response and no suggestion still waiting for moderation."""
    _require_head(actor, unit)
    today = today or _today()
    report = _draft_report(unit, period)
    _refuse_published(report)
    if period.end >= today:
        raise ValidationError(_("The period has not ended yet."), code="period_open")
    if queries.suggestions(unit, period, status=SurveyResponse.SuggestionStatus.PENDING).exists():
        raise ValidationError(_("Moderate every suggestion before publishing."), code="pending_suggestions")
    snapshot = build_snapshot(report, period)
    if not snapshot["respondents"]:
        raise ValidationError(_("Nobody answered the survey in this period."), code="no_responses")
    report.snapshot = snapshot
    report.status = SurveyReport.Status.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = actor
    report.save(update_fields=["snapshot", "status", "published_at", "published_by", "updated_at"])
    record_event(
        "survey.report_published",
        actor=actor,
        target=report,
        summary={"period": period.key, "respondents": snapshot["respondents"], "weighting": report.weighting},
    )
    return report
