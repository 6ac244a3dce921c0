"""The working-day calendar in a real browser, in both languages, checked with axe-core."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from layanan.accounts.models import ServiceUnit, User
from layanan.workdays.actions import import_holidays
from layanan.workdays.models import Holiday, UnitClosure

LANGUAGES = ["id", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_holiday_page(page: Any, axe: Any, set_language: Any, language: str) -> None:
    import_holidays([2026])
    set_language(page, language)

    page.goto("/hari-libur/?tahun=2026")
    axe(page)

    heading = page.get_by_role("heading", level=1).inner_text()
    assert (
        heading
        == {
            "id": "Hari libur nasional dan cuti bersama 2026",
            "en": "Holidays and collective leave 2026",
        }[language]
    )
    assert page.get_by_role("cell", name="Hari Kemerdekaan Republik Indonesia").is_visible()
    assert page.get_by_role("cell", name="Cuti Bersama Hari Raya Idul Fitri").first.is_visible()
    assert page.locator("tbody tr").count() == 25

    page.get_by_role(
        "link", name={"id": "Tahun berikutnya (2027)", "en": "Next year (2027)"}[language]
    ).click()
    axe(page)

    assert "2027" in page.get_by_role("heading", level=1).inner_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_adds_a_holiday(
    page: Any, axe: Any, set_language: Any, login_as: Any, admin_user: User, language: str
) -> None:
    import_holidays([2026])
    set_language(page, language)
    login_as(page, admin_user)

    page.goto("/petugas/kalender/?tahun=2026")
    axe(page)

    # Leaving the legal source empty brings the form back with its error, values kept.
    page.locator("#id_date").fill("2026-12-31")
    page.locator("#id_name").fill("Cuti Bersama Akhir Tahun")
    page.locator("#id_kind").select_option("cuti_bersama")
    page.get_by_role("button", name={"id": "Tambah hari libur", "en": "Add holiday"}[language]).click()
    axe(page)

    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_name").input_value() == "Cuti Bersama Akhir Tahun"

    page.locator("#id_legal_source").fill("SKB 3 Menteri perubahan 2026")
    page.get_by_role("button", name={"id": "Tambah hari libur", "en": "Add holiday"}[language]).click()
    axe(page)

    assert page.locator(".messages").inner_text().startswith("Cuti Bersama Akhir Tahun")
    assert page.get_by_role("cell", name="SKB 3 Menteri perubahan 2026").is_visible()
    holiday = Holiday.objects.get(name="Cuti Bersama Akhir Tahun")
    assert (holiday.kind, holiday.legal_source) == ("cuti_bersama", "SKB 3 Menteri perubahan 2026")


@pytest.mark.parametrize("language", LANGUAGES)
def test_unit_head_adds_and_removes_a_closure(
    page: Any, axe: Any, set_language: Any, login_as: Any, unit_head: User, unit_a: ServiceUnit, language: str
) -> None:
    day = timezone.localdate() + timedelta(days=14)
    set_language(page, language)
    login_as(page, unit_head)

    page.goto(f"/petugas/penutupan/?tahun={day.year}")
    axe(page)

    page.locator("#id_date").fill(day.isoformat())
    page.locator("#id_reason").fill("Pelatihan pegawai")
    page.get_by_role("button", name={"id": "Tambah penutupan", "en": "Add closure"}[language]).click()
    axe(page)

    assert page.get_by_role("cell", name="Pelatihan pegawai").is_visible()
    assert UnitClosure.objects.get().unit == unit_a

    page.get_by_role("button", name={"id": "Buka kembali", "en": "Reopen"}[language]).click()
    axe(page)

    assert not UnitClosure.objects.exists()
    assert page.get_by_role("cell", name="Pelatihan pegawai").count() == 0
