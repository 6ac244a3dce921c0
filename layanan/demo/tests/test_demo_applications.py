from __future__ import annotations

import pytest

from layanan.applications.models import Application
from layanan.demo.actions import load_demo_data


@pytest.mark.django_db
def test_demo_gives_the_back_office_cases_in_several_states_once() -> None:
    load_demo_data()
    states = sorted(Application.objects.values_list("state", flat=True))
    assert states == ["approved", "completeness_check", "processing", "returned_for_correction", "submitted"]
    paid = Application.objects.get(state="approved")
    assert paid.fee_amount > 0  # the PBG case: its fee can be paid on the simulator
    load_demo_data()
    assert Application.objects.count() == 5
