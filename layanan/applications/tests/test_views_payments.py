"""The payment pages: the citizen's pay page, the simulator, the provider callback and the receipt,
with the persona matrix (a refused request changes nothing)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from layanan.accounts.models import ServiceUnit, User
from layanan.applications import billing
from layanan.applications.models import Application, Bill, PaymentNoticeRecord
from layanan.applications.tests.test_billing import (
    FEE,
    awaiting_payment,
    paid_service,
    pay,
    signed_notice,
    simulator,
    state_counts,
)
from layanan.catalog.models import Service
from layanan.core.testing import verified_client
from layanan.payments import provider as payments

pytestmark = pytest.mark.django_db


def english(client: Client) -> Client:
    client.cookies["layanan_language"] = "en"
    return client


def persona_client(request: pytest.FixtureRequest, persona: str) -> Client:
    if persona == "anonymous":
        return english(Client())
    user = request.getfixturevalue(persona)
    if user.kind == User.Kind.STAFF:
        return english(verified_client(user))
    client = Client()
    client.force_login(user)
    return english(client)


@pytest.fixture
def service(unit_a: ServiceUnit) -> Service:
    return paid_service(unit_a)


@pytest.fixture
def case(service: Service, citizen: User, officer: User, unit_head: User) -> Application:
    return awaiting_payment(service, citizen, officer, unit_head)


@pytest.fixture
def owner(citizen_client: Client) -> Client:
    return english(citizen_client)


def pay_url(case: Application) -> str:
    return reverse("applications:pay", kwargs={"reference": case.reference})


def receipt_url(case: Application) -> str:
    return reverse("applications:receipt", kwargs={"reference": case.reference})


def simulator_url(bill: Bill) -> str:
    return reverse("applications:simulator", kwargs={"billing_code": bill.billing_code})


CALLBACK = "/pembayaran/callback/"


# Pay page ----------------------------------------------------------------------------------------


def test_pay_page_shows_amount_code_expiry_and_legal_basis(owner: Client, case: Application) -> None:
    bill = case.bills.get()
    response = owner.get(pay_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rp50,000" in html
    assert " ".join(billing.grouped_code(bill.billing_code)) in html
    assert "Perda Nomor 1 Tahun 2024" in html
    assert "Retribusi" in html
    assert timezone.localtime(bill.expires_at).strftime("%Y") in html
    assert simulator_url(bill) in html
    assert response.context["payable"] is True


def test_pay_page_in_indonesian_uses_dots(citizen_client: Client, case: Application) -> None:
    response = citizen_client.get(pay_url(case))
    assert "Rp50.000" in response.content.decode()


def test_pay_page_hides_the_simulator_with_a_real_provider(owner: Client, case: Application) -> None:
    with override_settings(
        LAYANAN_PAYMENT_PROVIDER="layanan.applications.tests.test_billing.RecordingProvider"
    ):
        response = owner.get(pay_url(case))
    assert response.status_code == 200
    assert "simulator-pembayaran" not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("other_citizen", 404), ("officer", 403), ("unit_head", 403)],
)
def test_pay_page_persona_matrix(
    request: pytest.FixtureRequest, case: Application, persona: str, status: int
) -> None:
    client = persona_client(request, persona)
    assert client.get(pay_url(case)).status_code == status
    before = state_counts()
    assert client.post(pay_url(case)).status_code == status
    assert state_counts() == before


def test_pay_page_without_a_bill_is_not_found(
    owner: Client, service: Service, citizen: User, officer: User, unit_head: User
) -> None:
    from layanan.applications.tests.factories import application_in

    approved = application_in("approved", service, citizen, officer=officer, unit_head=unit_head)
    assert owner.get(pay_url(approved)).status_code == 404


def test_expired_code_is_renewed_from_the_pay_page(owner: Client, case: Application) -> None:
    old = case.bills.get()
    Bill.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = owner.get(pay_url(case))
    assert response.context["expired"] is True
    assert "Get a new billing code" in response.content.decode()
    assert simulator_url(old) not in response.content.decode()
    response = owner.post(pay_url(case), follow=True)
    assert response.redirect_chain[-1][0] == pay_url(case)
    new = case.bills.get(status=Bill.Status.OPEN)
    assert new.pk != old.pk
    assert response.context["bill"] == new
    assert "Here is your new billing code." in response.content.decode()


def test_open_code_is_not_renewed(owner: Client, case: Application) -> None:
    before = state_counts()
    response = owner.post(pay_url(case), follow=True)
    assert response.redirect_chain[-1][0] == pay_url(case)
    assert "Here is your new billing code." not in response.content.decode()
    assert state_counts() == before


def test_paid_page_links_the_receipt(owner: Client, case: Application) -> None:
    pay(case)
    response = owner.get(pay_url(case))
    assert response.context["paid"] is True
    html = response.content.decode()
    assert receipt_url(case) in html
    assert "The fee is paid" in html


# Simulator ---------------------------------------------------------------------------------------


def test_simulator_pays_through_the_callback_code_path(owner: Client, case: Application) -> None:
    bill = case.bills.get()
    response = owner.get(simulator_url(bill))
    assert response.status_code == 200
    assert "Rp50,000" in response.content.decode()
    response = owner.post(simulator_url(bill))
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID
    record = PaymentNoticeRecord.objects.get()
    assert record.outcome == PaymentNoticeRecord.Outcome.APPLIED
    assert record.provider_transaction_id.startswith("SIM-")
    # A second press: the bank refuses a paid bill, nothing else is recorded.
    before = state_counts()
    response = owner.post(simulator_url(bill), follow=True)
    assert "already paid" in response.content.decode()
    assert state_counts() == before


def test_simulator_refuses_an_expired_code(owner: Client, case: Application) -> None:
    bill = case.bills.get()
    Bill.objects.filter(pk=bill.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    before = state_counts()
    response = owner.post(simulator_url(bill), follow=True)
    assert "expired" in response.content.decode()
    assert state_counts() == before


def test_simulator_does_not_exist_with_a_real_provider(owner: Client, case: Application) -> None:
    bill = case.bills.get()
    before = state_counts()
    with override_settings(
        LAYANAN_PAYMENT_PROVIDER="layanan.applications.tests.test_billing.RecordingProvider"
    ):
        assert owner.get(simulator_url(bill)).status_code == 404
        assert owner.post(simulator_url(bill)).status_code == 404
    assert state_counts() == before


def test_simulator_unknown_code_is_not_found(owner: Client, case: Application) -> None:
    url = reverse("applications:simulator", kwargs={"billing_code": "912345678901234"})
    assert owner.get(url).status_code == 404


# Callback ----------------------------------------------------------------------------------------


def post_callback(body: bytes, headers: dict[str, str]) -> Any:
    client = Client(enforce_csrf_checks=True)
    return client.post(CALLBACK, data=body, content_type="application/json", headers=headers)


def test_callback_applies_a_signed_notice(case: Application) -> None:
    bill = case.bills.get()
    body, headers = simulator().simulate_payment(billing.provider_bill(bill), paid_at=timezone.now())
    response = post_callback(body, headers)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "outcome": "applied"}
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID


def test_callback_bad_signature_is_403_and_changes_nothing(case: Application) -> None:
    body, _headers = signed_notice(case.bills.get())
    before = state_counts()
    response = post_callback(body, {payments.SIGNATURE_HEADER: "sha256=" + "a" * 64})
    assert response.status_code == 403
    assert post_callback(body, {}).status_code == 403
    assert state_counts() == before


def test_callback_replay_is_idempotent(case: Application) -> None:
    bill = case.bills.get()
    body, headers = signed_notice(bill)
    assert post_callback(body, headers).status_code == 200
    after_first = state_counts()
    response = post_callback(body, headers)
    assert response.status_code == 200
    assert response.json()["outcome"] == "applied"
    assert state_counts() == after_first
    assert PaymentNoticeRecord.objects.count() == 1


def test_callback_mismatch_is_accepted_for_reconciliation(case: Application) -> None:
    body, headers = signed_notice(case.bills.get(), amount=FEE * 2)
    response = post_callback(body, headers)
    assert response.status_code == 200
    assert response.json()["outcome"] == "mismatch"
    assert not Bill.objects.filter(status=Bill.Status.PAID).exists()


def test_callback_malformed_and_oversized_bodies(case: Application) -> None:
    before = state_counts()
    body = b'{"amount": 1}'
    signed = {payments.SIGNATURE_HEADER: payments.sign_body(body, billing.payment_secret())}
    assert post_callback(body, signed).status_code == 400
    huge = b"{" + b" " * (billing.MAX_CALLBACK_BYTES + 1) + b"}"
    signed = {payments.SIGNATURE_HEADER: payments.sign_body(huge, billing.payment_secret())}
    assert post_callback(huge, signed).status_code == 413
    assert Client().get(CALLBACK).status_code == 405
    assert state_counts() == before


# Receipt -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("citizen", 200),
        ("officer", 200),
        ("unit_head", 200),
        ("other_citizen", 404),
        ("other_agency_officer", 404),
        ("anonymous", 302),
    ],
)
def test_receipt_persona_matrix(
    request: pytest.FixtureRequest, case: Application, persona: str, status: int
) -> None:
    pay(case)
    response = persona_client(request, persona).get(receipt_url(case))
    assert response.status_code == status
    if status == 200:
        bill = case.bills.get()
        html = response.content.decode()
        assert str(bill.receipt_number) in html
        assert "Rp50,000" in html
        assert case.reference in html
        assert "Perda Nomor 1 Tahun 2024" in html


def test_receipt_before_payment_is_not_found(owner: Client, case: Application) -> None:
    assert owner.get(receipt_url(case)).status_code == 404


def test_staff_without_second_factor_is_sent_to_it(officer: User, case: Application) -> None:
    pay(case)
    client = Client()
    client.force_login(officer)
    response = client.get(receipt_url(case))
    assert response.status_code == 302
    assert "/petugas/" in response["Location"]


# Partials ----------------------------------------------------------------------------------------


def test_citizen_case_page_shows_the_pay_link_then_the_receipt(owner: Client, case: Application) -> None:
    detail = case.get_absolute_url()
    html = owner.get(detail).content.decode()
    assert pay_url(case) in html
    assert receipt_url(case) not in html
    pay(case)
    html = owner.get(detail).content.decode()
    assert receipt_url(case) in html
    assert str(case.bills.get().receipt_number) in html


def test_staff_partial_lists_bills_and_reconciliation(case: Application, officer: User) -> None:
    bill = case.bills.get()
    body, headers = signed_notice(bill, amount=1)
    billing.record_payment_notice(body, headers)
    request = RequestFactory().get("/")
    request.user = officer
    with translation.override("en"):
        html = render_to_string(
            "applications/staff/_payment_and_outputs.html", {"application": case}, request=request
        )
    assert bill.billing_code in html
    assert "Sent to reconciliation" in html
