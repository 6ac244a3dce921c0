"""Demo accounts: one staff member for every role and two citizens (all fictional)."""

from __future__ import annotations

from dataclasses import dataclass

from layanan.accounts.roles import Role

# Shown on screen by ``load_demo``; it is refused outside development mode.
DEMO_PASSWORD = "layanan-demo-2026"  # noqa: S105 - a published demo password, development mode only


@dataclass(frozen=True)
class DemoStaff:
    username: str
    full_name: str
    role: str
    agency: str = ""  # agency slug; empty for the platform administrator
    unit: str = ""  # unit slug inside the agency, for the unit roles


@dataclass(frozen=True)
class DemoCitizen:
    username: str
    full_name: str
    email: str = ""
    phone: str = ""  # normalised +62 form
    nik: str = ""
    address: str = ""


STAFF: tuple[DemoStaff, ...] = (
    DemoStaff(
        "petugas.loket", "Dewi Lestari", Role.FRONT_OFFICE, "disdukcapil-banyumas", "pendaftaran-penduduk"
    ),
    DemoStaff(
        "verifikator", "Agus Prasetyo", Role.BACK_OFFICE, "disdukcapil-banyumas", "pendaftaran-penduduk"
    ),
    DemoStaff("kepala.unit", "Sri Wahyuni", Role.UNIT_HEAD, "disdukcapil-banyumas", "pendaftaran-penduduk"),
    # The MPP is run by the DPMPTSP, so the complaint coordinator sits there.
    DemoStaff("koordinator", "Bambang Sutrisno", Role.COMPLAINT_COORDINATOR, "dpmptsp-banyumas"),
    DemoStaff("inspektorat", "Rina Kusumawati", Role.INSPECTORATE, "disdukcapil-banyumas"),
    # A unit whose service has a fee (PBG), so the whole paid journey can be tried on the demo.
    DemoStaff("verifikator.pbg", "Yusuf Hidayat", Role.BACK_OFFICE, "dinas-pupr-banyumas", "bangunan-gedung"),
    DemoStaff("kepala.pbg", "Ratna Sari", Role.UNIT_HEAD, "dinas-pupr-banyumas", "bangunan-gedung"),
    DemoStaff("admin", "Hendra Gunawan", Role.PLATFORM_ADMIN),
)

CITIZENS: tuple[DemoCitizen, ...] = (
    DemoCitizen(
        "siti.aminah",
        "Siti Aminah",
        email="siti.aminah@example.com",
        # Fictional, valid in form: Purwokerto Timur (33.02.26), woman born 15-08-1990 (day 15 + 40).
        nik="3302265508909999",
        address="Jl. Contoh No. 1, Purwokerto Timur, Kabupaten Banyumas",
    ),
    DemoCitizen("budi.santoso", "Budi Santoso", phone="+6281200000001"),
)
