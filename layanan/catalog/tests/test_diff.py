"""The pure diff of two versions of a standard (no database)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from layanan.catalog.diff import (
    ALL_COMPONENTS,
    ItemChange,
    completion_time_text,
    diff_component,
    diff_standards,
    format_rupiah,
)
from layanan.catalog.tests.factories import COMPLETE_INTERNAL, complete_published, paid_fee


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def _components(**overrides: Any) -> dict[str, Any]:
    return {**complete_published(), **COMPLETE_INTERNAL, **overrides}


def _by_key(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    return {component.key: component for component in diff_standards(old, new)}


def test_identical_versions_have_no_changes_and_all_14_components_in_order() -> None:
    components = diff_standards(_components(), _components())

    assert [c.key for c in components] == list(ALL_COMPONENTS)
    assert len(components) == 14
    assert all(c.status == "unchanged" and c.changes == () for c in components)
    assert [c.is_published for c in components] == [True] * 6 + [False] * 8


def test_without_an_earlier_version_every_filled_component_is_added() -> None:
    components = _by_key(None, _components(staff_count=""))

    assert components["requirements"].status == "added"
    assert [c.kind for c in components["requirements"].changes] == ["added"] * 3
    assert components["staff_count"].status == "unchanged"
    assert components["legal_basis"].changes == (ItemChange("added", after=COMPLETE_INTERNAL["legal_basis"]),)


def test_edited_requirement_is_changed_not_removed_and_added() -> None:
    new = complete_published()
    new["requirements"][1]["form"] = "copy"
    new["requirements"][2]["name"] = "Surat kuasa"

    component = _by_key(_components(), _components(requirements=new["requirements"]))["requirements"]

    assert component.status == "changed"
    assert [change.kind for change in component.changes] == ["changed", "changed"]
    first = component.changes[0]
    assert first.before.startswith("Kartu Keluarga (Family card (KK); original;")
    assert first.after.startswith("Kartu Keluarga (Family card (KK); copy;")
    assert "only if: hanya jika pemohon diwakilkan" in component.changes[1].after


def test_added_and_removed_requirements() -> None:
    requirements = complete_published()["requirements"]
    new = [
        requirements[0],
        {
            "document_type": "pas_foto",
            "name": "Pas foto 3x4",
            "form": "original",
            "issued_by": "",
            "condition": "",
            "note": "",
        },
    ]
    old_without_kk = [requirements[0], requirements[2]]

    component = diff_component("requirements", old_without_kk, new)

    # The power of attorney and the photo share no identity: one removed, one added.
    added, removed = component.changes
    assert (added.kind, added.before, added.after) == ("added", "", "Pas foto 3x4 (Passport photo; original)")
    assert (removed.kind, removed.after) == ("removed", "")
    assert removed.before.startswith("Surat kuasa bermeterai (Power of attorney; original)")


def test_moved_procedure_steps_are_reported_as_moved() -> None:
    steps = complete_published()["procedure"]
    reordered = [steps[0], steps[2], steps[1], steps[3]]

    component = diff_component("procedure", steps, reordered)

    assert component.status == "changed"
    assert len(component.changes) == 1
    moved = component.changes[0]
    assert moved.kind == "moved"
    assert moved.after.startswith("Step 2: ") or moved.after.startswith("Step 3: ")


def test_inserting_a_step_does_not_move_the_others() -> None:
    steps = complete_published()["procedure"]
    inserted = {"actor": "system", "description": "Sistem mengirim notifikasi."}

    component = diff_component("procedure", steps, [steps[0], inserted, *steps[1:]])

    assert [c.kind for c in component.changes] == ["added"]
    assert component.changes[0].after == "Information system: Sistem mengirim notifikasi."


def test_edited_step_description_at_the_same_place_is_added_and_removed() -> None:
    steps = complete_published()["procedure"]
    edited = [
        *steps[:3],
        {"actor": "unit_head", "description": "Kepala unit menandatangani secara elektronik."},
    ]

    kinds = [c.kind for c in diff_component("procedure", steps, edited).changes]

    assert kinds == ["added", "removed"]


def test_fee_from_free_to_paid_lists_each_part() -> None:
    component = _by_key(_components(), _components(fee=paid_fee(75_000)))["fee"]

    assert component.status == "changed"
    rows = [(c.kind, c.subject, c.before, c.after) for c in component.changes]
    assert rows[0] == ("changed", "Fee", "Free of charge", "Paid")
    assert rows[1][:2] == ("removed", "Legal basis")
    assert rows[2] == (
        "added",
        "",
        "",
        "Retribusi: Rp75.000 (Perda Nomor 1 Tahun 2024 tentang Pajak Daerah dan Retribusi Daerah)",
    )


def test_changed_amount_is_one_change() -> None:
    component = diff_component("fee", paid_fee(50_000), paid_fee(60_000))

    assert [(c.kind, c.before.split(" (")[0], c.after.split(" (")[0]) for c in component.changes] == [
        ("changed", "Retribusi: Rp50.000", "Retribusi: Rp60.000")
    ]


def test_completion_time_and_text_components() -> None:
    old = _components()
    new = _components(
        completion_time={"value": 1, "unit": "hours", "starts_when_complete": False},
        facilities="",
        staff_count="5 orang.",
    )

    components = _by_key(old, new)

    time = components["completion_time"]
    assert time.changes == (
        ItemChange(
            "changed",
            "3 working days, counted from a complete application",
            "1 hour, counted from receipt of the application",
        ),
    )
    assert components["facilities"].status == "removed"
    assert components["staff_count"].changes == (ItemChange("changed", "4 orang.", "5 orang."),)


def test_whitespace_only_changes_to_text_do_not_count() -> None:
    assert diff_component("staff_count", "4 orang.", "  4 orang.\n").status == "unchanged"


def test_complaint_channels_match_by_kind() -> None:
    channels = complete_published()["complaint_channels"]
    new = [{"kind": "sp4n_lapor", "detail": "www.lapor.go.id, SMS 1708"}, channels[1]]

    component = diff_component("complaint_channels", channels, new)

    assert [c.kind for c in component.changes] == ["changed"]
    assert component.changes[0].after == "SP4N-LAPOR! (lapor.go.id, SMS 1708): www.lapor.go.id, SMS 1708"


def test_removed_component() -> None:
    component = diff_component("products", complete_published()["products"], None)

    assert component.status == "removed"
    assert component.changes == (ItemChange("removed", before="Kartu Keluarga (electronic document)"),)


def test_labels_follow_the_language() -> None:
    with translation.override("id"):
        assert diff_component("requirements", [], []).label == "Persyaratan"
        assert diff_component("legal_basis", "", "").label == "Dasar hukum"
    assert diff_component("legal_basis", "", "").label == "Legal basis"


@pytest.mark.parametrize(
    ("value", "unit", "english"),
    [
        (1, "working_days", "1 working day"),
        (14, "working_days", "14 working days"),
        (15, "minutes", "15 minutes"),
    ],
)
def test_completion_time_text(value: int, unit: str, english: str) -> None:
    assert completion_time_text(value, unit) == english


def test_rupiah() -> None:
    assert format_rupiah(1_000_000) == "Rp1.000.000"
    assert format_rupiah(500) == "Rp500"
