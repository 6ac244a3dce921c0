"""Builders for Open311 tests: clients with keys and public reports, always through the actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from layanan.accounts.models import ServiceUnit, User
from layanan.complaints.actions import dispose_complaint
from layanan.complaints.models import Complaint
from layanan.complaints.tests.factories import report
from layanan.open311.actions import create_open311_client
from layanan.open311.models import Open311Client
from layanan.regions.models import Region


def client_with_key(
    *, name: str = "Aplikasi Lapor Kota", region: Region | None = None
) -> tuple[Open311Client, str]:
    return create_open311_client(name=name, contact="Tim TI, ti@example.id", region=region, actor=None)


def public_report(
    *, coordinator: User, unit: ServiceUnit, dispose_now: datetime | None = None, **kwargs: Any
) -> Complaint:
    """A report the coordinator verified and disposed to ``unit``: public unless confidential."""
    complaint = report(**kwargs).complaint
    dispose_complaint(complaint, unit=unit, actor=coordinator, now=dispose_now)
    complaint.refresh_from_db()
    return complaint
