"""Builders for vault tests: real files (PNG, PDF) and documents stored through the action."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from layanan.vault.actions import add_vault_document
from layanan.vault.models import VaultDocument

PDF_MARKER = "Penanda-Rahasia-KTP-3273015508900009"


def png_bytes(size: tuple[int, int] = (40, 20), colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def pdf_bytes(marker: str = PDF_MARKER) -> bytes:
    """A one-page PDF carrying ``marker`` in its metadata (stored as plain text in the file)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": marker})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_upload(name: str = "ktp.png", **kwargs: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


def pdf_upload(name: str = "kk.pdf", marker: str = PDF_MARKER) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(marker), content_type="application/pdf")


def vault_document(
    owner: Any, document_type: str = "ktp", *, upload: Any = None, actor: Any = None
) -> VaultDocument:
    return add_vault_document(
        owner=owner,
        upload=upload or png_upload(f"{document_type}.png"),
        document_type=document_type,
        actor=actor or owner,
    )
