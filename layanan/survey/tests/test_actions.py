"""Every write of the satisfaction survey: invitations, responses, codes, moderation, the plan and
publication. Each action is called here outside any transaction of the test's own, so an action
that forgot its ``@transaction.atomic`` fails on its audit event (``record_event`` refuses to run
outside one)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import staff_with_role
from layanan.audit.models import AuditEvent
from layanan.catalog.tests.factories import ServiceFactory
from layanan.core.testing import verified_client
from layanan.survey import actions, queries
from layanan.survey.models import (
    Channel,
    FollowUpAction,
    SurveyInvitation,
    SurveyReport,
    SurveyResponse,
    UsedFormNonce,
)
from layanan.survey.periods import Period
from layanan.survey.tests.factories import (
    EMAIL_IN_TEXT,
    NIK_IN_TEXT,
    ORACLE,
    PERSONAL_SUGGESTION,
    PHONE_IN_TEXT,
    answers,
    day_in,
    invitation,
    past_period,
    published_report,
    respond,
    today,
)

pytestmark = pytest.mark.django_db

GOOD = answers(4, 3, 3, 4, 3, 3, 4, 3, 3)


def events(action: str, target: models.Model | None = None) -> list[AuditEvent]:
    found = AuditEvent.objects.filter(action=action)
    if target is not None:
        found = found.filter(object_type=target._meta.label_lower, object_id=str(target.pk))
    return list(found)


def _stable(page: Any) -> str:
    """The page without what changes on every request (CSRF tokens, CSP nonces)."""
    text = page.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    return re.sub(r'nonce="[^"]*"', "", text)


def error_code(raised: pytest.ExceptionInfo[ValidationError]) -> str | None:
    return raised.value.code


# --- Invitations after an application ---------------------------------------------------------------


def test_the_invitation_after_an_application_is_idempotent_per_reference(
    unit_a: ServiceUnit, officer: User
) -> None:
    service = ServiceFactory(unit=unit_a)

    first = actions.invite_after_application(
        reference="KK-2026-000001", unit=unit_a, service=service, actor=officer
    )
    second = actions.invite_after_application(
        reference="KK-2026-000001", unit=unit_a, service=service, actor=officer
    )

    assert second.pk == first.pk
    assert SurveyInvitation.objects.count() == 1
    assert first.source == Channel.APPLICATION
    assert first.source_key == "application:KK-2026-000001"
    assert first.issued_on == today()
    assert first.expires_on == today() + datetime.timedelta(days=30)
    assert len(events("survey.invited", first)) == 1


def test_another_reference_gets_its_own_invitation(unit_a: ServiceUnit) -> None:
    first, first_token = invitation(unit_a, reference="KK-2026-000001")
    second, second_token = invitation(unit_a, reference="KK-2026-000002")

    assert first.pk != second.pk
    assert first_token != second_token


def test_the_application_token_opens_the_invitation_and_is_not_stored(unit_a: ServiceUnit) -> None:
    made, token = invitation(unit_a, reference="KK-2026-000007")

    assert token == actions.application_token("KK-2026-000007")  # the same link every time
    assert queries.open_invitation(token, today=today()) == made
    assert queries.invitation_state(token, today=today()) == "open"
    assert token not in made.token_digest
    assert made.token_digest == queries.token_digest(token)


# --- Responses with an invitation token ------------------------------------------------------------


def test_a_response_with_the_token_is_stored_without_a_link_to_the_invitation(unit_a: ServiceUnit) -> None:
    service = ServiceFactory(unit=unit_a)
    made, token = invitation(unit_a, service=service)

    response = actions.submit_response(
        answers=GOOD,
        profile={"sex": "P", "age_band": "30-39", "education": "d4-s1", "occupation": "swasta"},
        suggestion="  Antrean terlalu panjang.  ",
        invitation_token=token,
    )

    response.refresh_from_db()
    made.refresh_from_db()
    assert made.answered is True
    assert response.answers() == GOOD
    assert (response.unit, response.agency, response.service) == (unit_a, unit_a.agency, service)
    assert response.region_code == unit_a.region_id
    assert response.channel == Channel.APPLICATION
    assert response.sex == "P"
    assert response.occupation == "swasta"
    assert response.suggestion == "Antrean terlalu panjang."
    assert response.suggestion_status == SurveyResponse.SuggestionStatus.PENDING
    # Nothing ties the response to the invitation: no foreign key, and a date, not a time of day.
    assert not [
        item
        for item in SurveyResponse._meta.get_fields()
        if item.is_relation and item.related_model is SurveyInvitation
    ]
    assert not [item for item in SurveyResponse._meta.get_fields() if isinstance(item, models.DateTimeField)]
    assert type(response.submitted_on) is datetime.date
    assert response.submitted_on == today()
    assert len(events("survey.response_submitted", response)) == 1


def test_a_second_response_for_the_same_transaction_is_refused(unit_a: ServiceUnit) -> None:
    _made, token = invitation(unit_a)
    actions.submit_response(answers=GOOD, invitation_token=token)

    with pytest.raises(ValidationError) as raised:
        actions.submit_response(answers=answers(1, 1, 1), invitation_token=token)

    assert error_code(raised) == "answered"
    assert SurveyResponse.objects.count() == 1
    assert len(events("survey.response_submitted")) == 1


def test_an_expired_token_is_refused(unit_a: ServiceUnit) -> None:
    made, token = invitation(unit_a, day=today() - datetime.timedelta(days=31))
    assert made.expires_on == today() - datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as raised:
        actions.submit_response(answers=GOOD, invitation_token=token)

    assert error_code(raised) == "expired"
    made.refresh_from_db()
    assert made.answered is False
    assert not SurveyResponse.objects.exists()


def test_a_token_still_works_on_its_last_day(unit_a: ServiceUnit) -> None:
    made, token = invitation(unit_a, day=today() - datetime.timedelta(days=30))
    assert made.expires_on == today()

    actions.submit_response(answers=GOOD, invitation_token=token)

    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize("token", ["ABCDEFGHJKMNPQRS", "tidak-ada", "A" * 200])
def test_an_unknown_token_is_refused(unit_a: ServiceUnit, token: str) -> None:
    invitation(unit_a)

    with pytest.raises(ValidationError) as raised:
        actions.submit_response(answers=GOOD, invitation_token=token)

    assert error_code(raised) == "unknown_token"
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("given", [{}, answers(), dict.fromkeys(answers(), "")])
def test_at_least_one_answer_is_required(unit_a: ServiceUnit, given: dict[str, Any]) -> None:
    made, token = invitation(unit_a)

    with pytest.raises(ValidationError) as raised:
        actions.submit_response(answers=given, invitation_token=token)

    assert error_code(raised) == "no_answers"
    made.refresh_from_db()
    assert made.answered is False
    assert not SurveyResponse.objects.exists()


def test_one_answer_is_enough_and_blanks_stay_blank(unit_a: ServiceUnit) -> None:
    _made, token = invitation(unit_a)

    response = actions.submit_response(answers={"waktu": "2"}, invitation_token=token)

    assert response.answers() == answers(None, None, 2)


@pytest.mark.parametrize("value", [0, 5, -1, "5", "0", "tiga", "4.5", 4.5, True, [4]])
def test_answers_outside_one_to_four_are_refused(unit_a: ServiceUnit, value: Any) -> None:
    made, token = invitation(unit_a)

    with pytest.raises(ValidationError) as raised:
        actions.submit_response(answers={**GOOD, "biaya": value}, invitation_token=token)

    assert error_code(raised) == "bad_answer"
    made.refresh_from_db()
    assert made.answered is False
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    "profile", [{"sex": "X"}, {"age_band": "17"}, {"education": "sma "}, {"occupation": "pejabat"}]
)
def test_a_profile_value_outside_the_choices_is_refused(unit_a: ServiceUnit, profile: dict[str, str]) -> None:
    made, token = invitation(unit_a)

    with pytest.raises(ValidationError) as raised:
        actions.submit_response(answers=GOOD, profile=profile, invitation_token=token)

    assert error_code(raised) == "bad_profile"
    made.refresh_from_db()
    assert made.answered is False
    assert not SurveyResponse.objects.exists()


def test_the_response_and_its_audit_event_are_one_transaction(unit_a: ServiceUnit) -> None:
    made, token = invitation(unit_a)

    with (
        mock.patch("layanan.survey.actions.record_event", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        actions.submit_response(answers=GOOD, invitation_token=token)

    made.refresh_from_db()
    assert made.answered is False
    assert not SurveyResponse.objects.exists()


def test_the_invitation_and_its_audit_event_are_one_transaction(unit_a: ServiceUnit) -> None:
    service = ServiceFactory(unit=unit_a)

    with (
        mock.patch("layanan.survey.actions.record_event", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        actions.invite_after_application(reference="KK-1", unit=unit_a, service=service, actor=None)

    assert not SurveyInvitation.objects.exists()


def _state() -> tuple[Any, ...]:
    """Everything the survey's actions write (the audit log aside)."""
    return (
        list(SurveyInvitation.objects.order_by("pk").values()),
        list(SurveyResponse.objects.order_by("pk").values("pk", "suggestion_status", "published_suggestion")),
        list(UsedFormNonce.objects.order_by("pk").values()),
        list(SurveyReport.objects.order_by("pk").values("pk", "status", "weighting", "offline_population")),
        list(FollowUpAction.objects.order_by("pk").values("pk", "status", "progress_note")),
    )


@pytest.mark.parametrize(
    "action",
    [
        "counter_code",
        "unit_link",
        "moderate",
        "settings",
        "add_plan",
        "update_plan",
        "remove_plan",
        "publish",
    ],
)
def test_every_change_is_undone_when_its_audit_event_fails(
    unit_a: ServiceUnit, officer: User, unit_head: User, action: str
) -> None:
    period = past_period()
    response = respond(unit_a, day=day_in(period), suggestion="Kursi kurang.")
    item = actions.add_follow_up(
        unit_a, period, element="", action="Tambah kursi", owner="Kasubag", due_on=period.end, actor=unit_head
    )
    if action == "publish":
        actions.moderate_suggestion(response, publish=True, wording="Kursi kurang.", actor=unit_head)
    calls = {
        "counter_code": lambda: actions.issue_counter_code(unit_a, service=None, actor=officer),
        "unit_link": lambda: actions.submit_response(answers=GOOD, unit=unit_a, form_nonce="n-audit"),
        "moderate": lambda: actions.moderate_suggestion(response, publish=True, wording="x", actor=unit_head),
        "settings": lambda: actions.save_report_settings(
            unit_a, period, weighting="exact", offline_population=9, method_note="", actor=unit_head
        ),
        "add_plan": lambda: actions.add_follow_up(
            unit_a, period, element="", action="x", owner="y", due_on=period.end, actor=unit_head
        ),
        "update_plan": lambda: actions.update_follow_up(
            item, status="done", progress_note="ok", actor=unit_head
        ),
        "remove_plan": lambda: actions.remove_follow_up(item, actor=unit_head),
        "publish": lambda: actions.publish_report(unit_a, period, actor=unit_head),
    }
    before = _state()

    with (
        mock.patch("layanan.survey.actions.record_event", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        calls[action]()

    assert _state() == before


# --- The unit's general link ------------------------------------------------------------------------


def test_a_general_link_form_is_single_use(unit_a: ServiceUnit) -> None:
    first = actions.submit_response(answers=GOOD, unit=unit_a, form_nonce="nonce-1")
    assert first.channel == Channel.UNIT_LINK

    with pytest.raises(ValidationError) as raised:
        actions.submit_response(answers=GOOD, unit=unit_a, form_nonce="nonce-1")

    assert error_code(raised) == "replayed"
    assert SurveyResponse.objects.count() == 1
    assert UsedFormNonce.objects.count() == 1
    assert len(events("survey.response_submitted")) == 1


def test_a_general_link_response_needs_a_nonce(unit_a: ServiceUnit) -> None:
    with pytest.raises(ValidationError) as raised:
        actions.submit_response(answers=GOOD, unit=unit_a)

    assert error_code(raised) == "no_nonce"
    assert not SurveyResponse.objects.exists()


def test_a_general_link_response_refuses_another_units_service(
    unit_a: ServiceUnit, unit_b: ServiceUnit
) -> None:
    with pytest.raises(ValidationError) as raised:
        actions.submit_response(
            answers=GOOD, unit=unit_a, service=ServiceFactory(unit=unit_b), form_nonce="nonce-2"
        )

    assert error_code(raised) == "wrong_service"
    assert not SurveyResponse.objects.exists()
    assert not UsedFormNonce.objects.exists()  # the form can be sent again, corrected


# --- Counter codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.UNIT_HEAD])
def test_officers_of_the_unit_issue_counter_codes(unit_a: ServiceUnit, role: str) -> None:
    actor = staff_with_role(role, unit=unit_a)
    service = ServiceFactory(unit=unit_a)

    made, code = actions.issue_counter_code(unit_a, service=service, actor=actor)

    assert made.source == Channel.COUNTER
    assert made.issued_by == actor
    assert made.service == service
    assert len(code) == 8
    assert made.token_digest == queries.token_digest(code)
    assert len(events("survey.counter_code_issued", made)) == 1


def test_officers_of_another_unit_and_citizens_cannot_issue_codes(
    unit_a: ServiceUnit, other_agency_officer: User, citizen: User, inspector: User, admin_user: User
) -> None:
    for actor in (other_agency_officer, citizen, inspector, admin_user):
        with pytest.raises(PermissionDenied):
            actions.issue_counter_code(unit_a, service=None, actor=actor)

    assert not SurveyInvitation.objects.exists()
    assert not events("survey.counter_code_issued")


def test_a_counter_code_refuses_another_units_service(
    unit_a: ServiceUnit, unit_b: ServiceUnit, officer: User
) -> None:
    with pytest.raises(ValidationError) as raised:
        actions.issue_counter_code(unit_a, service=ServiceFactory(unit=unit_b), actor=officer)

    assert error_code(raised) == "wrong_service"
    assert not SurveyInvitation.objects.exists()


def test_a_counter_code_opens_the_form_once(unit_a: ServiceUnit, officer: User) -> None:
    _made, code = actions.issue_counter_code(unit_a, service=None, actor=officer)
    typed = f"{code[:4].lower()}-{code[4:].lower()}"  # as a person types it

    response = actions.submit_response(answers=GOOD, invitation_token=typed)
    assert response.channel == Channel.COUNTER

    with pytest.raises(ValidationError) as raised:
        actions.submit_response(answers=GOOD, invitation_token=code)

    assert error_code(raised) == "answered"
    assert SurveyResponse.objects.count() == 1


# --- Moderation, plan and publication: the unit head only --------------------------------------------


def test_only_the_unit_head_moderates_plans_and_publishes(
    unit_a: ServiceUnit,
    unit_b: ServiceUnit,
    officer: User,
    unit_head: User,
    inspector: User,
    admin_user: User,
) -> None:
    period = past_period()
    response = respond(unit_a, day=day_in(period), suggestion="Ruang tunggu panas.")
    item = actions.add_follow_up(
        unit_a,
        period,
        element="sarana",
        action="Pasang AC",
        owner="Kasubag Umum",
        due_on=period.end,
        actor=unit_head,
    )
    head_elsewhere = staff_with_role(Role.UNIT_HEAD, unit=unit_b)
    before = AuditEvent.objects.count()

    for actor in (officer, inspector, admin_user, head_elsewhere):
        with pytest.raises(PermissionDenied):
            actions.moderate_suggestion(response, publish=True, wording="Ruang tunggu panas.", actor=actor)
        with pytest.raises(PermissionDenied):
            actions.save_report_settings(
                unit_a, period, weighting="exact", offline_population=5, method_note="", actor=actor
            )
        with pytest.raises(PermissionDenied):
            actions.add_follow_up(
                unit_a, period, element="", action="x", owner="y", due_on=period.end, actor=actor
            )
        with pytest.raises(PermissionDenied):
            actions.update_follow_up(item, status="done", progress_note="", actor=actor)
        with pytest.raises(PermissionDenied):
            actions.remove_follow_up(item, actor=actor)
        with pytest.raises(PermissionDenied):
            actions.publish_report(unit_a, period, actor=actor)

    response.refresh_from_db()
    item.refresh_from_db()
    assert response.suggestion_status == SurveyResponse.SuggestionStatus.PENDING
    assert item.status == FollowUpAction.Status.PLANNED
    assert SurveyReport.objects.get().status == SurveyReport.Status.DRAFT
    assert AuditEvent.objects.count() == before


def test_moderation_takes_personal_data_out_even_from_the_heads_wording(
    unit_a: ServiceUnit, unit_head: User
) -> None:
    response = respond(unit_a, suggestion=PERSONAL_SUGGESTION)
    proposed = actions.suggested_wording(response)
    for secret in (NIK_IN_TEXT, PHONE_IN_TEXT, EMAIL_IN_TEXT):
        assert secret not in proposed

    actions.moderate_suggestion(
        response,
        publish=True,
        wording=f"Mohon hubungi {PHONE_IN_TEXT} / +62 812 3456 7890 / {EMAIL_IN_TEXT} / {NIK_IN_TEXT}",
        actor=unit_head,
    )

    response.refresh_from_db()
    assert response.suggestion_status == SurveyResponse.SuggestionStatus.PUBLISHED
    for secret in (NIK_IN_TEXT, PHONE_IN_TEXT, "812 3456 7890", EMAIL_IN_TEXT):
        assert secret not in response.published_suggestion
    assert response.published_suggestion.startswith("Mohon hubungi ")
    assert response.suggestion == PERSONAL_SUGGESTION  # what the respondent wrote is kept, encrypted
    assert len(events("survey.suggestion_moderated", response)) == 1


def test_a_suggestion_can_be_kept_unpublished(unit_a: ServiceUnit, unit_head: User) -> None:
    response = respond(unit_a, suggestion="Petugas bernama Budi kasar.")

    actions.moderate_suggestion(response, publish=False, wording="ignored", actor=unit_head)

    response.refresh_from_db()
    assert response.suggestion_status == SurveyResponse.SuggestionStatus.HIDDEN
    assert response.published_suggestion == ""


def test_moderation_needs_a_suggestion_and_a_wording(unit_a: ServiceUnit, unit_head: User) -> None:
    without = respond(unit_a)
    with pytest.raises(ValidationError) as raised:
        actions.moderate_suggestion(without, publish=True, wording="x", actor=unit_head)
    assert error_code(raised) == "no_suggestion"

    pending = respond(unit_a, suggestion="Bagus.")
    with pytest.raises(ValidationError) as raised:
        actions.moderate_suggestion(pending, publish=True, wording="   ", actor=unit_head)
    assert error_code(raised) == "empty"
    pending.refresh_from_db()
    assert pending.suggestion_status == SurveyResponse.SuggestionStatus.PENDING


def test_moderation_is_frozen_once_a_published_report_holds_the_suggestion(
    unit_a: ServiceUnit, unit_head: User
) -> None:
    period = past_period()
    published_report(unit_a, unit_head, period=period, suggestion="Loket kurang.")
    moderated = SurveyResponse.objects.get(suggestion_status=SurveyResponse.SuggestionStatus.PUBLISHED)

    with pytest.raises(ValidationError) as raised:
        actions.moderate_suggestion(moderated, publish=False, wording="", actor=unit_head)

    assert error_code(raised) == "published"
    moderated.refresh_from_db()
    assert moderated.suggestion_status == SurveyResponse.SuggestionStatus.PUBLISHED
    # A suggestion of a later period is still moderated as usual.
    later = respond(unit_a, suggestion="Parkir sempit.", day=day_in(period.next()))
    actions.moderate_suggestion(later, publish=True, wording="Parkir sempit.", actor=unit_head)


def test_settings_and_plan_are_saved_with_audit_events(unit_a: ServiceUnit, unit_head: User) -> None:
    period = past_period()

    report = actions.save_report_settings(
        unit_a,
        period,
        weighting="exact",
        offline_population=120,
        method_note=" Tablet di loket. ",
        actor=unit_head,
    )
    item = actions.add_follow_up(
        unit_a,
        period,
        element="waktu",
        action=" Tambah loket ",
        owner="Kepala Seksi",
        due_on=period.end + datetime.timedelta(days=90),
        actor=unit_head,
    )
    actions.update_follow_up(item, status="in_progress", progress_note="Loket 3 dibuka.", actor=unit_head)

    report.refresh_from_db()
    item.refresh_from_db()
    assert (report.weighting, report.offline_population, report.method_note) == (
        "exact",
        120,
        "Tablet di loket.",
    )
    assert (item.action, item.status, item.progress_note) == (
        "Tambah loket",
        "in_progress",
        "Loket 3 dibuka.",
    )
    assert len(events("survey.report_settings_saved", report)) == 1
    assert len(events("survey.follow_up_added", item)) == 1
    assert len(events("survey.follow_up_updated", item)) == 1

    actions.remove_follow_up(item, actor=unit_head)
    assert not FollowUpAction.objects.exists()
    assert len(events("survey.follow_up_removed", report)) == 1


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"weighting": "0.111"}, "bad_weighting"),
        ({"offline_population": -1}, "negative"),
    ],
)
def test_bad_settings_are_refused(
    unit_a: ServiceUnit, unit_head: User, fields: dict[str, Any], code: str
) -> None:
    given: dict[str, Any] = {"weighting": "permen", "offline_population": 0, "method_note": "", **fields}
    with pytest.raises(ValidationError) as raised:
        actions.save_report_settings(unit_a, past_period(), actor=unit_head, **given)
    assert error_code(raised) == code
    assert not SurveyReport.objects.exists()


def test_a_bad_plan_line_is_refused(unit_a: ServiceUnit, unit_head: User) -> None:
    period = past_period()
    with pytest.raises(ValidationError) as raised:
        actions.add_follow_up(
            unit_a, period, element="U3", action="x", owner="y", due_on=period.end, actor=unit_head
        )
    assert error_code(raised) == "bad_element"
    with pytest.raises(ValidationError) as raised:
        actions.add_follow_up(
            unit_a,
            period,
            element="",
            action="x",
            owner="y",
            due_on=period.start - datetime.timedelta(days=1),
            actor=unit_head,
        )
    assert error_code(raised) == "due_too_early"
    assert not FollowUpAction.objects.exists()


def test_publish_is_refused_while_the_period_is_open(unit_a: ServiceUnit, unit_head: User) -> None:
    current = Period.containing(today(), "year")
    respond(unit_a)

    with pytest.raises(ValidationError) as raised:
        actions.publish_report(unit_a, current, actor=unit_head)

    assert error_code(raised) == "period_open"
    assert not SurveyReport.objects.filter(status=SurveyReport.Status.PUBLISHED).exists()


def test_publish_is_refused_on_the_last_day_of_the_period(unit_a: ServiceUnit, unit_head: User) -> None:
    period = past_period()
    respond(unit_a, day=day_in(period))

    with pytest.raises(ValidationError) as raised:
        actions.publish_report(unit_a, period, actor=unit_head, today=period.end)

    assert error_code(raised) == "period_open"
    actions.publish_report(unit_a, period, actor=unit_head, today=period.end + datetime.timedelta(days=1))


def test_publish_is_refused_while_suggestions_are_pending(unit_a: ServiceUnit, unit_head: User) -> None:
    period = past_period()
    respond(unit_a, day=day_in(period), suggestion="Tolong tambah kursi.")

    with pytest.raises(ValidationError) as raised:
        actions.publish_report(unit_a, period, actor=unit_head)

    assert error_code(raised) == "pending_suggestions"
    assert not SurveyReport.objects.filter(status=SurveyReport.Status.PUBLISHED).exists()


def test_publish_is_refused_without_responses(
    unit_a: ServiceUnit, unit_b: ServiceUnit, unit_head: User
) -> None:
    period = past_period()
    respond(unit_b, day=day_in(period))  # another unit's response does not count
    respond(unit_a, day=period.start - datetime.timedelta(days=1))  # nor one of the period before

    with pytest.raises(ValidationError) as raised:
        actions.publish_report(unit_a, period, actor=unit_head)

    assert error_code(raised) == "no_responses"
    assert not SurveyReport.objects.filter(status=SurveyReport.Status.PUBLISHED).exists()


def test_publish_freezes_the_oracle_figures(unit_a: ServiceUnit, unit_head: User) -> None:
    report = published_report(unit_a, unit_head)

    report.refresh_from_db()
    assert report.is_published
    assert report.published_by == unit_head
    assert report.published_at is not None
    assert report.snapshot["respondents"] == 4
    assert [row["total"] for row in report.snapshot["tallies"]] == [
        sum(column) for column in zip(*ORACLE, strict=True)
    ]
    score = queries.published_score(report)
    assert score is not None
    assert str(score.ikm) == "78.38"  # the default weighting is the regulation's 0.11
    assert len(events("survey.report_published", report)) == 1


def test_a_published_report_is_frozen(unit_a: ServiceUnit, unit_head: User) -> None:
    period = past_period()
    report = published_report(unit_a, unit_head, period=period)
    item = FollowUpAction.objects.create(
        report=report, element="", action="Evaluasi", owner="Kepala", due_on=period.end
    )
    url = reverse(
        "survey:public-detail",
        kwargs={"agency_slug": unit_a.agency.slug, "unit_slug": unit_a.slug, "period_key": period.key},
    )
    client = Client()
    client.cookies["layanan_language"] = "en"
    page_before = client.get(url)
    view_before = queries.report_view(unit_a, period, report)

    # A late response dated in the period (e.g. a paper form typed in afterwards).
    respond(unit_a, (1, 1, 1, 1, 1, 1, 1, 1, 1), day=day_in(period, 40))

    view_after = queries.report_view(unit_a, period, SurveyReport.objects.get(pk=report.pk))
    assert view_after.figures.respondents == view_before.figures.respondents == 4
    assert view_after.figures.score == view_before.figures.score
    page_after = client.get(url)
    assert page_after.status_code == 200
    assert _stable(page_after) == _stable(page_before)
    assert "<dt>Respondents</dt><dd>4</dd>" in _stable(page_after)
    live = queries.figures(queries.unit_scope(unit_a), period, weighting=report.weighting)
    assert live.respondents == 5  # the live figures moved; the published ones did not

    with pytest.raises(ValidationError) as raised:
        actions.save_report_settings(
            unit_a, period, weighting="exact", offline_population=0, method_note="", actor=unit_head
        )
    assert error_code(raised) == "published"
    with pytest.raises(ValidationError) as raised:
        actions.add_follow_up(
            unit_a, period, element="", action="x", owner="y", due_on=period.end, actor=unit_head
        )
    assert error_code(raised) == "published"
    with pytest.raises(ValidationError) as raised:
        actions.remove_follow_up(item, actor=unit_head)
    assert error_code(raised) == "published"
    with pytest.raises(ValidationError) as raised:
        actions.publish_report(unit_a, period, actor=unit_head)
    assert error_code(raised) == "published"
    report.refresh_from_db()
    assert report.weighting == "permen"
    assert report.actions.count() == 1

    # Progress on the plan is still reported after publication.
    actions.update_follow_up(item, status="done", progress_note="Selesai.", actor=unit_head)
    item.refresh_from_db()
    assert item.status == "done"


def test_a_published_report_holds_no_personal_data(unit_a: ServiceUnit, unit_head: User) -> None:
    period = past_period()
    for number, wording in enumerate(
        [PERSONAL_SUGGESTION, f"Hubungi {EMAIL_IN_TEXT}", f"WA +62 812-3456-7890, KTP {NIK_IN_TEXT}"]
    ):
        respond(unit_a, ORACLE[number], day=day_in(period, number), suggestion=wording)
    pending = list(queries.suggestions(unit_a, period, status=SurveyResponse.SuggestionStatus.PENDING))
    # The head publishes the proposed wording of the first, copies the raw text of the second and
    # writes their own wording, with the phone again, for the third.
    actions.moderate_suggestion(
        pending[0], publish=True, wording=actions.suggested_wording(pending[0]), actor=unit_head
    )
    actions.moderate_suggestion(pending[1], publish=True, wording=pending[1].suggestion, actor=unit_head)
    actions.moderate_suggestion(
        pending[2], publish=True, wording=f"Pelapor ({PHONE_IN_TEXT}) minta dihubungi.", actor=unit_head
    )
    report = actions.publish_report(unit_a, period, actor=unit_head)

    secrets = (NIK_IN_TEXT, PHONE_IN_TEXT, "812-3456-7890", "81234567890", EMAIL_IN_TEXT, "siti.rahma")
    snapshot = json.dumps(report.snapshot)
    assert len(report.snapshot["suggestions"]) == 3
    assert "Petugas lambat." in snapshot

    public = Client()
    public.cookies["layanan_language"] = "en"
    page = public.get(
        reverse(
            "survey:public-detail",
            kwargs={"agency_slug": unit_a.agency.slug, "unit_slug": unit_a.slug, "period_key": period.key},
        )
    ).content.decode()
    assert "Petugas lambat." in page

    staff = verified_client(unit_head)
    export = staff.get(
        reverse(
            "survey:staff-export",
            kwargs={"agency_slug": unit_a.agency.slug, "unit_slug": unit_a.slug, "period_key": period.key},
        )
    )
    exported = b"".join(export.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert len(rows) == 3
    assert "Petugas lambat." in rows[0]["saran_terbit"]

    for secret in secrets:
        assert secret not in snapshot
        assert secret not in page
        assert secret not in exported
