from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from layanan.audit.models import AuditEvent
from layanan.workdays.actions import import_holidays
from layanan.workdays.models import Holiday
from layanan.workdays.source import package_source

pytestmark = pytest.mark.django_db

SKB_2026 = "SKB 3 Menteri Nomor 1497 Tahun 2025, Nomor 2 Tahun 2025, Nomor 5 Tahun 2025"


def _d(year: int, text: str) -> date:
    """'17 Aug' → date(year, 8, 17)."""
    day, month = text.split()
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return date(year, months.index(month) + 1, int(day))


# Domain facts §7, written out as published.
NATIONAL_2025 = [
    _d(2025, d)
    for d in (
        "1 Jan", "27 Jan", "29 Jan", "29 Mar", "31 Mar", "1 Apr", "18 Apr", "20 Apr", "1 May", "12 May",
        "29 May", "1 Jun", "6 Jun", "27 Jun", "17 Aug", "5 Sep", "25 Dec",
    )
]  # fmt: skip
CUTI_BERSAMA_2025 = [
    _d(2025, d)
    for d in (
        "28 Jan", "28 Mar", "2 Apr", "3 Apr", "4 Apr", "7 Apr", "13 May", "30 May", "9 Jun", "18 Aug",
        "26 Dec",
    )
]  # fmt: skip
NATIONAL_2026 = [
    _d(2026, d)
    for d in (
        "1 Jan", "16 Jan", "17 Feb", "19 Mar", "21 Mar", "22 Mar", "3 Apr", "5 Apr", "1 May", "14 May",
        "27 May", "31 May", "1 Jun", "16 Jun", "17 Aug", "25 Aug", "25 Dec",
    )
]  # fmt: skip
CUTI_BERSAMA_2026 = [
    _d(2026, d) for d in ("16 Feb", "18 Mar", "20 Mar", "23 Mar", "24 Mar", "15 May", "28 May", "24 Dec")
]


def _dates(year: int, kind: str) -> list[date]:
    return list(
        Holiday.objects.filter(date__year=year, kind=kind).order_by("date").values_list("date", flat=True)
    )


def test_2025_lists_are_exactly_the_published_ones() -> None:
    call_command("load_holidays", "--years", "2025", stdout=StringIO())

    assert _dates(2025, Holiday.Kind.NATIONAL) == NATIONAL_2025
    assert _dates(2025, Holiday.Kind.CUTI_BERSAMA) == CUTI_BERSAMA_2025
    assert len(NATIONAL_2025) == 17
    assert len(CUTI_BERSAMA_2025) == 11


def test_2026_lists_are_exactly_the_skb_ones() -> None:
    call_command("load_holidays", "--years", "2026", stdout=StringIO())

    assert _dates(2026, Holiday.Kind.NATIONAL) == NATIONAL_2026
    assert _dates(2026, Holiday.Kind.CUTI_BERSAMA) == CUTI_BERSAMA_2026
    assert len(NATIONAL_2026) == 17
    assert len(CUTI_BERSAMA_2026) == 8


def test_names_are_indonesian() -> None:
    import_holidays([2026])

    assert Holiday.objects.get(date=date(2026, 8, 17)).name == "Hari Kemerdekaan Republik Indonesia"
    assert Holiday.objects.get(date=date(2026, 3, 20)).name == "Cuti Bersama Hari Raya Idul Fitri"


def test_legal_source_is_the_decree_where_known_else_the_package() -> None:
    import_holidays([2025, 2026])

    assert set(Holiday.objects.filter(date__year=2026).values_list("legal_source", flat=True)) == {SKB_2026}
    assert set(Holiday.objects.filter(date__year=2025).values_list("legal_source", flat=True)) == {
        package_source()
    }
    assert package_source() == "python-holidays 0.109"
    assert Holiday.objects.filter(is_imported=False).count() == 0


def test_rerun_changes_nothing_and_writes_no_audit_event() -> None:
    import_holidays([2025, 2026])
    before = list(Holiday.objects.values_list("pk", "date", "kind", "name", "legal_source"))
    events = AuditEvent.objects.count()

    reports = import_holidays([2025, 2026])

    assert [(r.created, r.updated, r.unchanged) for r in reports] == [(0, 0, 28), (0, 0, 25)]
    assert list(Holiday.objects.values_list("pk", "date", "kind", "name", "legal_source")) == before
    assert AuditEvent.objects.count() == events


def test_each_year_loaded_is_audited() -> None:
    import_holidays([2025, 2026])

    events = AuditEvent.objects.filter(action="workdays.holiday.import").order_by("object_id")
    assert [(e.object_id, e.actor_id, e.summary["created"]) for e in events] == [
        ("year-2025", None, 28),
        ("year-2026", None, 25),
    ]


def test_rerun_renames_imported_rows_and_restores_their_source() -> None:
    import_holidays([2026])
    Holiday.objects.filter(date=date(2026, 3, 21)).update(name="Hari Raya Idul Fitri (perkiraan)")
    Holiday.objects.filter(date=date(2026, 1, 1)).update(legal_source="old")

    report = import_holidays([2026])[0]

    assert report.updated == 2
    assert report.created == 0
    assert Holiday.objects.get(date=date(2026, 3, 21)).name == "Hari Raya Idul Fitri"
    assert Holiday.objects.get(date=date(2026, 1, 1)).legal_source == SKB_2026


def test_rows_entered_by_an_administrator_are_never_touched() -> None:
    manual = Holiday.objects.create(
        date=date(2026, 3, 20),
        name="Cuti Bersama Idulfitri",
        kind=Holiday.Kind.CUTI_BERSAMA,
        legal_source="SKB X",
    )

    report = import_holidays([2026])[0]

    manual.refresh_from_db()
    assert (manual.name, manual.legal_source, manual.is_imported) == (
        "Cuti Bersama Idulfitri",
        "SKB X",
        False,
    )
    assert report.kept_manual == 1
    assert Holiday.objects.filter(date=date(2026, 3, 20)).count() == 1


def test_stale_imported_rows_are_reported_and_removed_only_with_prune() -> None:
    import_holidays([2026])
    Holiday.objects.create(
        date=date(2026, 3, 25), name="Moved", kind=Holiday.Kind.NATIONAL, legal_source="x", is_imported=True
    )
    out = StringIO()

    call_command("load_holidays", "--years", "2026", stdout=out)

    assert "use --prune" in out.getvalue()
    assert Holiday.objects.filter(name="Moved").exists()

    call_command("load_holidays", "--years", "2026", "--prune", stdout=StringIO())

    assert not Holiday.objects.filter(name="Moved").exists()
    assert Holiday.objects.filter(date__year=2026).count() == 25


def test_a_year_without_cuti_bersama_yet_is_flagged() -> None:
    out = StringIO()

    call_command("load_holidays", "--years", "2028", stdout=out)

    assert "no cuti bersama" in out.getvalue()
    assert not Holiday.objects.filter(kind=Holiday.Kind.CUTI_BERSAMA).exists()
    assert Holiday.objects.filter(date__year=2028, kind=Holiday.Kind.NATIONAL).count() > 10


def test_command_defaults_to_three_years() -> None:
    out = StringIO()

    call_command("load_holidays", stdout=out)

    years = sorted({d.year for d in Holiday.objects.dates("date", "year")})
    assert len(years) == 3
    assert "Done:" in out.getvalue()
