from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lokal import wilayah

from layanan.regions.actions import load_regions
from layanan.regions.models import Region
from layanan.regions.queries import (
    children_of,
    count_by_level,
    provinces,
    regencies,
    region_path,
)
from layanan.regions.source import SOURCE, count_in_source

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple[str, str, int, str | None, str, str]]:
    return list(Region.objects.values_list("code", "name", "level", "parent_id", "postal_code", "source"))


def test_default_load_is_every_province_and_regency() -> None:
    report = load_regions()

    assert report.created == 38 + 514
    assert count_by_level() == {1: 38, 2: 514, 3: 0, 4: 0}
    # Kepmendagri 300.2.2-2138/2025: 416 kabupaten and 98 kota.
    assert sum(1 for regency in regencies() if regency.is_city) == 98
    assert Region.objects.get(code="96").name == "Papua Barat Daya"
    assert Region.objects.get(code="33.73").parent_id == "33"


def test_one_province_matches_the_counts_of_the_source() -> None:
    expected = count_in_source("33")

    report = load_regions(provinces=["33"], depth=Region.Level.VILLAGE)

    assert expected == {1: 1, 2: 35, 3: 576, 4: 8563}
    assert count_by_level("33") == expected
    assert count_by_level() == expected  # nothing outside the province
    assert [(level.level, level.created) for level in report.levels] == list(expected.items())


def test_loaded_rows_hang_from_their_parents() -> None:
    load_regions(provinces=["34"], depth=Region.Level.VILLAGE)

    rows = Region.objects.values_list("code", "level", "parent_id")

    for code, level, parent in rows:
        assert level == code.count(".") + 1
        assert parent == (code.rpartition(".")[0] or None)


def test_village_has_name_parents_and_postal_code() -> None:
    load_regions(provinces=["33"], depth=Region.Level.VILLAGE)

    path = region_path("33.73.04.1001")

    assert [(r.code, r.name) for r in path] == [
        ("33", "Jawa Tengah"),
        ("33.73", "Kota Salatiga"),
        ("33.73.04", "Sidomukti"),
        ("33.73.04.1001", "Kecandran"),
    ]
    assert path[-1].postal_code == "50723"
    assert path[-1].source == SOURCE


def test_rerun_changes_nothing() -> None:
    load_regions(provinces=["33"], depth=Region.Level.VILLAGE)
    before = _snapshot()

    report = load_regions(provinces=["33"], depth=Region.Level.VILLAGE)

    assert (report.created, report.updated) == (0, 0)
    assert _snapshot() == before


def test_rerun_corrects_changed_names_and_adds_missing_rows() -> None:
    load_regions(provinces=["34"], depth=Region.Level.DISTRICT)
    Region.objects.filter(code="34.71").update(name="Kota Jogja")
    Region.objects.filter(code="34.71.01").delete()

    report = load_regions(provinces=["34"], depth=Region.Level.DISTRICT)

    assert (report.created, report.updated) == (1, 1)
    assert Region.objects.get(code="34.71").name == "Kota Yogyakarta"
    assert Region.objects.filter(code="34.71.01").exists()


def test_depth_limits_the_load() -> None:
    load_regions(provinces=["34"], depth=Region.Level.DISTRICT)

    assert count_by_level("34")[Region.Level.VILLAGE] == 0
    assert count_by_level("34")[Region.Level.DISTRICT] == count_in_source("34")[3]


def test_load_corrects_placeholder_rows_made_by_tests_and_demo() -> None:
    Region.objects.create(code="33", name="Wilayah 33", level=1)

    load_regions(provinces=["33"], depth=Region.Level.REGENCY)

    assert Region.objects.get(code="33").name == "Jawa Tengah"
    assert Region.objects.filter(code="33").count() == 1


def test_queries_walk_the_tree() -> None:
    load_regions(provinces=["34"], depth=Region.Level.DISTRICT)

    assert [r.code for r in provinces()] == ["34"]
    assert [r.name for r in regencies("34")] == [
        "Kabupaten Kulon Progo",
        "Kabupaten Bantul",
        "Kabupaten Gunungkidul",
        "Kabupaten Sleman",
        "Kota Yogyakarta",
    ]
    assert [r.code for r in children_of(None)] == ["34"]
    assert [r.code for r in children_of("34.71")] == [w.code for w in wilayah.list_wilayah("34.71")]


def test_command_prints_progress_and_counts() -> None:
    out = StringIO()

    call_command("load_regions", "--province", "34", "--level", "district", stdout=out)

    text = out.getvalue()
    assert "province" in text
    assert "district" in text
    assert "regions in the database" in text
    assert Region.objects.count() == 1 + 5 + count_in_source("34")[3]


def test_command_rejects_unknown_province() -> None:
    with pytest.raises(CommandError, match="99"):
        call_command("load_regions", "--province", "99")

    assert Region.objects.count() == 0
