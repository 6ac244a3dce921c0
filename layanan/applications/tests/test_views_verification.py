"""Output pages: download, the public verification page and form, and revocation by the unit
head, with the persona matrix (a refused request changes nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from layanan.accounts.models import ServiceUnit, User
from layanan.applications.models import Application, IssuedDocument
from layanan.applications.tests.factories import VALID_NIK
from layanan.applications.tests.test_billing import awaiting_payment, paid_service
from layanan.applications.tests.test_outputs import issued, pdf_bytes, require_weasyprint
from layanan.applications.tests.test_views_payments import english, persona_client
from layanan.audit.models import AuditEvent
from layanan.catalog.models import Service
from layanan.documents.signing import b64url_encode

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(unit_a: ServiceUnit) -> Service:
    return paid_service(unit_a)


@pytest.fixture
def case(service: Service, citizen: User, officer: User, unit_head: User) -> Application:
    return awaiting_payment(service, citizen, officer, unit_head)


@pytest.fixture
def document(case: Application, officer: User) -> IssuedDocument:
    require_weasyprint()
    return issued(case, officer)


def verify_url(document_id: str) -> str:
    return reverse("applications:verify", kwargs={"document_id": document_id})


def download_url(document: IssuedDocument, reference: str | None = None) -> str:
    return reverse(
        "applications:output-download",
        kwargs={"reference": reference or document.application.reference, "document_id": document.public_id},
    )


def revoke_url(document: IssuedDocument) -> str:
    return reverse(
        "applications:staff-revoke",
        kwargs={"reference": document.application.reference, "document_id": document.public_id},
    )


def snapshot(document: IssuedDocument) -> tuple[Any, ...]:
    document.refresh_from_db()
    return (document.revoked_at, document.revocation_reason, AuditEvent.objects.count())


# Verification page -------------------------------------------------------------------------------


def test_valid_document_page_shows_the_printed_facts_only(document: IssuedDocument) -> None:
    response = english(Client()).get(verify_url(document.public_id))
    assert response.status_code == 200
    assert response.context["status"] == "valid"
    html = response.content.decode()
    assert "Valid document" in html
    assert "Siti Rahmawati" in html
    assert document.application.reference in html
    assert document.public_id in html
    assert VALID_NIK not in html
    assert "081234567890" not in html
    assert "Merdeka" not in html


def test_stamp_in_the_url_is_checked(document: IssuedDocument) -> None:
    client = Client()
    good = client.get(verify_url(document.public_id), {"k": document.key_id, "s": document.signature})
    assert good.context["status"] == "valid"
    forged = client.get(verify_url(document.public_id), {"k": document.key_id, "s": b64url_encode(bytes(64))})
    assert forged.status_code == 200
    assert forged.context["status"] == "invalid"
    assert client.get(verify_url(document.public_id), {"s": ""}).context["status"] == "invalid"


def test_revoked_document_page_says_revoked_with_date_and_reason(
    document: IssuedDocument, unit_head: User
) -> None:
    from layanan.applications.outputs import revoke_output

    revoke_output(document, actor=unit_head, reason="Salah ketik nama usaha")
    response = english(Client()).get(verify_url(document.public_id))
    assert response.context["status"] == "revoked"
    html = response.content.decode()
    assert "Revoked document" in html
    assert "Salah ketik nama usaha" in html
    assert str(document.application.submitted_at.year) in html


@pytest.mark.parametrize("document_id", ["DAAAAAAAAAAAAAAAA", "x" * 60, "D%20A"])
def test_unknown_document_page(db: None, document_id: str) -> None:
    response = english(Client()).get(verify_url(document_id))
    assert response.status_code == 404
    assert response.context["status"] == "unknown"
    assert "Document not found" in response.content.decode()


# Verification form -------------------------------------------------------------------------------


def test_form_page_and_errors(db: None) -> None:
    client = english(Client())
    assert client.get(reverse("applications:verify-form")).status_code == 200
    response = client.post(reverse("applications:verify-form"), {"document_id": ""})
    assert response.status_code == 200
    assert "Enter the document number or choose the PDF file." in response.content.decode()
    response = client.post(reverse("applications:verify-form"), {"document_id": "D/../x?"})
    assert "only letters and digits" in response.content.decode()
    assert 'value="D/../x?"' in response.content.decode()


def test_form_number_goes_to_the_verification_page(document: IssuedDocument) -> None:
    typed = " " + document.public_id.lower()[:5] + " " + document.public_id.lower()[5:] + " "
    response = Client().post(reverse("applications:verify-form"), {"document_id": typed})
    assert response.status_code == 302
    assert response["Location"] == verify_url(document.public_id)


def test_uploaded_pdf_is_checked_byte_for_byte(document: IssuedDocument) -> None:
    client = english(Client())
    data = pdf_bytes(document)
    response = client.post(
        reverse("applications:verify-form"), {"pdf": SimpleUploadedFile("copy.pdf", data, "application/pdf")}
    )
    assert response.context["status"] == "valid"
    changed = bytearray(data)
    changed[-100] ^= 0x20
    response = client.post(
        reverse("applications:verify-form"),
        {"pdf": SimpleUploadedFile("copy.pdf", bytes(changed), "application/pdf")},
    )
    assert response.context["status"] == "invalid"
    assert "or it was changed" in response.content.decode()
    response = client.post(
        reverse("applications:verify-form"),
        {
            "document_id": document.public_id,
            "pdf": SimpleUploadedFile("copy.pdf", bytes(changed), "application/pdf"),
        },
    )
    assert response.context["status"] == "invalid"


def test_oversized_upload_is_refused(db: None) -> None:
    with override_settings(LAYANAN_UPLOAD_MAX_BYTES=10):
        response = english(Client()).post(
            reverse("applications:verify-form"), {"pdf": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 20)}
        )
    assert response.status_code == 200
    assert "too large" in response.content.decode()


# Download ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("citizen", 200),
        ("officer", 200),
        ("unit_head", 200),
        ("inspector", 200),
        ("other_citizen", 404),
        ("other_agency_officer", 404),
        ("anonymous", 302),
    ],
)
def test_download_persona_matrix(
    request: pytest.FixtureRequest, document: IssuedDocument, persona: str, status: int
) -> None:
    response = persona_client(request, persona).get(download_url(document))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert f'filename="{document.public_id}.pdf"' in response["Content-Disposition"]
        assert response.content == pdf_bytes(document)


def test_download_of_another_applications_document_is_not_found(
    document: IssuedDocument,
    service: Service,
    citizen: User,
    officer: User,
    unit_head: User,
    citizen_client: Client,
) -> None:
    other = awaiting_payment(service, citizen, officer, unit_head)
    assert citizen_client.get(download_url(document, reference=other.reference)).status_code == 404
    missing = reverse(
        "applications:output-download", kwargs={"reference": other.reference, "document_id": "DNOPE"}
    )
    assert citizen_client.get(missing).status_code == 404


# Revocation --------------------------------------------------------------------------------------


def test_unit_head_revokes_from_the_form(document: IssuedDocument, unit_head: User) -> None:
    client = english(persona_client_for(unit_head))
    response = client.get(revoke_url(document))
    assert response.status_code == 200
    assert "Revoke the document" in response.content.decode()
    response = client.post(revoke_url(document), {"reason": "Data usaha keliru"})
    assert response.status_code == 302
    assert response["Location"] == document.application.get_staff_url()
    document.refresh_from_db()
    assert document.is_revoked
    assert document.revocation_reason == "Data usaha keliru"
    assert AuditEvent.objects.filter(action="applications.output_revoked").count() == 1
    response = client.get(revoke_url(document))
    assert "was revoked on" in response.content.decode()
    before = snapshot(document)
    response = client.post(revoke_url(document), {"reason": "Lagi"})
    assert response.status_code == 200
    assert "already revoked" in response.content.decode()
    assert snapshot(document) == before


def test_revoke_without_a_reason_keeps_the_form(document: IssuedDocument, unit_head: User) -> None:
    client = english(persona_client_for(unit_head))
    before = snapshot(document)
    response = client.post(revoke_url(document), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert snapshot(document) == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer", 403),
        ("front_officer", 403),
        ("inspector", 403),
        ("other_agency_officer", 404),
        ("citizen", 403),
        ("anonymous", 302),
    ],
)
def test_revoke_persona_matrix(
    request: pytest.FixtureRequest, document: IssuedDocument, persona: str, status: int
) -> None:
    client = persona_client(request, persona)
    before = snapshot(document)
    assert client.get(revoke_url(document)).status_code == status
    assert client.post(revoke_url(document), {"reason": "Salah"}).status_code == status
    assert snapshot(document) == before


def persona_client_for(user: User) -> Client:
    from layanan.core.testing import verified_client

    return verified_client(user)


# Partials ----------------------------------------------------------------------------------------


def test_citizen_case_page_links_the_download(document: IssuedDocument, citizen_client: Client) -> None:
    html = citizen_client.get(document.application.get_absolute_url()).content.decode()
    assert download_url(document) in html
    assert verify_url(document.public_id) in html


@pytest.mark.parametrize("can_revoke", [True, False])
def test_staff_partial_shows_the_revoke_form_to_unit_heads(
    document: IssuedDocument, unit_head: User, can_revoke: bool
) -> None:
    request = RequestFactory().get("/")
    request.user = unit_head
    with translation.override("en"):
        html = render_to_string(
            "applications/staff/_payment_and_outputs.html",
            {"application": document.application, "can_revoke_output": can_revoke},
            request=request,
        )
    assert download_url(document) in html
    assert document.pdf_sha256 in html
    assert (revoke_url(document) in html) is can_revoke


def test_staff_case_page_lists_the_output(document: IssuedDocument, officer_client: Client) -> None:
    html = officer_client.get(document.application.get_staff_url()).content.decode()
    assert download_url(document) in html


def test_officer_reads_what_to_install_when_pdf_output_is_missing(
    case: Application, officer_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from layanan.applications.tests.test_billing import pay
    from layanan.documents import pdf as pdf_module
    from layanan.documents.pdf import DEBIAN_PACKAGES

    def no_pango(name: str) -> Any:
        raise OSError("cannot load library 'libpango-1.0-0'")

    pay(case)
    monkeypatch.setattr(pdf_module, "_import_module", no_pango)
    url = reverse(
        "applications:staff-transition",
        kwargs={"reference": case.reference, "transition": "issue_paid_output"},
    )
    before = AuditEvent.objects.count()
    response = officer_client.post(url, {"note": ""})
    assert response.status_code == 200
    assert DEBIAN_PACKAGES in response.content.decode()
    case.refresh_from_db()
    assert case.state == "awaiting_payment"
    assert not IssuedDocument.objects.exists()
    assert AuditEvent.objects.count() == before


def test_uploaded_copies_are_limited_per_address(
    document: IssuedDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    from layanan.applications.views import verification

    monkeypatch.setattr(verification, "UPLOAD_CHECKS_PER_WINDOW", 2)
    client = english(Client())
    data = pdf_bytes(document)
    statuses = [
        client.post(
            reverse("applications:verify-form"),
            {"pdf": SimpleUploadedFile("copy.pdf", data, "application/pdf")},
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    response = client.post(
        reverse("applications:verify-form"), {"pdf": SimpleUploadedFile("copy.pdf", data, "application/pdf")}
    )
    assert "Wait 10 minutes" in response.content.decode()
    # Typing a number is not limited: it only opens the verification page.
    assert (
        client.post(reverse("applications:verify-form"), {"document_id": document.public_id}).status_code
        == 302
    )
