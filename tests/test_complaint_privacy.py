"""Anonymity and confidentiality of complaints, across every page, export, API and Open311 answer.

An anonymous report's reporter (name, e-mail, phone, NIK) must be absent from every response any
staff member or visitor can get, and a confidential (*rahasia*) report's content from every
response the public can get. The sweep walks every URL of the platform (the same walk as
``test_every_view``) with the report's reference and ids filled in, as every persona, GET and
POST, and searches the raw bytes.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.tests.factories import CitizenFactory
from layanan.complaints.actions import answer_complaint, dispose_complaint, submit_complaint
from layanan.complaints.models import Complaint, ComplaintCategory
from layanan.regions.models import Region
from layanan.vault.tests.factories import png_upload
from tests.test_every_view import PERSONAS, _client, _fill, _kwargs, _param_defaults, _url_names

NAME = "Wulandari Pelaporrahasia"
EMAIL = "wulandari.pelapor@example.id"
PHONE = "+6281299990001"
NIK = "3302014107900001"
SECRET_STORY = "Kepala seksi meminta uang tambahan dua ratus ribu rupiah di ruang belakang kantor."


def _identity_marks() -> list[bytes]:
    marks = [NAME, "Wulandari", "Pelaporrahasia", EMAIL, "wulandari.pelapor", PHONE, "81299990001", NIK]
    return [m.encode() for m in marks]


def _village() -> Region:
    region = Region.objects.filter(code__startswith="33.02.", level=Region.Level.VILLAGE).first()
    if region is None:
        region = Region.objects.filter(code__startswith="33.02").order_by("-level").first()
    assert region is not None
    return region


def _make_reports() -> tuple[Complaint, Complaint]:
    reporter: User = CitizenFactory(full_name=NAME, email=EMAIL, phone=PHONE)
    coordinator = User.objects.get(username="koordinator")
    officer = User.objects.get(username="verifikator")
    unit = ServiceUnit.objects.filter(memberships__user=officer, memberships__is_active=True).first()
    assert unit is not None
    lingkungan = ComplaintCategory.objects.get(slug="lingkungan")
    anonymous = submit_complaint(
        kind="pengaduan",
        category=lingkungan,
        title="Sampah tidak diangkut seminggu",
        body="Sampah di depan pasar tidak diangkut seminggu, baunya sampai ke rumah warga.",
        region=_village(),
        actor=reporter,
        reporter=reporter,
        channel="web",
        is_anonymous=True,
        reporter_details={"nik": NIK, "address": "Jl. Rahasia No. 1"},
        attachments=[png_upload("wulandari-pelaporrahasia.png")],
        suggest=False,
    ).complaint
    dispose_complaint(anonymous, unit=unit, actor=coordinator)
    answer_complaint(anonymous, actor=officer, note="Sudah diangkut pagi ini.")
    confidential = submit_complaint(
        kind="pengaduan",
        category=lingkungan,
        title="Laporan rahasia tentang kantor",
        body=SECRET_STORY,
        region=_village(),
        actor=None,
        channel="web",
        is_confidential=True,
        suggest=False,
    ).complaint
    dispose_complaint(confidential, unit=unit, actor=coordinator)
    return anonymous, confidential


def _responses(defaults: dict[str, Any], personas: tuple[str, ...]) -> list[tuple[str, str, bytes]]:
    kwargs = _kwargs()
    found = []
    for name, route in _url_names():
        if "<" in route and name not in kwargs:
            filled = _fill(route, defaults)
            if filled is None:
                continue
            kwargs[name] = filled
        url = reverse(name, kwargs=kwargs.get(name))
        for persona in personas:
            client = _client(persona)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                found.append((f"{method.upper()} {url}", persona, body))
    return found


@pytest.mark.django_db
def test_an_anonymous_reporter_is_absent_from_every_response_and_confidential_content_from_public_ones() -> (
    None
):
    call_command("load_demo", "--skip-holidays", stdout=io.StringIO())
    anonymous, confidential = _make_reports()
    defaults = _param_defaults()
    leaks = []
    for complaint in (anonymous, confidential):
        attachment = complaint.attachments.first()
        defaults.update(
            {
                "complaint": complaint.reference,
                "reference": complaint.reference,
                "attachment": attachment.public_id if attachment is not None else uuid.UUID(int=5),
                "service_request_id": complaint.reference,
                "token": str(complaint.public_id),
                "format": "json",
            }
        )
        responses = _responses(defaults, PERSONAS)
        # The sweep did reach the report: its case page opened for the coordinator and the unit.
        for persona in ("koordinator", "verifikator"):
            assert any(
                where.startswith("GET /petugas/pengaduan/" + complaint.reference)
                and complaint.title.encode() in body
                for where, who, body in responses
                if who == persona
            ), persona
        for where, persona, body in responses:
            for mark in _identity_marks():
                if mark in body:
                    leaks.append(f"{where} as {persona} shows {mark.decode()!r}")
            if (
                complaint is confidential
                and persona in {"anonymous", "siti.aminah"}
                and SECRET_STORY.encode() in body
            ):
                leaks.append(f"{where} as {persona} shows the confidential story")
    assert leaks == []


@pytest.mark.django_db
def test_api_and_open311_answers_never_name_an_anonymous_reporter() -> None:
    call_command("load_demo", "--skip-holidays", stdout=io.StringIO())
    anonymous, _confidential = _make_reports()
    bodies = []
    for persona in PERSONAS:
        client: Client = _client(persona)
        bodies.append(client.get(f"/api/v1/complaints/{anonymous.reference}").content)
        bodies.append(client.get("/open311/v2/requests.json").content)
        bodies.append(client.get("/open311/v2/requests.xml").content)
        bodies.append(client.get(f"/open311/v2/requests/{anonymous.reference}.json").content)
    for body in bodies:
        for mark in _identity_marks():
            assert mark not in body
