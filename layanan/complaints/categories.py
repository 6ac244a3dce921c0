"""The default complaint categories (SP4N-LAPOR! topics), seeded by migration ``0002``.

Each is also an Open311 service: ``slug`` is its ``service_code`` and ``attributes`` its extra
questions (Open311 GeoReport v2 attribute definitions).
"""

from __future__ import annotations

from typing import Any

_SEVERITY = {
    "variable": True,
    "code": "tingkat",
    "datatype": "singlevaluelist",
    "required": False,
    "datatype_description": "",
    "order": 2,
    "description": "Seberapa parah? / How severe?",
    "values": [
        {"key": "ringan", "name": "Ringan / Minor"},
        {"key": "sedang", "name": "Sedang / Moderate"},
        {"key": "berat", "name": "Berat, membahayakan / Severe, dangerous"},
    ],
}

# slug, name, name_en, default resolution class, protected, keywords, attributes
CATEGORIES: list[tuple[str, str, str, str, bool, str, list[dict[str, Any]]]] = [
    (
        "infrastruktur",
        "Infrastruktur, Jalan dan Jembatan",
        "Roads, bridges and infrastructure",
        "tidak_berkadar_pengawasan",
        False,
        "jalan rusak berlubang aspal jembatan trotoar drainase saluran gorong-gorong lampu penerangan jalan",
        [
            {
                "variable": True,
                "code": "fasilitas",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": "",
                "order": 1,
                "description": "Fasilitas apa? / Which facility?",
                "values": [
                    {"key": "jalan", "name": "Jalan / Road"},
                    {"key": "jembatan", "name": "Jembatan / Bridge"},
                    {"key": "drainase", "name": "Saluran air / Drain"},
                    {"key": "lampu", "name": "Lampu jalan / Street light"},
                    {"key": "lainnya", "name": "Lainnya / Other"},
                ],
            },
            _SEVERITY,
        ],
    ),
    (
        "lingkungan",
        "Lingkungan Hidup dan Kebersihan",
        "Environment and waste",
        "tidak_berkadar_pengawasan",
        False,
        "sampah tumpukan TPS kebersihan limbah pencemaran bau asap polusi sungai pohon tumbang",
        [_SEVERITY],
    ),
    (
        "kesehatan",
        "Kesehatan",
        "Health",
        "normatif",
        False,
        "puskesmas rumah sakit RSUD dokter obat pasien BPJS rujukan imunisasi posyandu",
        [],
    ),
    (
        "pendidikan",
        "Pendidikan",
        "Education",
        "normatif",
        False,
        "sekolah guru PPDB zonasi murid siswa ijazah beasiswa KIP pungutan sekolah",
        [],
    ),
    (
        "kependudukan",
        "Administrasi Kependudukan",
        "Civil registration",
        "normatif",
        False,
        "KTP e-KTP KK kartu keluarga akta kelahiran kematian pindah domisili NIK blangko",
        [],
    ),
    (
        "perizinan",
        "Perizinan dan Penanaman Modal",
        "Licences and investment",
        "normatif",
        False,
        "izin usaha NIB OSS PBG IMB bangunan reklame SIUP",
        [],
    ),
    (
        "transportasi",
        "Perhubungan dan Transportasi",
        "Transport",
        "tidak_berkadar_pengawasan",
        False,
        "angkot bus terminal parkir liar juru parkir lampu lalu lintas rambu uji KIR",
        [_SEVERITY],
    ),
    (
        "sosial",
        "Sosial dan Bantuan Sosial",
        "Social assistance",
        "normatif",
        False,
        "bansos PKH BPNT DTKS bantuan sosial disabilitas lansia terlantar",
        [],
    ),
    (
        "ketenagakerjaan",
        "Ketenagakerjaan",
        "Employment",
        "tidak_berkadar_pengawasan",
        False,
        "upah gaji UMK PHK pesangon kartu kuning AK1 lowongan kerja BPJS ketenagakerjaan",
        [],
    ),
    (
        "pajak-retribusi",
        "Pajak dan Retribusi Daerah",
        "Regional taxes and levies",
        "normatif",
        False,
        "PBB pajak bumi bangunan pajak kendaraan samsat retribusi BPHTB",
        [],
    ),
    (
        "ketertiban",
        "Ketertiban dan Keamanan Umum",
        "Public order and safety",
        "ringan",
        False,
        "PKL pedagang kaki lima keributan balap liar premanisme miras satpol",
        [_SEVERITY],
    ),
    (
        "air-bersih",
        "Air Bersih dan Utilitas",
        "Water and utilities",
        "ringan",
        False,
        "PDAM air mati air keruh pipa bocor tagihan air listrik padam PLN",
        [_SEVERITY],
    ),
    (
        "pelayanan-aparatur",
        "Sikap dan Kinerja Petugas",
        "Conduct of officials",
        "tidak_berkadar_pengawasan",
        False,
        "petugas tidak ramah lambat antre lama calo pelayanan buruk tidak datang",
        [],
    ),
    ("lainnya", "Lainnya", "Other", "tidak_berkadar_pengawasan", False, "", []),
    (
        "pungli",
        "Pungutan Liar, Gratifikasi dan Penyalahgunaan Wewenang",
        "Illegal charges, gratification and abuse of power",
        "berkadar_pengawasan",
        True,
        "pungli pungutan liar uang pelicin suap gratifikasi minta uang amplop penyalahgunaan wewenang",
        [],
    ),
]


def ensure_defaults(*, using: str = "default") -> int:
    """Create the default categories and the national policy that are missing (never changes an
    existing row); the number of rows created."""
    from layanan.complaints.models import ComplaintCategory, ComplaintPolicy

    created = 0
    for order, (slug, name, name_en, resolution_class, protected, keywords, attributes) in enumerate(
        CATEGORIES
    ):
        _category, made = ComplaintCategory.objects.using(using).get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "default_resolution_class": resolution_class,
                "is_protected": protected,
                "keywords": keywords,
                "attributes": attributes,
                "sort_order": (order + 1) * 10,
            },
        )
        created += made
    if not ComplaintPolicy.objects.using(using).filter(region__isnull=True).exists():
        ComplaintPolicy.objects.using(using).create(region=None)
        created += 1
    return created
