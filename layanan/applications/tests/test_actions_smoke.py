from __future__ import annotations

import pytest

from layanan.accounts.models import ServiceUnit, User
from layanan.applications.models import Application, ApplicationDocument, ApplicationEvent
from layanan.applications.tests.factories import application_in, submit
from layanan.catalog.tests.factories import service_with_adopted_standard


@pytest.mark.django_db
def test_submit_and_walk_to_approved(
    citizen: User, officer: User, unit_head: User, unit_a: ServiceUnit
) -> None:
    service = service_with_adopted_standard(unit=unit_a, channel="both")
    submission = submit(service, citizen)
    application = submission.application
    assert submission.created
    assert submission.secret
    assert application.state == "submitted"
    assert application.reference.startswith(application.reference.split("-")[0])
    assert ApplicationDocument.objects.filter(application=application).count() == 2
    approved = application_in("approved", service, citizen, officer=officer, unit_head=unit_head)
    assert approved.state == "approved"
    assert ApplicationEvent.objects.filter(case=approved).count() == 4
    assert Application.objects.count() == 2
