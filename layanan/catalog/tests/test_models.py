from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from layanan.catalog.models import Service
from layanan.catalog.tests.factories import ServiceFactory

PP_76 = "PP 76/2020 tentang Jenis dan Tarif atas Jenis PNBP yang Berlaku pada Kepolisian Negara RI."


def _paid(**fields: object) -> Service:
    values: dict[str, object] = {
        "slug": "skck",
        "name": "SKCK",
        "summary": "Surat keterangan catatan kepolisian.",
        "channel": Service.Channel.BOTH,
        "fee_is_free": False,
        "fee_note": "PNBP Rp30.000 per lembar.",
        "fee_legal_basis": PP_76,
        "completion_time_value": 1,
        "completion_time_unit": Service.TimeUnit.WORKING_DAYS,
    }
    values.update(fields)
    return Service(**values)


def _error_codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code or "" for e in errors] for field, errors in error.error_dict.items()}


def test_paid_service_with_amount_in_words_and_legal_basis_is_valid() -> None:
    _paid().clean()


@pytest.mark.parametrize("note", ["Rp30.000", "30000", "Rp 30.000,-", "  Rp. 30.000 "])
def test_fee_note_that_is_only_a_number_is_rejected(note: str) -> None:
    with pytest.raises(ValidationError) as raised:
        _paid(fee_note=note).clean()

    assert _error_codes(raised.value) == {"fee_note": ["fee_bare_number"]}


def test_paid_service_needs_fee_note_and_legal_basis() -> None:
    with pytest.raises(ValidationError) as raised:
        _paid(fee_note=" ", fee_legal_basis="").clean()

    assert _error_codes(raised.value) == {
        "fee_note": ["fee_note_required"],
        "fee_legal_basis": ["fee_legal_basis_required"],
    }


def test_free_service_needs_no_fee_note() -> None:
    _paid(fee_is_free=True, fee_note="", fee_legal_basis="").clean()


@pytest.mark.django_db
def test_database_refuses_unexplained_fee() -> None:
    with pytest.raises(IntegrityError):
        ServiceFactory(fee_is_free=False, fee_note="", fee_legal_basis="")


@pytest.mark.django_db
def test_database_refuses_zero_completion_time() -> None:
    with pytest.raises(IntegrityError):
        ServiceFactory(completion_time_value=0)


@pytest.mark.parametrize(
    ("value", "unit", "indonesian", "english"),
    [
        (1, Service.TimeUnit.WORKING_DAYS, "1 hari kerja", "1 working day"),
        (14, Service.TimeUnit.WORKING_DAYS, "14 hari kerja", "14 working days"),
        (15, Service.TimeUnit.MINUTES, "15 menit", "15 minutes"),
        (1, Service.TimeUnit.HOURS, "1 jam", "1 hour"),
    ],
)
def test_completion_time_label_in_both_languages(
    value: int, unit: str, indonesian: str, english: str
) -> None:
    service = _paid(completion_time_value=value, completion_time_unit=unit)

    with translation.override("id"):
        assert service.completion_time_label == indonesian
    with translation.override("en"):
        assert service.completion_time_label == english


def test_channel_predicates() -> None:
    assert _paid(channel=Service.Channel.BOTH).is_online
    assert _paid(channel=Service.Channel.BOTH).is_at_counter
    assert not _paid(channel=Service.Channel.COUNTER).is_online
    assert not _paid(channel=Service.Channel.ONLINE).is_at_counter
