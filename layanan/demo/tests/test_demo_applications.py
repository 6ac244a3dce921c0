from __future__ import annotations

import pytest

from layanan.applications.models import Application
from layanan.demo.actions import load_demo_data


@pytest.mark.django_db
def test_demo_gives_the_back_office_cases_in_several_states_once() -> None:
    load_demo_data()
    states = sorted(Application.objects.values_list("state", flat=True))
    assert states == ["completeness_check", "processing", "returned_for_correction", "submitted"]
    load_demo_data()
    assert Application.objects.count() == 4
