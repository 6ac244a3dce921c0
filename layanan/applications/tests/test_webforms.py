"""Django forms built from form specs: widgets per kind, reading posts, the region picker,
prefill from the profile, where errors go, and how answers are shown (masked)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.http import QueryDict
from django.utils import translation

from layanan.accounts.models import User
from layanan.accounts.tests.factories import VALID_KK_NUMBER, citizen_profile_with_nik, region
from layanan.applications.formspec import FormField, FormSpec
from layanan.applications.tests.factories import VALID_NIK, vault_document
from layanan.applications.webforms import (
    ApplicationForm,
    answer_text,
    extra_errors,
    prefill,
    read_answers,
    region_chain,
    region_levels,
    region_names,
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are compared with their English source text."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

VILLAGE = "33.02.01.2001"
SPEC = FormSpec.model_validate(
    {
        "pages": [
            {
                "key": "semua",
                "title": "Everything",
                "fields": [
                    {"key": "nama", "kind": "text", "label": "Full name", "profile": "full_name"},
                    {"key": "uraian", "kind": "textarea", "label": "Description", "required": False},
                    {"key": "luas", "kind": "number", "label": "Area"},
                    {"key": "tanggal", "kind": "date", "label": "Date"},
                    {
                        "key": "jenis",
                        "kind": "choice",
                        "label": "Kind",
                        "choices": [{"value": "baru", "label": "New"}, {"value": "ubah", "label": "Change"}],
                    },
                    {"key": "pindah", "kind": "yes_no", "label": "Moving?"},
                    {"key": "nik", "kind": "nik", "label": "NIK", "profile": "nik"},
                    {"key": "kk", "kind": "kk", "label": "KK", "profile": "kk_number"},
                    {"key": "hp", "kind": "phone", "label": "Phone", "profile": "phone"},
                    {"key": "alamat", "kind": "address", "label": "Address", "profile": "address"},
                    {"key": "ktp", "kind": "document", "label": "KTP", "document_type": "ktp"},
                    {"key": "setuju", "kind": "declaration", "label": "I declare"},
                ],
            }
        ]
    }
)
FIELDS = SPEC.fields()


def _field(key: str) -> FormField:
    item = SPEC.field(key)
    assert item is not None
    return item


@pytest.fixture
def regions(db: None) -> None:
    region("33", "Jawa Tengah")
    region("33.02", "Kabupaten Banyumas")
    region("33.02.01", "Karanglewas")
    region(VILLAGE, "Karanglewas Kidul")
    region("33.74", "Kota Semarang")
    region("34", "DI Yogyakarta")


def _post(**values: Any) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data[key] = value
    return data


def test_posted_answers_are_read_as_typed(regions: None) -> None:
    data = _post(
        nama="  Siti  ",
        luas="1.200",
        jenis="baru",
        alamat__street=" Jl. Merdeka 1 ",
        alamat__province="33",
        alamat__regency="33.02",
        alamat__district="33.02.01",
        alamat__village=VILLAGE,
        setuju="on",
    )

    answers = read_answers(FIELDS, data)

    assert answers["nama"] == "  Siti  "  # kept as typed; validate_answers trims
    assert answers["luas"] == "1.200"
    assert answers["pindah"] == ""
    assert answers["alamat"] == {"street": " Jl. Merdeka 1 ", "region": VILLAGE}
    assert answers["setuju"] == "ya"
    assert read_answers([_field("setuju")], _post())["setuju"] == ""


def test_the_region_picker_walks_down_one_level_at_a_time(regions: None) -> None:
    nothing = region_levels([])
    assert [level.level for level in nothing.levels] == ["province"]
    assert [value for value, _name in nothing.levels[0].options] == ["33", "34"]
    assert nothing.code == ""
    assert not nothing.complete
    assert nothing.first_missing == "province"

    province = region_levels(["33"])
    assert [level.level for level in province.levels] == ["province", "regency"]
    assert province.code == "33"
    assert province.first_missing == "regency"

    village = region_levels(region_chain(VILLAGE))
    assert village.code == VILLAGE
    assert village.complete
    assert [level.selected for level in village.levels] == ["33", "33.02", "33.02.01", VILLAGE]

    # A city without districts loaded is as deep as the table goes.
    assert region_levels(["33", "33.74"]).complete

    # A code that is not a child of the one above stops the walk; an unknown code is dropped.
    assert region_levels(["34", "33.02"]).code == "34"
    assert region_levels(["99"]).code == ""


def test_without_regions_there_is_nothing_to_pick(db: None) -> None:
    choice = region_levels(["33"])
    assert choice.levels == ()
    assert choice.code == ""


def test_region_names_from_the_village_up(regions: None) -> None:
    assert region_names(VILLAGE) == ["Karanglewas Kidul", "Karanglewas", "Kabupaten Banyumas", "Jawa Tengah"]
    assert region_names("") == []


def test_prefill_takes_the_profile_and_the_account(citizen: User, regions: None) -> None:
    assert prefill(FIELDS, citizen) == {"nama": "Siti Rahmawati"}

    citizen_profile_with_nik(citizen, nik=VALID_NIK, kk_number=VALID_KK_NUMBER, address="Jl. Mawar 3")
    citizen.phone = "+6281234567890"
    citizen.save()
    citizen.refresh_from_db()

    assert prefill(FIELDS, citizen) == {
        "nama": "Siti Rahmawati",
        "nik": VALID_NIK,
        "kk": VALID_KK_NUMBER,
        "hp": "081234567890",
        "alamat": {"street": "Jl. Mawar 3", "region": ""},
    }


def test_an_address_must_name_the_deepest_level_loaded(regions: None) -> None:
    address = _field("alamat")
    assert extra_errors([address], {"alamat": {"street": "Jl. A", "region": "33.02"}}) == {
        "alamat": ["Choose your district."]
    }
    assert extra_errors([address], {"alamat": {"street": "Jl. A", "region": VILLAGE}}) == {}
    assert extra_errors([address], {"alamat": {"street": "Jl. A", "region": "33.74"}}) == {}
    # No region at all is validate_answers' business (its message names every level).
    assert extra_errors([address], {"alamat": {"street": "Jl. A", "region": ""}}) == {}


def test_every_kind_gets_its_widget(citizen: User, regions: None) -> None:
    document = vault_document(citizen, "ktp")
    form = ApplicationForm(FIELDS, {"alamat": {"street": "", "region": "33"}}, documents={"ktp": [document]})
    html = str(form.as_div())

    assert 'name="uraian"' in html
    assert "<textarea" in html
    assert 'name="luas"' in html
    assert 'inputmode="numeric"' in html
    assert 'type="date"' in html
    assert 'type="radio" name="jenis" value="baru"' in html
    assert 'type="radio" name="pindah" value="ya"' in html
    assert 'type="tel"' in html
    assert 'name="alamat__province"' in html
    assert 'name="alamat__regency"' in html
    assert 'name="alamat__district"' not in html
    assert f'value="{document.public_id}"' in html
    assert 'name="ktp__upload"' in html
    assert 'type="checkbox" name="setuju"' in html
    assert [entry.kind for entry in form.entries] == [
        "field",
        "field",
        "field",
        "field",
        "field",
        "yes_no",
        "field",
        "field",
        "field",
        "address",
        "document",
        "field",
    ]


def test_the_form_shows_the_answers_as_typed(regions: None) -> None:
    answers = {
        "nama": "x" * 600,
        "luas": "sembilan",
        "jenis": "baru",
        "alamat": {"street": "Jl. A", "region": "33.02"},
        "setuju": "ya",
    }
    form = ApplicationForm(FIELDS, answers, documents={})

    assert form["nama"].value() == "x" * 600
    assert form["luas"].value() == "sembilan"
    assert form["jenis"].value() == "baru"
    assert form["alamat__street"].value() == "Jl. A"
    assert form["alamat__regency"].value() == "33.02"
    assert form["setuju"].value() is True
    assert not form.errors


def test_errors_go_to_the_part_they_are_about(citizen: User, regions: None) -> None:
    no_street = ApplicationForm(FIELDS, {"alamat": {"street": "", "region": "33"}}, documents={})
    no_street.show_errors({"alamat": ["Enter the street."], "ktp": ["Choose or upload this document."]})
    assert no_street.errors["alamat__street"] == ["Enter the street."]
    assert no_street.errors["ktp__upload"] == ["Choose or upload this document."]

    document = vault_document(citizen, "ktp")
    no_village = ApplicationForm(
        FIELDS, {"alamat": {"street": "Jl. A", "region": "33.02"}}, documents={"ktp": [document]}
    )
    no_village.show_errors(
        {"alamat": ["Choose your district."], "ktp": ["Choose one of your documents."]},
        {"ktp": ["The file is empty."]},
    )
    assert no_village.errors["alamat__district"] == ["Choose your district."]
    assert no_village.errors["ktp"] == ["Choose one of your documents."]
    assert no_village.errors["ktp__upload"] == ["The file is empty."]


def test_answers_are_shown_masked(citizen: User, regions: None) -> None:
    document = vault_document(citizen, "ktp")
    documents = {str(document.public_id): document}
    with translation.override("en"):
        assert answer_text(_field("nik"), VALID_NIK, {}) == "3515********0001"
        assert answer_text(_field("kk"), VALID_KK_NUMBER, {}) == "3273********0003"
        assert answer_text(_field("hp"), "+6281234567890", {}) == "0812*****890"
        assert answer_text(_field("hp"), "0812 3456 7890", {}) == "0812*****890"
        assert (
            answer_text(_field("alamat"), {"street": "Jl. Merdeka 1 RT 01", "region": VILLAGE}, {})
            == "Jl. ************, Karanglewas Kidul, Karanglewas, Kabupaten Banyumas, Jawa Tengah"
        )
        assert answer_text(_field("jenis"), "ubah", {}) == "Change"
        assert answer_text(_field("pindah"), "ya", {}) == "Yes"
        assert answer_text(_field("setuju"), "ya", {}) == "Confirmed"
        assert answer_text(_field("tanggal"), "2026-08-17", {}) == "Aug. 17, 2026"
        assert answer_text(_field("ktp"), str(document.public_id), documents) == "ktp.png"
        assert answer_text(_field("ktp"), "gone", documents) == "Document no longer available"
        assert answer_text(_field("nama"), "", {}) == ""
