from __future__ import annotations

import pytest

from layanan.demo.actions import load_demo_data
from layanan.survey.models import FollowUpAction, SurveyReport, SurveyResponse
from layanan.survey.queries import published_score


@pytest.mark.django_db
def test_demo_survey_has_a_published_report_a_draft_to_publish_and_loads_once() -> None:
    load_demo_data()
    report = SurveyReport.objects.get()
    assert report.is_published
    score = published_score(report)
    assert score is not None
    assert score.grade in {"A", "B", "C"}
    # The published plan has one action done; the draft quarter waits with suggestions to moderate.
    assert FollowUpAction.objects.filter(report=report, status="done").count() == 1
    assert SurveyResponse.objects.filter(suggestion_status="pending").exists()
    assert "081234567890" not in str(report.snapshot)
    responses = SurveyResponse.objects.count()
    load_demo_data()
    assert SurveyResponse.objects.count() == responses
    assert SurveyReport.objects.count() == 1
