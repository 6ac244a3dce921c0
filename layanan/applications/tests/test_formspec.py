"""Forms as data: the default form from a standard, the schema rules, answer validation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from pydantic import ValidationError as PydanticValidationError

from layanan.applications.formspec import (
    FieldKind,
    FormSpec,
    default_form,
    validate_answers,
    visible_fields,
)
from layanan.catalog.standard import PublishedComponents
from layanan.catalog.tests.factories import complete_published


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are compared with their English source text."""
    with translation.override("en"):
        yield


def _spec() -> FormSpec:
    return default_form(PublishedComponents.model_validate(complete_published()))


def test_default_form_has_applicant_documents_and_declaration_pages() -> None:
    spec = _spec()
    assert [page.key for page in spec.pages] == ["pemohon", "dokumen", "pernyataan"]
    kinds = {item.key: item.kind for item in spec.fields()}
    assert kinds["nik"] == FieldKind.NIK
    assert kinds["alamat"] == FieldKind.ADDRESS
    assert kinds["dok_1_ktp"] == FieldKind.DOCUMENT
    assert kinds["dok_2_kk"] == FieldKind.DOCUMENT
    # The power of attorney is only needed "if represented": a question, then the document.
    assert kinds["q_3"] == FieldKind.YES_NO
    attorney = spec.field("dok_3_surat_kuasa")
    assert attorney is not None
    assert attorney.show_if is not None
    assert attorney.show_if.field == "q_3"


def test_default_form_round_trips_as_json() -> None:
    spec = _spec()
    assert FormSpec.model_validate(spec.model_dump(mode="json")) == spec


def test_conditional_document_is_visible_only_on_yes() -> None:
    spec = _spec()
    hidden = {item.key for item in visible_fields(spec, {"q_3": "tidak"})}
    shown = {item.key for item in visible_fields(spec, {"q_3": "ya"})}
    assert "dok_3_surat_kuasa" not in hidden
    assert "dok_3_surat_kuasa" in shown


def _valid(**overrides: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "nama": "Siti Rahmawati",
        "nik": "3515 1405 0868 0001",
        "telepon": "0812-3456-7890",
        "alamat": {"street": "Jl. Merdeka 1", "region": "33.02.01.2001"},
        "dok_1_ktp": "a",
        "dok_2_kk": "b",
        "q_3": "tidak",
        "pernyataan": "on",
    }
    answers.update(overrides)
    return answers


def test_valid_answers_are_cleaned() -> None:
    cleaned, errors = validate_answers(_spec(), _valid(), known_documents={"a", "b"})
    assert errors == {}
    assert cleaned["nik"] == "3515140508680001"
    assert cleaned["telepon"] == "+6281234567890"
    assert cleaned["pernyataan"] == "ya"
    assert "dok_3_surat_kuasa" not in cleaned


@pytest.mark.parametrize(
    ("field", "value", "code_word"),
    [
        ("nama", "", "Fill in"),
        ("nik", "1234", "16"),
        ("telepon", "12345", "08"),
        ("alamat", {"street": "", "region": ""}, "address"),
        ("alamat", {"street": "Jl. A", "region": "x"}, "village"),
        ("dok_1_ktp", "", "upload"),
        ("dok_1_ktp", "not-mine", "your documents"),
        ("q_3", "maybe", "Choose"),
        ("pernyataan", "", "Tick"),
    ],
)
def test_each_bad_answer_gets_its_message(field: str, value: Any, code_word: str) -> None:
    _cleaned, errors = validate_answers(_spec(), _valid(**{field: value}), known_documents={"a", "b"})
    assert list(errors) == [field]
    assert code_word.lower() in " ".join(errors[field]).lower()


def test_visible_conditional_document_is_required() -> None:
    _cleaned, errors = validate_answers(_spec(), _valid(q_3="ya"), known_documents={"a", "b"})
    assert list(errors) == ["dok_3_surat_kuasa"]


def test_page_validation_checks_only_that_page() -> None:
    spec = _spec()
    page = spec.page("pemohon")
    assert page is not None
    _cleaned, errors = validate_answers(spec, {"nama": "Siti"}, page=page)
    assert set(errors) == {"nik", "alamat"}  # phone is optional


def test_schema_refuses_unknown_dependency_duplicate_keys_and_missing_declaration() -> None:
    data = _spec().model_dump(mode="json")
    data["pages"][0]["fields"][0]["show_if"] = {"field": "later", "equals": "ya"}
    with pytest.raises(PydanticValidationError, match="must come first"):
        FormSpec.model_validate(data)
    data = _spec().model_dump(mode="json")
    data["pages"][0]["fields"].append(dict(data["pages"][0]["fields"][0]))
    with pytest.raises(PydanticValidationError, match="duplicate field"):
        FormSpec.model_validate(data)
    data = _spec().model_dump(mode="json")
    data["pages"] = data["pages"][:-1]
    with pytest.raises(PydanticValidationError, match="declaration"):
        FormSpec.model_validate(data)


def test_number_and_date_fields() -> None:
    spec = FormSpec.model_validate(
        {
            "pages": [
                {
                    "key": "p",
                    "title": "Building",
                    "fields": [
                        {"key": "luas", "kind": "number", "label": "Area", "minimum": 1, "maximum": 5000},
                        {"key": "mulai", "kind": "date", "label": "Start"},
                        {"key": "ok", "kind": "declaration", "label": "True"},
                    ],
                }
            ]
        }
    )
    cleaned, errors = validate_answers(spec, {"luas": "1.200", "mulai": "2026-08-17", "ok": "1"})
    assert errors == {}
    assert cleaned["luas"] == "1200"
    _cleaned, errors = validate_answers(spec, {"luas": "9000", "mulai": "17/08/2026", "ok": "1"})
    assert set(errors) == {"luas", "mulai"}
