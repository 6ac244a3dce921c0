"""Test data builders for the service catalog.

``ServiceFactory`` builds a service without a standard; ``AdoptedStandardFactory`` (or the
shortcut ``service_with_adopted_standard``) builds an adopted standard whose 14 components are all
complete and valid, and points ``service.adopted_standard`` at it, as ``adopt_standard`` would.
"""

from __future__ import annotations

import copy
import datetime
from typing import Any

import factory
from django.utils import timezone

from layanan.accounts.tests.factories import ServiceUnitFactory
from layanan.catalog.models import Service, ServiceLifeEvent, ServicePromise, ServiceStandard
from layanan.catalog.standard import INTERNAL_COMPONENTS

# The 6 published components of a complete, valid standard (see layanan.catalog.standard).
COMPLETE_PUBLISHED: dict[str, Any] = {
    "requirements": [
        {
            "document_type": "ktp",
            "name": "KTP-el pemohon",
            "form": "copy",
            "issued_by": "Dinas Kependudukan dan Pencatatan Sipil",
            "condition": "",
            "note": "",
        },
        {
            "document_type": "kk",
            "name": "Kartu Keluarga",
            "form": "original",
            "issued_by": "Dinas Kependudukan dan Pencatatan Sipil",
            "condition": "",
            "note": "",
        },
        {
            "document_type": "surat_kuasa",
            "name": "Surat kuasa bermeterai",
            "form": "original",
            "issued_by": "",
            "condition": "hanya jika pemohon diwakilkan",
            "note": "",
        },
    ],
    "procedure": [
        {"actor": "citizen", "description": "Pemohon mengisi formulir dan menyerahkan persyaratan."},
        {"actor": "front_office", "description": "Petugas loket memeriksa kelengkapan berkas."},
        {"actor": "back_office", "description": "Petugas memproses dan mencetak dokumen."},
        {"actor": "unit_head", "description": "Kepala unit menandatangani dokumen."},
    ],
    "completion_time": {"value": 3, "unit": "working_days", "starts_when_complete": True},
    "fee": {
        "is_free": True,
        "items": [],
        "legal_basis": "UU 24/2013 Pasal 79A: pengurusan dan penerbitan dokumen kependudukan "
        "tidak dipungut biaya.",
        "note": "",
    },
    "products": [{"name": "Kartu Keluarga", "description": "", "is_electronic": True}],
    "complaint_channels": [
        {"kind": "sp4n_lapor", "detail": "lapor.go.id"},
        {"kind": "in_person", "detail": "Meja pengaduan MPP"},
    ],
}

COMPLETE_INTERNAL: dict[str, str] = {
    "legal_basis": "UU 25/2009 tentang Pelayanan Publik; UU 24/2013 tentang Administrasi Kependudukan.",
    "facilities": "Ruang tunggu, loket, komputer, printer, jaringan internet.",
    "staff_competence": "Memahami peraturan administrasi kependudukan dan SIAK.",
    "internal_supervision": "Pengawasan langsung oleh atasan dan inspektorat.",
    "staff_count": "4 orang.",
    "service_guarantee": "Pelayanan dilaksanakan sesuai standar pelayanan.",
    "security_guarantee": "Data pemohon dijaga kerahasiaannya.",
    "performance_evaluation": "Evaluasi kinerja petugas setiap tiga bulan.",
}
assert set(COMPLETE_INTERNAL) == set(INTERNAL_COMPONENTS)


def complete_published(**overrides: Any) -> dict[str, Any]:
    """A fresh deep copy of ``COMPLETE_PUBLISHED`` with some components replaced."""
    published = copy.deepcopy(COMPLETE_PUBLISHED)
    published.update(copy.deepcopy(overrides))
    return published


def paid_fee(amount: int = 50_000) -> dict[str, Any]:
    """A ``fee`` component with one amount and its legal basis."""
    return {
        "is_free": False,
        "items": [
            {
                "label": "Retribusi",
                "amount": amount,
                "legal_basis": "Perda Nomor 1 Tahun 2024 tentang Pajak Daerah dan Retribusi Daerah",
            }
        ],
        "legal_basis": "",
        "note": "",
    }


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    unit = factory.SubFactory(ServiceUnitFactory)
    slug = factory.Sequence(lambda n: f"layanan-{n}")
    name = factory.Sequence(lambda n: f"Layanan Contoh {n}")
    summary = "Ringkasan singkat tentang kegunaan layanan ini."
    channel = Service.Channel.BOTH


class ServiceStandardFactory(factory.django.DjangoModelFactory):
    """A draft version (empty components unless given)."""

    class Meta:
        model = ServiceStandard

    service = factory.SubFactory(ServiceFactory)
    version = factory.LazyAttribute(
        lambda standard: (
            max(standard.service.standards.values_list("version", flat=True), default=0) + 1
            if standard.service.pk
            else 1
        )
    )
    status = ServiceStandard.Status.DRAFT


class CompleteDraftStandardFactory(ServiceStandardFactory):
    """A draft whose 14 components are complete (ready for consultation or adoption)."""

    published = factory.LazyFunction(complete_published)
    legal_basis = COMPLETE_INTERNAL["legal_basis"]
    facilities = COMPLETE_INTERNAL["facilities"]
    staff_competence = COMPLETE_INTERNAL["staff_competence"]
    internal_supervision = COMPLETE_INTERNAL["internal_supervision"]
    staff_count = COMPLETE_INTERNAL["staff_count"]
    service_guarantee = COMPLETE_INTERNAL["service_guarantee"]
    security_guarantee = COMPLETE_INTERNAL["security_guarantee"]
    performance_evaluation = COMPLETE_INTERNAL["performance_evaluation"]


class AdoptedStandardFactory(CompleteDraftStandardFactory):
    """An adopted version with a decree; sets ``service.adopted_standard`` to it.

    Build one per service: a service has at most one adopted version (use the actions to
    supersede it).
    """

    class Meta:
        skip_postgeneration_save = True

    status = ServiceStandard.Status.ADOPTED
    decree_number = factory.Sequence(lambda n: f"000.8/{n + 100}/2026")
    decree_date = datetime.date(2026, 1, 15)
    adopted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def make_current(obj: ServiceStandard, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create:
            Service.objects.filter(pk=obj.service_id).update(adopted_standard=obj)
        obj.service.adopted_standard = obj


def service_with_adopted_standard(**service_fields: Any) -> Service:
    """A service (``ServiceFactory`` fields) with a complete adopted standard, version 1."""
    service: Service = ServiceFactory(**service_fields)
    AdoptedStandardFactory(service=service)
    return service


class ServicePromiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePromise

    unit = factory.SubFactory(ServiceUnitFactory)
    text = (
        "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang "
        "telah ditetapkan dan apabila tidak menepati janji, kami siap menerima sanksi sesuai dengan "
        "peraturan perundang-undangan yang berlaku."
    )
    signatory_name = "Drs. Bambang Sutrisno, M.Si."
    signatory_title = "Kepala Dinas"
    signed_on = datetime.date(2026, 1, 2)


def tag_service(service: Service, *events: str) -> Service:
    """Tag ``service`` with life events (``Service.LifeEvent`` keys)."""
    ServiceLifeEvent.objects.bulk_create([ServiceLifeEvent(service=service, event=event) for event in events])
    return service
