"""The formatting filters of the public catalog pages."""

from __future__ import annotations

import datetime
import json
import re
from types import SimpleNamespace

import pytest
from django.utils import translation

from layanan.catalog.standard import CompletionTime, Fee
from layanan.catalog.templatetags.catalog_format import (
    complaint_channel_label,
    condition_text,
    document_form_label,
    document_type_label,
    duration,
    fee_amounts,
    jsonld,
    opening_hours,
    rupiah,
    step_actor_label,
)


@pytest.mark.parametrize(
    ("amount", "indonesian", "english"),
    [
        (0, "Rp0", "Rp0"),
        (500, "Rp500", "Rp500"),
        (30_000, "Rp30.000", "Rp30,000"),
        (1_250_000, "Rp1.250.000", "Rp1,250,000"),
    ],
)
def test_rupiah_groups_thousands_as_the_reader_expects(amount: int, indonesian: str, english: str) -> None:
    with translation.override("id"):
        assert rupiah(amount) == indonesian
    with translation.override("en"):
        assert rupiah(amount) == english
    assert rupiah(None) == ""


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1, "working_days", "1 working day"),
        (14, "working_days", "14 working days"),
        (1, "hours", "1 hour"),
        (2, "hours", "2 hours"),
        (1, "minutes", "1 minute"),
        (45, "minutes", "45 minutes"),
    ],
)
def test_duration_in_english(value: int, unit: str, expected: str) -> None:
    with translation.override("en"):
        assert duration(CompletionTime.model_validate({"value": value, "unit": unit})) == expected
        assert duration({"value": value, "unit": unit}) == expected


def test_duration_in_indonesian_has_no_plural() -> None:
    with translation.override("id"):
        assert duration({"value": 14, "unit": "working_days"}) == "14 hari kerja"
        assert duration({"value": 30, "unit": "minutes"}) == "30 menit"
    assert duration(None) == ""


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("hanya jika pemohon diwakilkan", "pemohon diwakilkan"),
        ("Hanya apabila anak lahir di luar negeri", "anak lahir di luar negeri"),
        ("Only if: the applicant is represented", "the applicant is represented"),
        ("pemohon diwakilkan", "pemohon diwakilkan"),
        ("jikalau", "jikalau"),
        ("", ""),
    ],
)
def test_condition_text_drops_a_leading_only_if(condition: str, expected: str) -> None:
    assert condition_text(condition) == expected


def test_labels_of_the_standard_keys() -> None:
    with translation.override("en"):
        assert document_form_label("original_and_copy") == "original and copy"
        assert document_type_label("ktp") == "Identity card (KTP-el)"
        assert step_actor_label("citizen") == "Applicant"
        assert complaint_channel_label("sp4n_lapor") == "SP4N-LAPOR! (lapor.go.id, SMS 1708)"
        assert document_form_label("unknown") == "unknown"
        assert document_form_label(None) == ""


def test_fee_amounts_give_the_amount_or_the_range() -> None:
    def item(label: str, amount: int) -> dict[str, object]:
        return {"label": label, "amount": amount, "legal_basis": "Perda 1/2024"}

    one = Fee.model_validate({"is_free": False, "items": [item("Retribusi", 30_000)]})
    two = Fee.model_validate({"is_free": False, "items": [item("SIM C", 100_000), item("SIM A", 120_000)]})
    with translation.override("id"):
        assert fee_amounts(one) == "Rp30.000"
        assert fee_amounts(two) == "Rp100.000–Rp120.000"
        assert fee_amounts(Fee.model_validate({"is_free": True})) == ""


def test_opening_hours_use_indonesian_clock_notation() -> None:
    unit = SimpleNamespace(opens_at=datetime.time(7, 30), closes_at=datetime.time(15, 0))
    with translation.override("en"):
        assert opening_hours(unit) == "Monday to Friday, 07.30–15.00"


def test_jsonld_is_a_data_block_that_markup_cannot_escape() -> None:
    html = jsonld({"name": "A </script><script>alert(1)</script> & B", "price": "0"})

    assert html.startswith('<script type="application/ld+json">')
    assert html.endswith("</script>")
    assert html.count("</script>") == 1
    body = re.sub(r"^<script[^>]*>|</script>$", "", html)
    assert json.loads(body) == {"name": "A </script><script>alert(1)</script> & B", "price": "0"}
