from __future__ import annotations

from django.test import override_settings

from layanan.complaints.checks import check_lapor_gateway


def test_the_simulator_is_fine_in_development_and_flagged_in_production() -> None:
    assert check_lapor_gateway() == []
    with override_settings(IS_PRODUCTION=True):
        assert [m.id for m in check_lapor_gateway()] == ["complaints.W001"]


def test_a_gateway_that_cannot_be_imported_is_an_error() -> None:
    with override_settings(LAYANAN_LAPOR_GATEWAY="nowhere.Gateway"):
        assert [m.id for m in check_lapor_gateway()] == ["complaints.E001"]
