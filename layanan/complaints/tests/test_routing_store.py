"""The routing assistant fed from the database (``routing_store``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from layanan.accounts.models import ServiceUnit
from layanan.accounts.tests.factories import ServiceUnitFactory, region
from layanan.complaints import routing_store
from layanan.complaints.actions import SYSTEM_ACTOR, dispose_complaint
from layanan.complaints.models import Complaint, ComplaintCategory, ComplaintKind, Disposition
from layanan.complaints.tests.factories import report

pytestmark = pytest.mark.django_db

REGENCY = "33.74"


@pytest.fixture(autouse=True)
def _fresh_process(tmp_path: Path) -> Iterator[None]:
    """Each test is a fresh process with its own (absent) snapshot."""
    with override_settings(LAYANAN_ROUTING_SNAPSHOT=str(tmp_path / "learned.json")):
        routing_store.reset_process_cache()
        yield
        routing_store.reset_process_cache()


def _unit(slug: str, name: str, duties: str, region_code: str = REGENCY) -> ServiceUnit:
    unit: ServiceUnit = ServiceUnitFactory(
        agency__slug=slug, agency__name=name, agency__duties=duties, agency__region=region(region_code)
    )
    return unit


@pytest.fixture
def units() -> dict[str, ServiceUnit]:
    return {
        "dlh": _unit("dlh", "Dinas Lingkungan Hidup", "Pengelolaan sampah, kebersihan, TPS, limbah."),
        "pupr": _unit("pupr", "Dinas Pekerjaan Umum", "Pemeliharaan jalan, jembatan, drainase, talud."),
        "pertanian": _unit(
            "pertanian", "Dinas Pertanian", "Pupuk bersubsidi, kartu tani, penyuluhan petani."
        ),
    }


def _disposed(
    unit: ServiceUnit, title: str, body: str, category: str = "lainnya", **kwargs: Any
) -> Complaint:
    complaint = report(title=title, body=body, category_slug=category, **kwargs).complaint
    return dispose_complaint(complaint, unit=unit, actor=SYSTEM_ACTOR)


def test_suggestions_name_the_agency_and_category_with_ids(units: dict[str, ServiceUnit]) -> None:
    suggestions = routing_store.suggestions_for(
        "sampah numpuk", "smpah di tps numpuk bau", "33.74.01", limit=2
    )

    best = suggestions[0]
    assert best.agency_slug == "dlh"
    assert best.agency_id == units["dlh"].agency_id
    assert best.agency_name == "Dinas Lingkungan Hidup"
    assert best.category_slug == "lingkungan"
    assert best.category_id == ComplaintCategory.objects.get(slug="lingkungan").pk
    assert best.category_name_en == "Environment and waste"
    assert len(suggestions) == 2
    assert routing_store.suggestions_for("", "  ", "33.74") == []


def test_an_unchanged_model_costs_one_query(
    units: dict[str, ServiceUnit], django_assert_num_queries: pytest.FixtureDef[None]
) -> None:
    routing_store.suggestions_for("jalan rusak", "jln bolong", "33.74.01")

    with django_assert_num_queries(1):  # type: ignore[operator]
        suggestions = routing_store.suggestions_for("jalan rusak", "jln bolong", "33.74.01")

    assert suggestions[0].agency_slug == "pupr"


def test_a_new_confirmed_disposition_is_folded_in(units: dict[str, ServiceUnit]) -> None:
    query = ("embung kering", "embung desa kering sawah gagal panen")
    before = {s.agency_slug: s.confidence for s in routing_store.suggestions_for(*query, "33.74.01")}

    for village in ("karangsari", "pageraji", "sokaraja"):
        _disposed(units["pertanian"], "embung kering", f"embung desa {village} kering sawah gagal panen")

    best = routing_store.suggestions_for(*query, "33.74.01")[0]
    assert best.agency_slug == "pertanian"
    assert best.confidence > before["pertanian"] + 0.3
    assert routing_store.current_model().learned.reports == 3


def test_confidential_and_protected_reports_never_teach(units: dict[str, ServiceUnit]) -> None:
    _disposed(units["dlh"], "embung kering", "embung desa kering sawah gagal panen", is_confidential=True)
    protected = _disposed(units["dlh"], "embung kering", "embung desa kering sawah gagal panen")
    # (The protected channel's own flow, to the inspectorate, is the actions' business.)
    Complaint.objects.filter(pk=protected.pk).update(kind=ComplaintKind.WHISTLEBLOWING)
    _disposed(units["dlh"], "embung kering", "embung desa kering sawah gagal panen")
    refused = _disposed(units["dlh"], "embung kering", "embung desa kering sawah gagal panen")
    Disposition.objects.filter(complaint=refused).update(is_accepted=False)

    assert routing_store.current_model().learned.reports == 1


def test_a_new_agency_is_suggested_without_restarting(units: dict[str, ServiceUnit]) -> None:
    routing_store.suggestions_for("lampu merah mati", "bangjo rusak", "33.74.01")

    _unit("dinhub", "Dinas Perhubungan", "Lampu lalu lintas, rambu, parkir, terminal, angkutan umum.")

    assert (
        routing_store.suggestions_for("lampu merah mati", "bangjo rusak", "33.74.01")[0].agency_slug
        == "dinhub"
    )


def test_the_snapshot_is_what_a_fresh_process_learns_from(
    units: dict[str, ServiceUnit], tmp_path: Path
) -> None:
    for village in ("karangsari", "pageraji"):
        _disposed(units["pertanian"], "embung kering", f"embung desa {village} kering sawah gagal panen")

    call_command("rebuild_routing_model", stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115

    assert "learned 2 reports" in (tmp_path / "out.txt").read_text()
    snapshot = routing_store.read_snapshot()
    assert snapshot is not None
    assert snapshot.learned.reports == 2
    # A fresh process reads the snapshot and does not analyse the reports again.
    routing_store.reset_process_cache()
    Complaint.objects.update(title="x", body="x")
    loaded = routing_store.current_model()
    assert loaded.learned.reports == 2
    assert loaded.learned.agency_terms["pertanian"]["embung"] == 2


def test_a_snapshot_of_another_version_is_ignored(units: dict[str, ServiceUnit]) -> None:
    path = routing_store.snapshot_path()
    path.write_text('{"format": 1, "routing_version": "old", "watermark": 0, "learned": {}}')

    assert routing_store.read_snapshot() is None
    assert routing_store.suggestions_for("jalan rusak", "", "33.74")[0].agency_slug == "pupr"
