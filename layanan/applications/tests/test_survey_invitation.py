"""A finished application invites its applicant to the survey, through the real workflow action
(``transition_application``): completed and rejected applications are invited once, open ones
are not."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from layanan.accounts.models import ServiceUnit, User
from layanan.applications.actions import SURVEYED_STATES, transition_application
from layanan.applications.models import Application
from layanan.applications.tests.factories import application_in, service_counting_from_submission
from layanan.audit.models import AuditEvent
from layanan.catalog.models import Service
from layanan.survey.actions import application_source_key, application_token
from layanan.survey.models import Channel, SurveyInvitation, SurveyResponse
from layanan.survey.tests.factories import form_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(unit_a: ServiceUnit) -> Service:
    return service_counting_from_submission(unit=unit_a, channel="both", name="Kartu Keluarga")


def _walk(
    state: str, service: Service, citizen: User, officer: User, unit_head: User, front_officer: User
) -> Application:
    if state != "completed":
        return application_in(state, service, citizen, officer=officer, unit_head=unit_head)
    application = application_in("approved", service, citizen, officer=officer, unit_head=unit_head)
    application = transition_application(application, "issue_output", actor=officer)
    application = transition_application(application, "complete", actor=front_officer)
    application.refresh_from_db()
    assert application.state == "completed"
    return application


def invitation_of(application: Application) -> SurveyInvitation | None:
    return SurveyInvitation.objects.filter(source_key=application_source_key(application.reference)).first()


def test_the_surveyed_states_are_the_final_outcomes() -> None:
    assert frozenset({"completed", "rejected"}) == SURVEYED_STATES


@pytest.mark.parametrize("state", ["completed", "rejected"])
def test_a_finished_application_is_invited_and_its_token_opens_the_form(
    state: str,
    service: Service,
    citizen: User,
    officer: User,
    unit_head: User,
    front_officer: User,
) -> None:
    application = _walk(state, service, citizen, officer, unit_head, front_officer)

    invitation = invitation_of(application)
    assert invitation is not None
    assert SurveyInvitation.objects.count() == 1
    assert invitation.source == Channel.APPLICATION
    assert (invitation.unit, invitation.service) == (service.unit, service)
    assert invitation.issued_on == timezone.localdate()
    assert not invitation.answered
    assert AuditEvent.objects.filter(action="survey.invited", object_id=str(invitation.pk)).count() == 1

    visitor = Client()
    visitor.cookies["layanan_language"] = "en"
    url = f"/survei/{application_token(application.reference)}/"
    form = visitor.get(url)
    assert form.status_code == 200
    assert "Kartu Keluarga" in form.content.decode()

    sent = visitor.post(url, form_answers(4, 4, 3, 4, 3, 3, 4, 3, 3))
    assert sent.status_code == 302
    response = SurveyResponse.objects.get()
    assert (response.unit, response.service, response.channel) == (service.unit, service, Channel.APPLICATION)
    invitation.refresh_from_db()
    assert invitation.answered


@pytest.mark.parametrize("state", ["submitted", "completeness_check", "processing", "approved"])
def test_an_open_application_is_not_invited(
    state: str, service: Service, citizen: User, officer: User, unit_head: User, front_officer: User
) -> None:
    application = _walk(state, service, citizen, officer, unit_head, front_officer)

    assert application.is_open
    assert invitation_of(application) is None
    assert not SurveyInvitation.objects.exists()
    visitor = Client()
    assert visitor.get(f"/survei/{application_token(application.reference)}/").status_code == 404


def test_the_applicant_finds_the_survey_on_the_application_page(
    service: Service,
    citizen: User,
    citizen_client: Client,
    officer: User,
    unit_head: User,
    front_officer: User,
) -> None:
    application = _walk("rejected", service, citizen, officer, unit_head, front_officer)
    token = application_token(application.reference)
    citizen_client.cookies["layanan_language"] = "en"

    page = citizen_client.get(f"/akun/permohonan/{application.reference}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/survei/{token}/"' in html
    assert "<svg" in html

    citizen_client.post(f"/survei/{token}/", form_answers(3))
    after: Any = citizen_client.get(f"/akun/permohonan/{application.reference}/")
    assert f'href="/survei/{token}/"' not in after.content.decode()
    assert "You answered the satisfaction survey for this service." in after.content.decode()
