"""Output documents: rendered to PDF, signed, stored, verifiable and revocable."""

from __future__ import annotations

from typing import Any

from layanan.applications.models import Application, IssuedDocument


def issue_output_document(application: Application, *, actor: Any) -> IssuedDocument:
    raise NotImplementedError("outputs are being built")  # pragma: no cover
