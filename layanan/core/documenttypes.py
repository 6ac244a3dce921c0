"""Kinds of documents a service standard can require and a citizen's vault can hold.

The keys are stable: service standards (``layanan.catalog.standard.Requirement.document_type``),
application forms and the document vault match on them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class DocumentType(StrEnum):
    """Kinds of documents and data items a requirement can ask for (keys are stable)."""

    KTP = "ktp"
    KK = "kk"
    BIRTH_CERTIFICATE = "akta_kelahiran"
    MARRIAGE_CERTIFICATE = "akta_perkawinan"
    DEATH_CERTIFICATE = "akta_kematian"
    DIVORCE_CERTIFICATE = "akta_perceraian"
    MOVING_LETTER = "surat_pindah"
    PASSPORT = "paspor"
    DRIVING_LICENCE = "sim"
    DIPLOMA = "ijazah"
    PHOTO = "pas_foto"
    NPWP = "npwp"
    NIB = "nib"
    LAND_CERTIFICATE = "sertifikat_tanah"
    TAX_RECEIPT = "bukti_pajak"
    HEALTH_CERTIFICATE = "surat_keterangan_sehat"
    STATEMENT_LETTER = "surat_pernyataan"
    COVER_LETTER = "surat_pengantar"
    APPLICATION_FORM = "formulir"
    TECHNICAL_DRAWING = "gambar_teknis"
    POWER_OF_ATTORNEY = "surat_kuasa"
    OTHER = "lainnya"


DOCUMENT_TYPE_LABELS: dict[str, Any] = {
    DocumentType.KTP: _("Identity card (KTP-el)"),
    DocumentType.KK: _("Family card (KK)"),
    DocumentType.BIRTH_CERTIFICATE: _("Birth certificate"),
    DocumentType.MARRIAGE_CERTIFICATE: _("Marriage certificate or book"),
    DocumentType.DEATH_CERTIFICATE: _("Death certificate or statement"),
    DocumentType.DIVORCE_CERTIFICATE: _("Divorce certificate"),
    DocumentType.MOVING_LETTER: _("Moving letter (SKPWNI)"),
    DocumentType.PASSPORT: _("Passport"),
    DocumentType.DRIVING_LICENCE: _("Driving licence (SIM)"),
    DocumentType.DIPLOMA: _("Diploma"),
    DocumentType.PHOTO: _("Passport photo"),
    DocumentType.NPWP: _("Tax number (NPWP)"),
    DocumentType.NIB: _("Business number (NIB)"),
    DocumentType.LAND_CERTIFICATE: _("Land certificate"),
    DocumentType.TAX_RECEIPT: _("Tax payment receipt"),
    DocumentType.HEALTH_CERTIFICATE: _("Health certificate"),
    DocumentType.STATEMENT_LETTER: _("Signed statement"),
    DocumentType.COVER_LETTER: _("Cover letter (RT/RW, village)"),
    DocumentType.APPLICATION_FORM: _("Application form"),
    DocumentType.TECHNICAL_DRAWING: _("Technical drawing"),
    DocumentType.POWER_OF_ATTORNEY: _("Power of attorney"),
    DocumentType.OTHER: _("Other document"),
}


def document_type_label(key: str) -> Any:
    return DOCUMENT_TYPE_LABELS.get(key, key)
