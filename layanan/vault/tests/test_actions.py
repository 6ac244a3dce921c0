"""The vault's writes: storing a checked, encrypted file; reading it back; removing it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from layanan.accounts.models import User
from layanan.audit.models import AuditEvent
from layanan.core.crypto import DecryptionError
from layanan.vault.actions import add_vault_document, read_vault_document, remove_vault_document
from layanan.vault.models import VaultDocument
from layanan.vault.tests.factories import PDF_MARKER, pdf_bytes, pdf_upload, png_upload, vault_document

pytestmark = pytest.mark.django_db

# A Windows executable's first bytes ("MZ" header and DOS stub), renamed to look like a PDF.
EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"This program cannot be run in DOS mode" * 4
)


def _stored_bytes(document: VaultDocument) -> bytes:
    with default_storage.open(_name(document), "rb") as handle:
        data: bytes = handle.read()
    return data


def test_add_stores_the_checked_file_encrypted_under_a_random_name(citizen: User) -> None:
    original = pdf_bytes()

    document = add_vault_document(
        owner=citizen, upload=pdf_upload("KK Siti.pdf"), document_type="kk", actor=citizen
    )

    document.refresh_from_db()
    assert (document.owner, document.document_type, document.kind) == (citizen, "kk", "pdf")
    assert document.content_type == "application/pdf"
    assert document.display_name == "KK Siti.pdf"
    assert document.size == len(original)
    assert document.uploaded_by == citizen
    assert document.removed_at is None
    stored_name = _name(document)
    assert "KK Siti" not in stored_name
    assert stored_name.startswith("vault/")
    assert stored_name.endswith(".pdf.enc")
    assert stored_name in _vault_files()
    stored = _stored_bytes(document)
    assert PDF_MARKER.encode() not in stored
    assert b"%PDF-" not in stored
    assert original not in stored
    assert read_vault_document(document) == original


def test_stored_images_are_encrypted_too(citizen: User) -> None:
    document = vault_document(citizen, "pas_foto")

    plaintext = read_vault_document(document)

    assert plaintext.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"PNG" not in _stored_bytes(document)[:64]
    assert plaintext[16:48] not in _stored_bytes(document)


def test_a_stored_file_is_bound_to_its_document(citizen: User) -> None:
    first = add_vault_document(owner=citizen, upload=pdf_upload(), document_type="kk", actor=citizen)
    second = add_vault_document(
        owner=citizen, upload=pdf_upload("b.pdf", "lain"), document_type="kk", actor=citizen
    )
    # Point the second document at the first one's ciphertext: it no longer decrypts.
    second.file.name = first.file.name

    with pytest.raises(DecryptionError):
        read_vault_document(second)


def test_adding_is_audited_without_the_file_name(citizen: User) -> None:
    document = add_vault_document(
        owner=citizen, upload=png_upload("KTP Siti Rahmawati.png"), document_type="ktp", actor=citizen
    )

    event = AuditEvent.objects.get(action="vault.document_added")
    assert event.actor_id == citizen.pk
    assert (event.object_type, event.object_id) == ("vault.vaultdocument", str(document.pk))
    assert event.summary == {"document_type": "ktp", "kind": "png", "size": document.size}
    assert "Siti" not in str(event.summary)


def test_an_officer_registering_for_a_citizen_is_recorded_as_uploader(
    citizen: User, front_officer: User
) -> None:
    document = vault_document(citizen, "ktp", actor=front_officer)

    assert document.owner == citizen
    assert document.uploaded_by == front_officer
    assert AuditEvent.objects.get(action="vault.document_added").actor_id == front_officer.pk


def test_a_renamed_executable_is_refused_as_mismatch_and_nothing_is_stored(citizen: User) -> None:
    events = AuditEvent.objects.count()
    files_before = _vault_files()

    with pytest.raises(ValidationError) as refused:
        add_vault_document(
            owner=citizen,
            upload=SimpleUploadedFile("ktp.pdf", EXECUTABLE, content_type="application/pdf"),
            document_type="ktp",
            actor=citizen,
        )

    assert refused.value.code == "mismatch"
    assert not VaultDocument.objects.exists()
    assert AuditEvent.objects.count() == events
    assert _vault_files() == files_before


def test_an_unknown_kind_of_document_is_refused(citizen: User) -> None:
    with pytest.raises(ValidationError) as refused:
        add_vault_document(owner=citizen, upload=png_upload(), document_type="rapor", actor=citizen)

    assert refused.value.code == "document_type"
    assert not VaultDocument.objects.exists()


def test_removal_is_audited_once_and_keeps_the_file(citizen: User) -> None:
    document = vault_document(citizen, "ktp")
    plaintext = read_vault_document(document)

    remove_vault_document(document, actor=citizen)
    remove_vault_document(document, actor=citizen)  # a second time changes nothing

    document.refresh_from_db()
    assert document.removed_at is not None
    assert not VaultDocument.objects.current().filter(pk=document.pk).exists()
    events = AuditEvent.objects.filter(action="vault.document_removed")
    assert events.count() == 1
    assert events.get().actor_id == citizen.pk
    assert events.get().summary == {"document_type": "ktp"}
    # Applications it was shared into keep reading it.
    assert read_vault_document(document) == plaintext


@pytest.mark.parametrize("persona", ["other_citizen", "officer", "front_officer", "unit_head", "admin_user"])
def test_others_cannot_remove_a_document(request: pytest.FixtureRequest, citizen: User, persona: str) -> None:
    document = vault_document(citizen, "ktp")
    actor = request.getfixturevalue(persona)
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        remove_vault_document(document, actor=actor)

    document.refresh_from_db()
    assert document.removed_at is None
    assert AuditEvent.objects.count() == events


def test_an_anonymous_visitor_cannot_remove_a_document(citizen: User) -> None:
    from django.contrib.auth.models import AnonymousUser

    document = vault_document(citizen, "ktp")
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        remove_vault_document(document, actor=AnonymousUser())

    document.refresh_from_db()
    assert document.removed_at is None
    assert AuditEvent.objects.count() == events


def _name(document: VaultDocument) -> str:
    name = document.file.name
    assert name
    return name


def _vault_files() -> set[str]:
    found: set[str] = set()

    def walk(folder: str) -> None:
        if not default_storage.exists(folder):
            return
        directories, files = default_storage.listdir(folder)
        found.update(f"{folder}/{name}" for name in files)
        for directory in directories:
            walk(f"{folder}/{directory}")

    walk("vault")
    return found
