from __future__ import annotations

from django.test import override_settings

from layanan.applications.checks import check_payment_provider


def test_the_simulator_is_fine_in_development_and_flagged_in_production() -> None:
    with override_settings(LAYANAN_PAYMENT_PROVIDER="simulator", IS_PRODUCTION=False):
        assert check_payment_provider() == []
    with override_settings(LAYANAN_PAYMENT_PROVIDER="simulator", IS_PRODUCTION=True):
        assert [message.id for message in check_payment_provider()] == ["applications.W001"]


def test_a_provider_that_cannot_be_imported_is_an_error() -> None:
    with override_settings(LAYANAN_PAYMENT_PROVIDER="nowhere.Provider"):
        assert [message.id for message in check_payment_provider()] == ["applications.E001"]
    with override_settings(LAYANAN_PAYMENT_PROVIDER="layanan.payments.simulator.SimulatorProvider"):
        assert check_payment_provider() == []
