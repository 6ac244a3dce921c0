"""SP4N-LAPOR! both ways through the local simulator: forwarding stores LAPOR!'s tracking id, and a
report LAPOR! sends (in process, or over HTTP by ``layanan lapor_simulate_inbound``) is filed once
with its tracking id."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from layanan.accounts.models import User
from layanan.complaints import actions
from layanan.complaints.lapor import (
    SIGNATURE_HEADER,
    SimulatedLapor,
    lapor_secret,
    receive_report,
    signed_headers,
)
from layanan.complaints.models import Complaint
from layanan.complaints.tests.factories import DISTRICT, district, report
from layanan.payments.provider import InvalidSignature, sign_body

NAME = "Rina Kartika"


@pytest.fixture(autouse=True)
def _places(db: None) -> None:
    district()
    SimulatedLapor.forwarded.clear()


def lapor_report(**overrides: Any) -> dict[str, Any]:
    return {
        **SimulatedLapor.inbound_report(
            title="Jembatan penghubung desa ambruk",
            body="Jembatan kayu penghubung dua dusun ambruk setelah hujan deras, anak sekolah memutar jauh.",
            region=DISTRICT,
            category="infrastruktur",
            reporter_name=NAME,
            attributes={"fasilitas": "jembatan"},
        ),
        **overrides,
    }


def test_forwarding_stores_lapors_tracking_id_and_sends_no_anonymous_identity(
    citizen: User, coordinator: User
) -> None:
    complaint = report(actor=citizen, is_anonymous=True).complaint
    actions.transition_complaint(complaint, "start_verification", actor=coordinator)

    forwarded = actions.forward_to_lapor(complaint, actor=coordinator)

    complaint.refresh_from_db()
    assert complaint.lapor_tracking_id == forwarded.lapor_tracking_id
    assert complaint.lapor_tracking_id.startswith("LAPOR-")
    assert len(complaint.lapor_tracking_id) == len("LAPOR-") + 10
    assert (complaint.state, complaint.lapor_forwarded_at is not None) == ("rerouted", True)
    [sent] = SimulatedLapor.forwarded
    assert sent["tracking_id"] == complaint.lapor_tracking_id
    assert sent["referensi_asal"] == complaint.reference
    assert "pelapor" not in sent
    assert citizen.full_name not in json.dumps(sent)


def test_the_simulator_files_an_inbound_report_once_with_its_tracking_id() -> None:
    payload = lapor_report()

    status, answer = SimulatedLapor.deliver_inbound(payload)
    again_status, again = SimulatedLapor.deliver_inbound(payload)

    complaint = Complaint.objects.get()
    assert (status, again_status) == (201, 200)
    assert answer == {
        "reference": complaint.reference,
        "lapor_tracking_id": payload["id_lapor"],
        "created": True,
    }
    assert again["reference"] == complaint.reference
    assert (complaint.channel, complaint.lapor_tracking_id) == ("lapor", payload["id_lapor"])
    assert complaint.reporter is None
    assert complaint.reporter_details()["name"] == NAME
    assert complaint.region_id == DISTRICT


def test_forward_then_inbound_round_trip(citizen: User, coordinator: User) -> None:
    """A report forwarded to LAPOR! keeps LAPOR!'s id; a report LAPOR! sends comes in with its id."""
    ours = report(actor=citizen).complaint
    actions.transition_complaint(ours, "start_verification", actor=coordinator)
    actions.forward_to_lapor(ours, actor=coordinator)
    [sent] = SimulatedLapor.forwarded

    status, answer = SimulatedLapor.deliver_inbound(
        SimulatedLapor.inbound_report(
            title=sent["judul"], body=sent["isi"], region=sent["lokasi"], category=sent["kategori"]
        )
    )

    ours.refresh_from_db()
    received = Complaint.objects.get(reference=answer["reference"])
    assert status == 201
    assert ours.lapor_tracking_id == sent["tracking_id"]
    assert received.channel == "lapor"
    assert received.lapor_tracking_id == answer["lapor_tracking_id"] != ours.lapor_tracking_id
    assert (received.title, received.category.slug) == (ours.title, ours.category.slug)


def test_an_unknown_lapor_category_lands_in_other() -> None:
    SimulatedLapor.deliver_inbound(lapor_report(kategori="kategori-lapor-lain"))

    assert Complaint.objects.get().category.slug == "lainnya"


def test_receive_report_checks_the_signature_first() -> None:
    body = json.dumps(lapor_report()).encode()

    with pytest.raises(InvalidSignature):
        receive_report(body, {SIGNATURE_HEADER: sign_body(body, b"another secret")})

    assert Complaint.objects.count() == 0


@override_settings(LAYANAN_LAPOR_SECRET="", IS_PRODUCTION=True)
def test_production_without_a_shared_secret_refuses_everything() -> None:
    body = json.dumps(lapor_report()).encode()

    assert lapor_secret() == b""
    with pytest.raises(InvalidSignature):
        receive_report(body, signed_headers(body))


@override_settings(LAYANAN_LAPOR_SECRET="l1:" + "c2VjcmV0LXNoYXJlZC13aXRoLWxhcG9yLTMyYnl0ZXM=")
def test_a_configured_secret_is_the_first_key_of_the_ring() -> None:
    assert lapor_secret() == b"secret-shared-with-lapor-32bytes"


def test_the_command_delivers_in_process() -> None:
    out = StringIO()

    call_command(
        "lapor_simulate_inbound",
        "--region",
        DISTRICT,
        "--tracking-id",
        "LAPOR-0000000042",
        "--anonymous",
        stdout=out,
    )
    call_command(
        "lapor_simulate_inbound",
        "--region",
        DISTRICT,
        "--tracking-id",
        "LAPOR-0000000042",
        "--anonymous",
        stdout=out,
    )

    complaint = Complaint.objects.get()
    lines = out.getvalue().splitlines()
    assert lines[0] == f"received: {complaint.reference} (SP4N-LAPOR! LAPOR-0000000042), HTTP 201"
    assert lines[1].startswith("already received:")
    assert (complaint.is_anonymous, complaint.lapor_tracking_id) == (True, "LAPOR-0000000042")


def test_the_command_reports_refusals() -> None:
    with translation.override("en"), pytest.raises(CommandError, match="lokasi: No region has this code"):
        call_command("lapor_simulate_inbound", "--region", "99.99", stdout=StringIO())

    assert Complaint.objects.count() == 0


@pytest.mark.urls("layanan.complaints.tests.test_api")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_delivers_over_http_to_a_running_server(live_server: Any) -> None:
    district()
    out = StringIO()
    url = f"{live_server.url}/api/v1/lapor/reports"

    call_command(
        "lapor_simulate_inbound",
        "--url",
        url,
        "--region",
        DISTRICT,
        "--tracking-id",
        "LAPOR-0000000077",
        stdout=out,
    )
    with pytest.raises(CommandError, match="HTTP 422"):
        call_command("lapor_simulate_inbound", "--url", url, "--region", "99.99", stdout=StringIO())

    complaint = Complaint.objects.get()
    assert (
        out.getvalue().strip() == f"received: {complaint.reference} (SP4N-LAPOR! LAPOR-0000000077), HTTP 201"
    )
    assert (complaint.channel, complaint.lapor_tracking_id) == ("lapor", "LAPOR-0000000077")
