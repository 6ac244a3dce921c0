"""Duplicate hints: the ranking (pure, no database) and the candidates' query (open, public, same
category and regency, one query)."""

from __future__ import annotations

from typing import Any

import pytest

from layanan.accounts.models import User
from layanan.complaints.actions import transition_complaint
from layanan.complaints.duplicates import Candidate, candidates_for, find_duplicates, similar_reports
from layanan.complaints.models import Complaint
from layanan.complaints.tests.factories import STORY, category, district, report

POTHOLE = Candidate(
    "ADU-2026-000001-5",
    "Jalan berlubang di depan SD Negeri 3",
    "Jalan di depan SD Negeri 3 Semarang berlubang besar sejak dua bulan, motor sering jatuh.",
)
LIGHT = Candidate(
    "ADU-2026-000002-1",
    "Lampu jalan mati di Jalan Pemuda",
    "Lampu penerangan jalan di Jalan Pemuda mati sudah seminggu, gelap dan rawan.",
)
WASTE = Candidate(
    "ADU-2026-000003-8",
    "Sampah menumpuk di pasar",
    "Sampah di pasar Johar menumpuk tidak diangkut petugas kebersihan, bau sekali.",
)
CANDIDATES = [POTHOLE, LIGHT, WASTE]


def test_colloquial_report_finds_the_same_problem() -> None:
    found = similar_reports(
        "Jln rusak depan SDN 3",
        "jalanan di depan sekolah SD negeri 3 rusak berlobang, bahaya buat motor",
        CANDIDATES,
    )

    assert [item.candidate for item in found] == [POTHOLE]
    assert found[0].score > 0
    assert 0 < found[0].overlap <= 1


def test_other_wording_of_another_report_is_found() -> None:
    found = similar_reports(
        "Lampu jalan padam", "lampu PJU di jalan pemuda padam, jalan gelap malam hari", CANDIDATES
    )

    assert [item.candidate for item in found] == [LIGHT]


def test_one_shared_common_word_is_not_a_duplicate() -> None:
    assert similar_reports("Jalan licin", "jalan di dekat taman licin kalau hujan", CANDIDATES) == []


def test_unrelated_report_has_no_hint() -> None:
    assert (
        similar_reports("Pelayanan KTP lambat", "antre lama sekali di kantor dukcapil untuk ktp", CANDIDATES)
        == []
    )


def test_limit_and_empty_input() -> None:
    same = [Candidate(f"ADU-2026-00000{i}-0", POTHOLE.title, POTHOLE.body) for i in range(5)]

    assert len(similar_reports(POTHOLE.title, POTHOLE.body, same, limit=2)) == 2
    assert similar_reports(POTHOLE.title, POTHOLE.body, []) == []
    assert similar_reports("", "", CANDIDATES) == []


def test_stricter_thresholds_drop_weak_matches() -> None:
    query = ("Jalan rusak", "jalan di depan SD berlubang")

    assert similar_reports(*query, CANDIDATES)
    assert similar_reports(*query, CANDIDATES, min_overlap=1.0) == []
    assert similar_reports(*query, CANDIDATES, min_shared_terms=10) == []


@pytest.mark.django_db
def test_candidates_are_open_public_reports_of_the_category_and_regency(
    coordinator: User, django_assert_num_queries: Any
) -> None:
    def verified(**kwargs: Any) -> Complaint:
        submission = report(category_slug="lingkungan", **kwargs)
        return transition_complaint(submission.complaint, "start_verification", actor=coordinator)

    district()
    public = verified(title="Sampah menumpuk di pinggir jalan")
    verified(title="Sampah rahasia", is_confidential=True)
    report(title="Sampah belum diperiksa")  # not verified yet: not public
    verified(title="Sampah di kecamatan lain", region_code="33.74.02")  # same regency: a candidate
    report(category_slug="infrastruktur", title="Jalan", attributes={"fasilitas": "jalan"})
    closed = verified(title="Sampah diarsipkan")
    transition_complaint(closed, "archive", actor=coordinator, note="Sudah selesai")

    topic = category("lingkungan")
    with django_assert_num_queries(1):
        found = candidates_for(topic, "33.74.01")

    assert [c.title for c in found] == ["Sampah di kecamatan lain", public.title]
    assert candidates_for(category("lingkungan"), "33.71") == []
    assert candidates_for(category("pungli"), "33.74") == []


@pytest.mark.django_db
def test_find_duplicates_ranks_the_database_candidates(coordinator: User) -> None:
    district()
    submission = report(category_slug="infrastruktur", attributes={"fasilitas": "jalan"}, body=STORY)
    transition_complaint(submission.complaint, "start_verification", actor=coordinator)

    found = find_duplicates(
        category=category("infrastruktur"),
        regency_code="33.74",
        title="Jalan berlubang depan SD",
        body="Jalan depan SD Negeri 3 berlubang, motor jatuh",
    )

    assert [item.candidate.reference for item in found] == [submission.complaint.reference]
