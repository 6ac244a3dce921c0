"""The public side of complaints (``/laporan/``): what is published (and what never is), the
filters, the keyset pages, the statistics per agency and their medians, and the query counts."""

from __future__ import annotations

import datetime
import re
import statistics
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import (
    AgencyFactory,
    CitizenFactory,
    ServiceUnitFactory,
    region,
    staff_with_role,
)
from layanan.complaints.actions import (
    answer_complaint,
    dispose_complaint,
    rate_complaint,
    transition_complaint,
)
from layanan.complaints.models import Complaint
from layanan.complaints.queries_public import (
    PublicStatus,
    ReportFilters,
    complaint_statistics,
    medians_by_window,
    public_answers,
    public_report,
    report_page,
    uses_percentile,
)
from layanan.complaints.tests.factories import report
from layanan.core.references import make_reference

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
# A week without public holidays: Monday 2 February 2026, 09:00 in Jakarta.
MONDAY = datetime.datetime(2026, 2, 2, 9, 0, tzinfo=WIB)
LIST_URL = "/laporan/"
STATS_URL = "/laporan/statistik/"


@dataclass
class World:
    unit_a: ServiceUnit
    unit_b: ServiceUnit
    coordinator: User
    inspector: User
    officer_a: User
    officer_b: User


@pytest.fixture
def world() -> World:
    unit_a = ServiceUnitFactory(
        agency__name="Dinas Lingkungan Hidup", agency__slug="dlh", name="Bidang Kebersihan"
    )
    unit_b = ServiceUnitFactory(agency__name="Dinas Pekerjaan Umum", agency__slug="dpu", name="Bidang Jalan")
    return World(
        unit_a=unit_a,
        unit_b=unit_b,
        coordinator=staff_with_role(Role.COMPLAINT_COORDINATOR, agency=unit_a.agency),
        inspector=staff_with_role(Role.INSPECTORATE, agency=unit_b.agency),
        officer_a=staff_with_role(Role.BACK_OFFICE, unit=unit_a),
        officer_b=staff_with_role(Role.BACK_OFFICE, unit=unit_b),
    )


def _day(start: datetime.datetime, days: int) -> datetime.datetime:
    return start + datetime.timedelta(days=days)


def handled(
    world: World,
    *,
    title: str,
    body: str = "",
    unit: ServiceUnit | None = None,
    answer: str = "",
    answer_after_days: int = 1,
    rating: int | None = None,
    at: datetime.datetime | None = None,
    verify: bool = True,
    verifier: User | None = None,
    **kwargs: Any,
) -> Complaint:
    """A report submitted at ``at``, verified and disposed to ``unit`` the same day, answered
    ``answer_after_days`` calendar days later (when ``answer``) and rated (when ``rating``)."""
    at = at or timezone.now() - datetime.timedelta(days=12)
    body = body or f"{title}: sudah berminggu-minggu tidak ada perbaikan, warga sangat terganggu."
    submission = report(title=title, body=body, now=at, **kwargs)
    complaint = submission.complaint
    if not verify:
        return complaint
    protected = complaint.kind == "pungli"
    handler = verifier or (world.inspector if protected else world.coordinator)
    transition_complaint(complaint, "start_verification", actor=handler, now=at)
    if unit is None:
        return complaint
    dispose_complaint(
        complaint, unit=unit, actor=handler, note="Catatan disposisi internal RAHASIA-DISPOSISI", now=at
    )
    if answer:
        officer = (
            world.inspector if protected else (world.officer_a if unit == world.unit_a else world.officer_b)
        )
        answer_complaint(complaint, actor=officer, note=answer, now=_day(at, answer_after_days))
        if rating is not None:
            rate_complaint(
                complaint,
                rating=rating,
                comment="Komentar pelapor RAHASIA-KOMENTAR",
                actor=None,
                tracking_secret=submission.secret,
                now=_day(at, answer_after_days + 1),
            )
    complaint.refresh_from_db()
    return complaint


# What is published -------------------------------------------------------------------------------


def test_only_public_reports_appear_and_hidden_ones_leave_no_trace_on_any_page(world: World) -> None:
    public = handled(
        world,
        title="Sampah menumpuk di Pasar Wage",
        unit=world.unit_a,
        answer="Sampah sudah diangkut hari ini.",
    )
    confidential = handled(
        world,
        title="RAHASIA-JUDUL tumpukan limbah pabrik",
        body="RAHASIA-ISI limbah pabrik dibuang ke sungai setiap malam oleh truk tanpa nomor.",
        unit=world.unit_a,
        answer="RAHASIA-JAWABAN kami akan menindak.",
        is_confidential=True,
    )
    protected = handled(
        world,
        title="RAHASIA-PUNGLI diminta uang pelicin",
        body="RAHASIA-PUNGLI-ISI petugas meminta uang dua ratus ribu untuk mempercepat berkas.",
        kind="pungli",
        category_slug="pungli",
    )
    unverified = handled(world, title="RAHASIA-BELUM-DIVERIFIKASI lampu jalan mati", verify=False)
    archived = handled(world, title="RAHASIA-DIARSIPKAN laporan ganda")
    transition_complaint(archived, "archive", actor=world.coordinator, note="Laporan ganda.")
    hidden = [confidential, protected, unverified, archived]

    client = Client()
    pages = {
        "list": client.get(LIST_URL),
        "list filtered": client.get(LIST_URL, {"instansi": "dlh", "status": "dijawab"}),
        "stats": client.get(STATS_URL),
        "stats year": client.get(STATS_URL, {"periode": "365"}),
        "detail": client.get(reverse("complaints:public-detail", kwargs={"complaint": public.reference})),
    }

    assert public.title.encode() in pages["list"].content
    assert b"Sampah sudah diangkut hari ini." in pages["detail"].content
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert b"RAHASIA" not in response.content, name
        for complaint in hidden:
            assert complaint.reference.encode() not in response.content, (name, complaint.reference)
    for complaint in hidden:
        response = client.get(reverse("complaints:public-detail", kwargs={"complaint": complaint.reference}))
        assert response.status_code == 404
        assert b"RAHASIA" not in response.content


def test_a_hidden_report_answers_exactly_like_an_unknown_one(world: World) -> None:
    confidential = handled(world, title="Laporan rahasia tentang limbah", is_confidential=True)
    assert confidential.verified_at is not None
    unknown = make_reference("ADU", confidential.submitted_at.year, 999_999)
    client = Client()

    hidden = client.get(f"/laporan/{confidential.reference}/")
    missing = client.get(f"/laporan/{unknown}/")
    typo = client.get(f"/laporan/{confidential.reference[:-1]}0{confidential.reference[-1]}/")

    assert hidden.status_code == missing.status_code == typo.status_code == 404

    def page(response: Any, reference: str) -> str:
        text = response.content.decode().replace(reference, "REF")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert page(hidden, confidential.reference) == page(missing, unknown)


def test_the_detail_shows_the_answers_but_no_reporter_and_no_other_note(world: World) -> None:
    reporter = CitizenFactory(full_name="Sutrisno Wibowo Pelapor", email="", phone="")
    complaint = handled(
        world,
        title="Drainase tersumbat di Jalan Gatot Subroto",
        location_text="Depan Toko Sinar",
        actor=reporter,
        unit=world.unit_b,
        answer="Tim sudah membersihkan saluran pada hari Selasa.",
        rating=2,
    )
    # The bad rating reopened the report; the unit answers a second time.
    assert complaint.state == "in_progress"
    answer_complaint(complaint, actor=world.officer_b, note="Saluran diperbaiki permanen dengan beton.")
    assert not complaint.is_anonymous
    assert complaint.reporter == reporter

    response = Client().get(f"/laporan/{complaint.reference}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Drainase tersumbat di Jalan Gatot Subroto" in html
    assert "Depan Toko Sinar" in html
    assert "Tim sudah membersihkan saluran pada hari Selasa." in html
    assert "Saluran diperbaiki permanen dengan beton." in html
    assert html.count("Dinas Pekerjaan Umum") >= 2  # handled by, and who answered
    for secret in ("Sutrisno", "Pelapor", "RAHASIA-DISPOSISI", "RAHASIA-KOMENTAR"):
        assert secret not in html
    assert [a.text for a in public_answers(complaint)] == [
        "Tim sudah membersihkan saluran pada hari Selasa.",
        "Saluran diperbaiki permanen dengan beton.",
    ]


def test_the_public_queryset_never_loads_reporter_columns(world: World) -> None:
    complaint = handled(world, title="Jalan berlubang di Karanglewas", unit=world.unit_b)
    found = public_report(complaint.reference.lower())
    assert found is not None
    assert found.pk == complaint.pk
    deferred = found.get_deferred_fields()
    assert {
        "reporter_data",
        "reporter_id",
        "reporter_index",
        "tracking_secret_digest",
        "rating_comment",
    } <= deferred


# Filters and pages -------------------------------------------------------------------------------


def _titles(response: Any) -> list[str]:
    return [report.title for report in response.context["reports"]]


def test_filters_by_agency_category_status_and_regency(world: World) -> None:
    banyumas = staff_with_role(
        Role.COMPLAINT_COORDINATOR, agency=AgencyFactory(region=region("33.02", name="Kabupaten Banyumas"))
    )
    region("33.02.01", name="Kecamatan Lumbir")
    open_a = handled(world, title="Sampah belum diangkut", unit=world.unit_a)
    answered_b = handled(
        world,
        title="Jalan rusak parah",
        unit=world.unit_b,
        answer="Sudah ditambal.",
        category_slug="infrastruktur",
        attributes={"fasilitas": "jalan"},
    )
    resolved_a = handled(world, title="Bau limbah", unit=world.unit_a, answer="Sudah dicek.", rating=5)
    closed = handled(world, title="Pohon tumbang", unit=world.unit_a, answer="Sudah dipotong.", rating=4)
    transition_complaint(closed, "close", actor=world.coordinator)
    elsewhere = handled(world, title="Sampah di Lumbir", region_code="33.02.01", verifier=banyumas)
    client = Client()

    assert _titles(client.get(LIST_URL, {"instansi": "dpu"})) == [answered_b.title]
    assert _titles(client.get(LIST_URL, {"kategori": "infrastruktur"})) == [answered_b.title]
    assert _titles(client.get(LIST_URL, {"status": "dijawab"})) == [answered_b.title]
    assert _titles(client.get(LIST_URL, {"status": "selesai"})) == [resolved_a.title]
    assert _titles(client.get(LIST_URL, {"status": "ditutup"})) == [closed.title]
    assert set(_titles(client.get(LIST_URL, {"status": "diproses"}))) == {open_a.title, elsewhere.title}
    assert set(_titles(client.get(LIST_URL, {"instansi": "dlh", "status": "diproses"}))) == {open_a.title}
    assert _titles(client.get(LIST_URL, {"wilayah": "33.74"}))
    assert elsewhere.title not in _titles(client.get(LIST_URL, {"wilayah": "33.74"}))
    assert set(PublicStatus.values) == {"diproses", "dijawab", "selesai", "ditutup"}


def test_a_bad_filter_value_is_reported_and_the_other_filters_still_apply(world: World) -> None:
    handled(world, title="Sampah belum diangkut", unit=world.unit_a)
    handled(world, title="Jalan rusak parah", unit=world.unit_b)

    response = Client().get(LIST_URL, {"instansi": "dpu", "status": "entah", "kategori": "<script>"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a status from the list." in html or "status" in response.context["form"].errors
    assert "kategori" in response.context["form"].errors
    assert "<script>" not in html
    assert _titles(response) == ["Jalan rusak parah"]
    assert 'class="error-summary"' in html


def test_keyset_pages_walk_forward_and_back_without_gaps_or_repeats(world: World) -> None:
    start = timezone.now() - datetime.timedelta(days=20)
    made = [handled(world, title=f"Laporan nomor {n}", at=_day(start, n)) for n in range(7)]
    # Two reports in the same second: the id breaks the tie.
    same = handled(world, title="Laporan kembar", at=made[3].submitted_at)
    confidential = handled(world, title="Rahasia", is_confidential=True, at=_day(start, 2))
    newest_first = sorted([*made, same], key=lambda c: (-c.submitted_at.timestamp(), c.pk))

    seen: list[str] = []
    page = report_page(ReportFilters(), size=3)
    pages = [page]
    while page.older:
        page = report_page(ReportFilters(), after=page.older, size=3)
        pages.append(page)
    for item in pages:
        seen += [r.reference for r in item.reports]
    assert seen == [c.reference for c in newest_first]
    assert pages[0].newer is None
    assert pages[-1].older is None
    back = report_page(ReportFilters(), before=pages[-1].newer or "", size=3)
    assert [r.reference for r in back.reports] == [r.reference for r in pages[-2].reports]

    # A hidden report's reference as a cursor is no cursor: the first page, as for junk.
    assert [
        r.reference for r in report_page(ReportFilters(), after=confidential.reference, size=3).reports
    ] == [r.reference for r in pages[0].reports]
    response = Client().get(LIST_URL, {"setelah": pages[0].older or ""})
    assert f"sebelum={response.context['page'].newer}" in response.content.decode()


# Statistics --------------------------------------------------------------------------------------


def _known_data(world: World) -> None:
    """Agency A answers after 1, 2, 4 and 7 working days (median 3, three on time); agency B
    after 1, 5 and 8 (median 5, two on time); overall 1, 1, 2, 4, 5, 7, 8 (median 4). The
    deadline is 5 working days."""
    # Monday + n calendar days in a week without holidays: Tue 1, Wed 2, Fri 4, next Wed 7, ...
    for days, rating in ((1, 5), (2, 4), (4, None), (9, 1)):
        handled(
            world,
            title=f"A {days}",
            unit=world.unit_a,
            answer="Dijawab.",
            answer_after_days=days,
            rating=rating,
            at=MONDAY,
        )
    for days in (1, 7, 10):
        handled(
            world,
            title=f"B {days}",
            unit=world.unit_b,
            answer="Dijawab.",
            answer_after_days=days,
            at=MONDAY,
            is_confidential=days == 7,
        )
    handled(world, title="B belum dijawab", unit=world.unit_b, at=MONDAY)
    handled(world, title="Belum didisposisi", at=MONDAY)
    handled(world, title="Lama sekali", unit=world.unit_a, at=MONDAY - datetime.timedelta(days=200))


def test_statistics_per_agency_on_known_data(world: World) -> None:
    _known_data(world)
    stored = sorted(
        days
        for days in Complaint.objects.values_list("first_answer_working_days", flat=True)
        if days is not None
    )
    assert stored == [1, 1, 2, 4, 5, 7, 8]

    stats = complaint_statistics(90, now=MONDAY + datetime.timedelta(days=30))

    a, b = stats.agencies
    assert (a.slug, a.received, a.answered, a.answered_on_time) == ("dlh", 4, 4, 3)
    assert a.median_working_days == 3.0
    assert a.on_time_percent == 75
    assert a.rating_average == pytest.approx(10 / 3)
    assert a.rating_count == 3
    # B's confidential report counts (numbers only).
    assert (b.slug, b.received, b.answered, b.answered_on_time) == ("dpu", 4, 3, 2)
    assert b.median_working_days == 5.0
    assert b.rating_count == 0
    assert b.rating_average is None
    total = stats.total
    assert (total.received, total.answered, total.answered_on_time) == (9, 7, 5)
    assert total.median_working_days == 4.0 == statistics.median(stored)

    year = complaint_statistics(365, now=MONDAY + datetime.timedelta(days=30))
    assert year.total.received == 10
    assert year.agencies[0].received == 5


def test_the_portable_median_agrees_with_the_database_on_even_and_odd_counts(world: World) -> None:
    _known_data(world)
    Complaint.objects.filter(title="B 10").update(first_answer_working_days=None)  # B: 1, 5 (even)
    reports = Complaint.objects.all()

    by_agency = medians_by_window(reports.filter(agency__isnull=False), by_agency=True)
    overall = medians_by_window(reports, by_agency=False)

    assert by_agency == {world.unit_a.agency_id: 3.0, world.unit_b.agency_id: 3.0}
    assert overall == {None: 3.0}  # 1, 1, 2, 4, 5, 7
    stats = complaint_statistics(365, now=MONDAY + datetime.timedelta(days=30))
    assert [row.median_working_days for row in stats.agencies] == [3.0, 3.0]
    assert stats.total.median_working_days == 3.0
    assert medians_by_window(reports.none(), by_agency=False) == {}
    assert uses_percentile() == (connection.vendor == "postgresql")


def test_the_statistics_page_is_an_accessible_table(world: World) -> None:
    _known_data(world)
    response = Client().get(STATS_URL, {"periode": "365"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<caption" in html
    assert html.count('scope="col"') == 6
    assert html.count('scope="row"') == 3
    assert "<script" not in html.split("</head>")[1]
    assert response.context["stats"].days == 365
    bad = Client().get(STATS_URL, {"periode": "7"})
    assert bad.status_code == 200
    assert bad.context["stats"].days == 90
    with translation.override("id"):
        message = translation.gettext("Choose a period from the list.")
    assert message in bad.content.decode()


# Query counts ------------------------------------------------------------------------------------


def _queries(client: Client, url: str, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def test_pages_run_a_constant_number_of_queries(world: World, django_assert_max_num_queries: Any) -> None:
    client = Client()
    handled(world, title="Satu", unit=world.unit_a, answer="Dijawab.", rating=5)
    first = handled(world, title="Dua", unit=world.unit_b, answer="Dijawab.")
    few = {
        "list": _queries(client, LIST_URL),
        "filtered": _queries(client, LIST_URL, {"instansi": "dlh", "status": "selesai", "wilayah": "33.74"}),
        "stats": _queries(client, STATS_URL),
        "detail": _queries(client, f"/laporan/{first.reference}/"),
    }
    for n in range(8):
        unit = world.unit_a if n % 2 else world.unit_b
        handled(
            world,
            title=f"Laporan {n}",
            unit=unit,
            answer="Dijawab.",
            rating=1 + n % 5,
            region_code=f"33.74.0{n % 3 + 1}",
        )
    answer_complaint(
        handled(world, title="Dijawab dua kali", unit=world.unit_a, answer="Pertama.", rating=1),
        actor=world.officer_a,
        note="Kedua.",
    )
    many = {
        "list": _queries(client, LIST_URL),
        "filtered": _queries(client, LIST_URL, {"instansi": "dlh", "status": "selesai", "wilayah": "33.74"}),
        "stats": _queries(client, STATS_URL),
        "detail": _queries(client, f"/laporan/{first.reference}/"),
    }
    assert many == few
    with django_assert_max_num_queries(8):
        client.get(LIST_URL, {"setelah": first.reference})
    with django_assert_max_num_queries(6):
        client.get(STATS_URL, {"periode": "30"})
    with django_assert_max_num_queries(6):
        client.get(f"/laporan/{first.reference}/")
