"""Demo complaints in Kabupaten Banyumas: a dozen realistic reports in different states, made
through the complaint actions (submission, disposition, answers, ratings), never by writing rows.

Idempotent: every report carries an idempotency key in the ``demo`` scope, and a report already
there is skipped with all its steps, so a second run writes nothing. The reports sit in villages
of the regency when the region table holds them (``make run`` loads province 33 down to the
villages); otherwise in the district or the regency itself.

Run after ``load_demo_data()``: it needs the demo agencies, units, staff and citizens. Staff who
answer: ``verifikator`` (Disdukcapil, registration counter) and ``verifikator.pbg`` (Dinas PUPR);
the other agencies' reports stay with them unanswered, as in any real queue.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from layanan.accounts.models import ServiceUnit, User
from layanan.complaints.actions import (
    answer_complaint,
    dispose_complaint,
    rate_complaint,
    submit_complaint,
    transition_complaint,
)
from layanan.complaints.models import Complaint, ComplaintCategory
from layanan.demo.data import organisations
from layanan.regions.models import Region

DEMO_SCOPE = "demo"
KEY_PREFIX = "demo-complaint-"


@dataclass(frozen=True)
class DemoReport:
    key: str
    kind: str
    category: str
    title: str
    body: str
    village: str  # Kemendagri code of the village (falls back to its district, then the regency)
    location: str = ""
    reporter: str = ""  # a demo citizen's username; "" for a visitor without an account
    visitor_name: str = ""  # what a visitor typed as their name
    anonymous: bool = False
    confidential: bool = False
    days_ago: int = 20  # when it was submitted
    attributes: dict[str, Any] = field(default_factory=dict)
    # The steps after submission: "verify" (the coordinator or inspectorate opens it),
    # "request_info", "archive", "dispose", "answer", "rate", "close".
    unit: tuple[str, str] | None = None  # (agency slug, unit slug) it is disposed to
    answerer: str = ""  # the unit officer's username
    answer: str = ""
    answer_after_days: int = 2  # working days between the disposition and the answer
    rating: int | None = None
    rating_comment: str = ""
    close: bool = False
    staff_note: str = ""  # request_info / archive note
    stop_at: str = ""  # "verify", "request_info" or "archive": stop there


DISDUKCAPIL = ("disdukcapil-banyumas", "pendaftaran-penduduk")
PUPR = ("dinas-pupr-banyumas", "bangunan-gedung")

REPORTS: tuple[DemoReport, ...] = (
    DemoReport(
        key="01",
        kind="pengaduan",
        category="kependudukan",
        title="Blangko KTP-el kosong sudah tiga minggu",
        body=(
            "Saya sudah rekam KTP-el di kecamatan sejak awal bulan lalu, tapi setiap datang ke loket "
            "dijawab blangko habis. Mohon kepastian kapan KTP bisa dicetak karena dibutuhkan untuk "
            "melamar kerja."
        ),
        village="33.02.26.1001",
        location="Loket Disdukcapil, MPP Purwokerto",
        reporter="siti.aminah",
        days_ago=41,
        unit=DISDUKCAPIL,
        answerer="verifikator",
        answer=(
            "Terima kasih atas laporannya. Blangko KTP-el sudah kami terima dari Kementerian Dalam "
            "Negeri pada hari Senin. KTP-el Ibu sudah dicetak dan dapat diambil di loket 3 MPP "
            "dengan membawa bukti rekam."
        ),
        answer_after_days=3,
        rating=5,
        rating_comment="Cepat ditanggapi, KTP sudah saya ambil.",
        close=True,
    ),
    DemoReport(
        key="02",
        kind="pengaduan",
        category="infrastruktur",
        title="Jalan berlubang besar di depan SD Negeri 1 Berkoh",
        body=(
            "Jalan di depan SD Negeri 1 Berkoh berlubang besar sejak musim hujan. Sudah dua "
            "pengendara motor jatuh minggu ini, padahal setiap pagi banyak anak sekolah lewat."
        ),
        village="33.02.24.1003",
        location="Jl. Pahlawan, depan SD Negeri 1 Berkoh",
        anonymous=True,
        days_ago=33,
        attributes={"fasilitas": "jalan", "tingkat": "berat"},
        unit=PUPR,
        answerer="verifikator.pbg",
        answer=(
            "Lubang sudah ditambal sementara dengan aspal dingin oleh tim UPT Jalan. Perbaikan "
            "permanen masuk jadwal pemeliharaan rutin bulan depan."
        ),
        answer_after_days=4,
        rating=4,
    ),
    DemoReport(
        key="03",
        kind="pengaduan",
        category="infrastruktur",
        title="Saluran drainase tersumbat, jalan tergenang setiap hujan",
        body=(
            "Saluran air di sepanjang jalan desa tersumbat sampah dan lumpur. Setiap hujan deras "
            "air meluap ke jalan dan masuk ke rumah warga RT 02."
        ),
        village="33.02.19.2004",
        location="Jalan desa RT 02 RW 01",
        reporter="budi.santoso",
        days_ago=26,
        attributes={"fasilitas": "drainase", "tingkat": "sedang"},
        unit=PUPR,
        answerer="verifikator.pbg",
        answer="Saluran sudah dibersihkan bersama warga dan perangkat desa pada hari Kamis.",
        answer_after_days=7,
        rating=2,
        rating_comment="Baru dibersihkan sebagian, ujung saluran dekat sungai masih tersumbat.",
    ),
    DemoReport(
        key="04",
        kind="pengaduan",
        category="kependudukan",
        title="Akta kelahiran anak belum jadi padahal sudah lewat batas waktu",
        body=(
            "Pengajuan akta kelahiran anak saya lewat loket MPP sudah lebih dari sepuluh hari kerja, "
            "melebihi waktu di standar pelayanan. Di aplikasi statusnya masih diproses."
        ),
        village="33.02.26.1003",
        visitor_name="Wahyu Nugroho",
        days_ago=16,
        unit=DISDUKCAPIL,
        answerer="verifikator",
        answer=(
            "Mohon maaf atas keterlambatannya. Berkas tertahan karena nama ayah di surat nikah "
            "berbeda ejaan dengan KK. Petugas akan menghubungi Bapak untuk verifikasi, setelah itu "
            "akta terbit dalam satu hari kerja."
        ),
        answer_after_days=2,
    ),
    DemoReport(
        key="05",
        kind="pengaduan",
        category="lingkungan",
        title="Sampah menumpuk di TPS Pasar Ajibarang",
        body=(
            "Sampah di TPS dekat Pasar Ajibarang tidak diangkut sejak lima hari. Baunya sampai ke "
            "permukiman dan air lindinya mengalir ke selokan."
        ),
        village="33.02.14.2003",
        location="TPS belakang Pasar Ajibarang",
        anonymous=True,
        days_ago=9,
        attributes={"tingkat": "sedang"},
        unit=("dlh-banyumas", "kebersihan-pengaduan"),
    ),
    DemoReport(
        key="06",
        kind="pengaduan",
        category="transportasi",
        title="Lampu lalu lintas perempatan Sokaraja mati",
        body=(
            "Lampu lalu lintas di perempatan Sokaraja mati sejak kemarin sore. Arus kendaraan "
            "semrawut pada jam berangkat sekolah dan kerja."
        ),
        village="33.02.19.2004",
        location="Perempatan Sokaraja",
        reporter="budi.santoso",
        days_ago=4,
        attributes={"tingkat": "berat"},
        unit=("dinhub-banyumas", "lalu-lintas-parkir"),
    ),
    DemoReport(
        key="07",
        kind="pengaduan",
        category="air-bersih",
        title="Air PDAM keruh dan berbau selama seminggu",
        body=(
            "Air dari sambungan PDAM di rumah kami keruh kecokelatan dan berbau sejak seminggu. "
            "Tagihan bulan ini tetap penuh."
        ),
        village="33.02.22.2002",
        confidential=True,
        reporter="siti.aminah",
        days_ago=12,
        attributes={"tingkat": "sedang"},
        unit=("perumda-air-minum-banyumas", "layanan-pelanggan"),
    ),
    DemoReport(
        key="08",
        kind="pungli",
        category="pungli",
        title="Diminta uang pelicin untuk mempercepat pembuatan KK",
        body=(
            "Seorang oknum di sekitar loket meminta uang Rp200.000 agar Kartu Keluarga saya selesai "
            "hari itu juga. Saya menolak dan berkas saya dikembalikan dengan alasan kurang lengkap."
        ),
        village="33.02.26.1001",
        anonymous=True,
        days_ago=6,
        stop_at="verify",
    ),
    DemoReport(
        key="09",
        kind="aspirasi",
        category="pelayanan-aparatur",
        title="Usul loket prioritas untuk lansia dan penyandang disabilitas di MPP",
        body=(
            "Antrean di MPP sering panjang. Mohon disediakan loket prioritas dan kursi tunggu untuk "
            "lansia, ibu hamil dan penyandang disabilitas, serta nomor antrean yang diumumkan dengan suara."
        ),
        village="33.02.24.1002",
        visitor_name="Rudi Hartono",
        days_ago=22,
        unit=DISDUKCAPIL,
        answerer="kepala.unit",
        answer=(
            "Terima kasih atas usulannya. Mulai bulan ini loket 1 menjadi loket prioritas untuk lansia, "
            "ibu hamil dan penyandang disabilitas, dan nomor antrean sudah dipanggil dengan suara."
        ),
        answer_after_days=5,
    ),
    DemoReport(
        key="10",
        kind="informasi",
        category="kependudukan",
        title="Syarat pindah domisili ke luar provinsi",
        body=(
            "Saya ingin mengetahui persyaratan dan lama proses surat pindah domisili dari Banyumas ke "
            "Kota Bandung, dan apakah bisa diurus secara daring."
        ),
        village="33.02.27.1003",
        reporter="siti.aminah",
        days_ago=18,
        unit=DISDUKCAPIL,
        answerer="verifikator",
        answer=(
            "Surat pindah (SKPWNI) dapat diajukan daring lewat layanan ini dengan KK dan KTP-el. "
            "Prosesnya satu hari kerja; setelah itu lapor datang di Disdukcapil Kota Bandung."
        ),
        answer_after_days=1,
        rating=5,
    ),
    DemoReport(
        key="11",
        kind="pengaduan",
        category="lingkungan",
        title="Pembakaran sampah plastik di lahan kosong",
        body=(
            "Hampir setiap malam ada pembakaran sampah plastik di lahan kosong dekat permukiman. "
            "Asapnya masuk ke rumah, banyak anak batuk."
        ),
        village="33.02.17.2002",
        anonymous=True,
        days_ago=3,
        staff_note="Mohon sebutkan lokasi lahan lebih tepat (nama jalan atau patokan terdekat).",
        stop_at="request_info",
    ),
    DemoReport(
        key="12",
        kind="pengaduan",
        category="ketertiban",
        title="Pedagang kaki lima menutup trotoar Jalan Jenderal Soedirman",
        body=(
            "Trotoar di Jalan Jenderal Soedirman dekat alun-alun tertutup lapak pedagang sehingga "
            "pejalan kaki dan pengguna kursi roda harus turun ke jalan raya."
        ),
        village="33.02.26.1003",
        location="Jl. Jenderal Soedirman, sisi utara alun-alun",
        days_ago=2,
        attributes={"tingkat": "ringan"},
        stop_at="",
    ),
    DemoReport(
        key="13",
        kind="pengaduan",
        category="lingkungan",
        title="Sampah menumpuk di TPS Pasar Ajibarang (laporan ganda)",
        body=(
            "Sampah di TPS dekat Pasar Ajibarang tidak diangkut, bau sampai ke rumah warga. Mohon "
            "segera ditangani oleh dinas terkait."
        ),
        village="33.02.14.2003",
        days_ago=8,
        staff_note="Laporan ganda: sudah ditangani pada laporan lain untuk TPS yang sama.",
        stop_at="archive",
    ),
)


def _places(reports: tuple[DemoReport, ...]) -> dict[str, Region]:
    """The region of each report's village: the village, else its district, else the regency."""
    codes = {organisations.REGENCY_CODE}
    for item in reports:
        codes |= {item.village, item.village.rsplit(".", 1)[0]}
    found = Region.objects.in_bulk(sorted(codes), field_name="code")
    regency = found.get(organisations.REGENCY_CODE)
    places: dict[str, Region] = {}
    for item in reports:
        place = found.get(item.village) or found.get(item.village.rsplit(".", 1)[0]) or regency
        if place is None:
            raise LookupError(f"Region {organisations.REGENCY_CODE} is missing: run load_demo first.")
        places[item.key] = place
    return places


def _at(days_ago: int, hour: int, now: datetime.datetime) -> datetime.datetime:
    day = timezone.localtime(now) - datetime.timedelta(days=days_ago)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def _working_day_after(moment: datetime.datetime, days: int, hour: int) -> datetime.datetime:
    """``days`` weekdays after ``moment``, at ``hour`` (weekends skipped; holidays are the
    calendar's business)."""
    day = moment
    for _ in range(days):
        day += datetime.timedelta(days=1)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
    return day.replace(hour=hour)


class _Clock:
    """The times of one report's steps: in order, and never later than ``now``."""

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now
        self.last: datetime.datetime | None = None

    def __call__(self, moment: datetime.datetime) -> datetime.datetime:
        moment = min(moment, self.now - datetime.timedelta(minutes=5))
        if self.last is not None and moment <= self.last:
            moment = self.last + datetime.timedelta(seconds=1)
        self.last = moment
        return moment


@transaction.atomic
def load_demo_complaints(*, now: datetime.datetime | None = None) -> Counter[str]:
    """Create the demo reports that are missing (see the module docstring); returns how many
    reports were created, by kind (empty when everything was already there)."""
    now = now or timezone.now()
    done = set(
        Complaint.objects.filter(
            idempotency_scope=DEMO_SCOPE, idempotency_key__startswith=KEY_PREFIX
        ).values_list("idempotency_key", flat=True)
    )
    wanted = tuple(item for item in REPORTS if f"{KEY_PREFIX}{item.key}" not in done)
    created: Counter[str] = Counter()
    if not wanted:
        return created
    places = _places(wanted)
    categories = ComplaintCategory.objects.in_bulk([item.category for item in wanted], field_name="slug")
    people = User.objects.in_bulk(
        {"koordinator", "inspektorat"}
        | {item.reporter for item in wanted if item.reporter}
        | {item.answerer for item in wanted if item.answerer},
        field_name="username",
    )
    units = {
        (unit.agency.slug, unit.slug): unit
        for unit in ServiceUnit.objects.select_related("agency").filter(
            agency__slug__in={item.unit[0] for item in wanted if item.unit}
        )
    }
    for item in wanted:
        _make(item, places[item.key], categories[item.category], people, units, now)
        created[item.kind] += 1
    return created


def _make(
    item: DemoReport,
    region: Region,
    category: ComplaintCategory,
    people: dict[str, User],
    units: dict[tuple[str, str], ServiceUnit],
    now: datetime.datetime,
) -> None:
    reporter = people.get(item.reporter) if item.reporter else None
    clock = _Clock(now)
    submitted = clock(_at(item.days_ago, 8 + int(item.key) % 5, now))
    submission = submit_complaint(
        kind=item.kind,
        category=category,
        title=item.title,
        body=item.body,
        region=region,
        actor=reporter,
        channel="web",
        location_text=item.location,
        attributes=item.attributes,
        is_anonymous=item.anonymous,
        is_confidential=item.confidential,
        reporter=reporter,
        reporter_details={"name": item.visitor_name} if item.visitor_name else None,
        idempotency_scope=DEMO_SCOPE,
        idempotency_key=f"{KEY_PREFIX}{item.key}",
        language="id",
        suggest=False,
        now=submitted,
    )
    complaint = submission.complaint
    handler = people["inspektorat" if item.kind == "pungli" else "koordinator"]
    opened = clock(_working_day_after(submitted, 1, hour=9))
    unit = units.get(item.unit) if item.unit else None
    if item.stop_at or unit is None:
        # A unit missing from the demo (an older demo without the complaint agencies): the
        # report waits in verification for the coordinator to dispose it.
        if item.stop_at in {"verify", "request_info", "archive"} or item.unit:
            transition_complaint(complaint, "start_verification", actor=handler, now=opened)
        if item.stop_at in {"request_info", "archive"}:
            step = "request_info" if item.stop_at == "request_info" else "archive"
            transition_complaint(complaint, step, actor=handler, note=item.staff_note, now=clock(opened))
        return
    disposed = clock(opened.replace(hour=10))
    dispose_complaint(
        complaint,
        unit=unit,
        actor=handler,
        note="Mohon ditindaklanjuti sesuai standar pelayanan.",
        now=disposed,
    )
    if not item.answer:
        return
    answered = clock(_working_day_after(disposed, item.answer_after_days, hour=14))
    answer_complaint(complaint, actor=people[item.answerer], note=item.answer, now=answered)
    if item.rating is None:
        return
    rated = clock(answered + datetime.timedelta(hours=20))
    rate_complaint(
        complaint,
        rating=item.rating,
        comment=item.rating_comment,
        actor=reporter,
        tracking_secret=None if reporter is not None else submission.secret,
        now=rated,
    )
    if item.close:
        transition_complaint(
            complaint, "close", actor=handler, now=clock(_working_day_after(rated, 1, hour=10))
        )
