"""Personal data a reporter writes into a published report's story is masked on the public pages."""

from __future__ import annotations

import pytest
from django.test import Client

from layanan.accounts.models import ServiceUnit, User
from layanan.complaints.actions import dispose_complaint
from layanan.complaints.tests.factories import STORY, report

pytestmark = pytest.mark.django_db


def test_phone_nik_and_email_in_a_public_story_are_masked(coordinator: User, unit_a: ServiceUnit) -> None:
    body = f"{STORY} Hubungi saya di 0812-3456-7890 atau budi.warga@example.id, NIK 3302014107900001."
    complaint = report(body=body).complaint
    dispose_complaint(complaint, unit=unit_a, actor=coordinator)
    for url in ("/laporan/", f"/laporan/{complaint.reference}/"):
        page = Client().get(url).content.decode()
        assert complaint.reference in page
        for secret in ("0812-3456-7890", "budi.warga@example.id", "3302014107900001"):
            assert secret not in page
