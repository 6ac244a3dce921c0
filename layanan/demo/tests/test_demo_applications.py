from __future__ import annotations

import pytest

from layanan.applications.models import Application
from layanan.demo.actions import load_demo_data
from layanan.documents.pdf import pdf_available
from layanan.survey.models import SurveyInvitation


@pytest.mark.django_db
def test_demo_gives_the_back_office_cases_in_several_states_once() -> None:
    load_demo_data()
    states = sorted(Application.objects.values_list("state", flat=True))
    expected = [
        "approved",
        "completeness_check",
        "processing",
        "rejected",
        "returned_for_correction",
        "submitted",
    ]
    if pdf_available():  # the completed case issues a signed PDF
        expected = sorted([*expected, "completed"])
    assert states == expected
    paid = Application.objects.get(state="approved")
    assert paid.fee_amount > 0  # the PBG case: its fee can be paid on the simulator
    # The finished cases invite their applicant to the satisfaction survey.
    finished = Application.objects.filter(state__in=["completed", "rejected"])
    assert (
        SurveyInvitation.objects.filter(
            source_key__in=[f"application:{case.reference}" for case in finished]
        ).count()
        == len(expected) - 5
    )
    load_demo_data()
    assert Application.objects.count() == len(expected)
