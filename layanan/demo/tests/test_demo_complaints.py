"""The demo complaints: a dozen reports in Kabupaten Banyumas in different states, made through
the complaint actions, once (a second run writes nothing)."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from layanan.accounts.models import ServiceUnit
from layanan.accounts.tests.factories import region
from layanan.audit.models import AuditEvent
from layanan.complaints.models import Complaint, ComplaintEvent
from layanan.complaints.queries_public import complaint_statistics, public_reports
from layanan.demo.complaints import REPORTS, load_demo_complaints

pytestmark = pytest.mark.django_db


def test_demo_complaints_cover_the_states_and_privacy_choices_once() -> None:
    # ``load_demo`` loads them (through ``load_demo_complaints``).
    call_command("load_demo", "--skip-holidays", stdout=StringIO())

    assert len(REPORTS) >= 12
    complaints = list(Complaint.objects.all())
    assert len(complaints) == len(REPORTS)
    assert all(c.regency_code == "33.02" and c.idempotency_scope == "demo" for c in complaints)
    states = {c.state for c in complaints}
    assert {"submitted", "verifying", "needs_info", "archived", "answered", "resolved", "closed"} <= states
    assert "in_progress" in states  # reopened by a bad rating
    if ServiceUnit.objects.filter(agency__slug="dlh-banyumas").exists():
        assert "disposed" in states  # reports waiting with agencies whose demo has no officer
    assert {c.kind for c in complaints} == {"pengaduan", "aspirasi", "informasi", "pungli"}
    anonymous = [c for c in complaints if c.is_anonymous]
    assert anonymous
    assert all(c.reporter_id is None for c in anonymous)
    assert any(c.is_confidential and c.kind != "pungli" for c in complaints)
    pungli = next(c for c in complaints if c.kind == "pungli")
    assert pungli.is_confidential
    assert pungli.state == "verifying"
    rated = [c for c in complaints if c.rating is not None]
    assert len(rated) >= 3
    assert any((c.rating or 0) <= 2 and c.state == "in_progress" for c in rated)
    assert all(c.first_answer_working_days is not None for c in complaints if c.first_answered_at)

    # The public side shows the verified, non-confidential ones, with answers and statistics.
    public = {c.reference for c in public_reports()}
    assert pungli.reference not in public
    assert not any(c.reference in public for c in complaints if c.is_confidential or c.state == "submitted")
    assert len(public) >= 6
    stats = complaint_statistics(90)
    assert stats.total.received == len(REPORTS)
    assert stats.total.median_working_days is not None
    assert Client().get("/laporan/").status_code == 200

    counts = (Complaint.objects.count(), ComplaintEvent.objects.count(), AuditEvent.objects.count())
    assert load_demo_complaints() == Counter()
    assert load_demo_complaints() == Counter()
    assert (Complaint.objects.count(), ComplaintEvent.objects.count(), AuditEvent.objects.count()) == counts


def test_demo_complaints_sit_in_their_villages_when_the_regions_are_loaded() -> None:
    # What ``layanan load_regions --province 33`` would load, for two of the villages.
    region("33.02.26.1001", name="Sokanegara")
    region("33.02.24", name="Purwokerto Selatan")

    call_command("load_demo", "--skip-holidays", stdout=StringIO())

    places = {c.idempotency_key: c.region_id for c in Complaint.objects.all()}
    assert places["demo-complaint-01"] == "33.02.26.1001"  # the village
    assert places["demo-complaint-02"] == "33.02.24"  # its district (the village is not loaded)
    assert places["demo-complaint-05"] == "33.02"  # the regency
