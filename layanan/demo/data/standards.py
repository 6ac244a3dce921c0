"""Service standards of the demo MPP: helpers and what each agency shares across its services.

Each demo service (``services.py``) lists its own requirements, completion time, fee and products;
the procedure, complaint channels, the 8 internal components, the adopting decree and the
service promise (*maklumat*) come from its agency here unless the service gives its own. All of it
is demo content, realistic but to be checked against the regulations before any real use.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from layanan.catalog.standard import ComplaintChannelKind as Ch
from layanan.catalog.standard import DocumentForm as F
from layanan.catalog.standard import DocumentType as D
from layanan.catalog.standard import StepActor as A

Row = dict[str, Any]

MAKLUMAT = (
    "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang telah "
    "ditetapkan dan apabila tidak menepati janji, kami siap menerima sanksi sesuai dengan peraturan "
    "perundang-undangan yang berlaku."
)

# --- Row builders --------------------------------------------------------------------------------


def req(
    document_type: D, name: str, form: F = F.COPY, *, issued_by: str = "", condition: str = "", note: str = ""
) -> Row:
    """A requirement: a typed document or data item (``condition``: "hanya jika ...")."""
    return {
        "document_type": str(document_type),
        "name": name,
        "form": str(form),
        "issued_by": issued_by,
        "condition": condition,
        "note": note,
    }


def step(actor: A, description: str) -> Row:
    return {"actor": str(actor), "description": description}


def days(value: int, *, from_complete: bool = True) -> Row:
    return {"value": value, "unit": "working_days", "starts_when_complete": from_complete}


def hours(value: int) -> Row:
    return {"value": value, "unit": "hours", "starts_when_complete": True}


def minutes(value: int) -> Row:
    return {"value": value, "unit": "minutes", "starts_when_complete": True}


def free(legal_basis: str, note: str = "") -> Row:
    """Not charged (*tidak dipungut biaya*), with the basis for it being free."""
    return {"is_free": True, "items": [], "legal_basis": legal_basis, "note": note}


def item(label: str, amount: int, legal_basis: str) -> Row:
    return {"label": label, "amount": amount, "legal_basis": legal_basis}


def paid(*items: Row, note: str = "", legal_basis: str = "") -> Row:
    return {"is_free": False, "items": list(items), "legal_basis": legal_basis, "note": note}


def product(name: str, description: str = "", *, electronic: bool = False) -> Row:
    return {"name": name, "description": description, "is_electronic": electronic}


def channel(kind: Ch, detail: str = "") -> Row:
    return {"kind": str(kind), "detail": detail}


# --- Shared pieces -------------------------------------------------------------------------------

LAPOR = channel(Ch.SP4N_LAPOR, "www.lapor.go.id, SMS 1708, atau aplikasi SP4N-LAPOR!")
WEBSITE = channel(
    Ch.WEBSITE, "Menu Pengaduan di portal Layanan MPP Banyumas; ditanggapi paling lambat 5 hari kerja."
)
MPP_DESK = channel(Ch.IN_PERSON, "Meja pengaduan MPP Kabupaten Banyumas, Senin–Jumat 08.00–15.00.")
MPP_BOX = channel(Ch.SUGGESTION_BOX, "Kotak saran di ruang tunggu MPP Kabupaten Banyumas.")

ONLY_IF_REPRESENTED = "hanya jika pemohon diwakilkan"
POWER_OF_ATTORNEY = req(
    D.POWER_OF_ATTORNEY,
    "Surat kuasa bermeterai dan KTP-el penerima kuasa",
    F.ORIGINAL,
    condition=ONLY_IF_REPRESENTED,
)
KTP_SHOWN = req(
    D.KTP,
    "KTP-el pemohon",
    F.ORIGINAL,
    issued_by="Dinas Kependudukan dan Pencatatan Sipil",
    note="Ditunjukkan di loket.",
)
KTP_COPY = req(D.KTP, "Fotokopi KTP-el pemohon", F.COPY, issued_by="Dinas Kependudukan dan Pencatatan Sipil")
KK_NUMBER = req(
    D.KK,
    "Nomor Kartu Keluarga",
    F.DATA_ONLY,
    issued_by="Dinas Kependudukan dan Pencatatan Sipil",
    note="Cukup menyebutkan nomor KK; data diperiksa langsung di database kependudukan.",
)
KK_COPY = req(D.KK, "Fotokopi Kartu Keluarga", F.COPY, issued_by="Dinas Kependudukan dan Pencatatan Sipil")

COMMON_SECURITY = (
    "Data pribadi pemohon hanya diakses petugas yang berwenang dan dilindungi sesuai UU 27/2022 tentang "
    "Pelindungan Data Pribadi; berkas fisik disimpan dalam lemari terkunci. Ruang pelayanan dilengkapi "
    "CCTV, alat pemadam api ringan, jalur evakuasi, dan petugas keamanan MPP."
)
COMMON_EVALUATION = (
    "Survei Kepuasan Masyarakat (SKM) setiap semester sesuai Permen PANRB 14/2017; evaluasi kinerja "
    "pelaksana setiap bulan oleh atasan langsung berdasarkan capaian waktu penyelesaian dan pengaduan; "
    "hasilnya dibahas dalam rapat evaluasi triwulanan dan ditindaklanjuti."
)


@dataclass(frozen=True)
class AgencyStandard:
    """What the services of one agency share: decree, promise, procedure, channels, internals."""

    decree_number: str
    decree_date: datetime.date
    signatory_name: str
    signatory_title: str
    signed_on: datetime.date
    procedure: tuple[Row, ...]
    channels: tuple[Row, ...]
    legal_basis: str
    facilities: str
    staff_competence: str
    internal_supervision: str
    staff_count: str
    service_guarantee: str
    security_guarantee: str = COMMON_SECURITY
    performance_evaluation: str = COMMON_EVALUATION
    extra: dict[str, str] = field(default_factory=dict)


def _decree(title: str, number: str) -> str:
    return f"Keputusan {title} Nomor {number}"


AGENCY_STANDARDS: dict[str, AgencyStandard] = {
    "disdukcapil-banyumas": AgencyStandard(
        decree_number=_decree(
            "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banyumas", "000.8/123/2026"
        ),
        decree_date=datetime.date(2026, 1, 12),
        signatory_name="Drs. Bambang Widodo, M.Si.",
        signatory_title="Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banyumas",
        signed_on=datetime.date(2026, 1, 12),
        procedure=(
            step(
                A.CITIZEN,
                "Pemohon mengambil nomor antrean dan menyerahkan berkas persyaratan di loket, atau "
                "mengunggahnya melalui layanan daring.",
            ),
            step(
                A.FRONT_OFFICE,
                "Petugas loket memeriksa kelengkapan dan keabsahan berkas; berkas yang belum lengkap "
                "dikembalikan dengan penjelasan tertulis.",
            ),
            step(
                A.BACK_OFFICE,
                "Operator memverifikasi data pada database kependudukan (SIAK) dan memproses perubahan data.",
            ),
            step(A.UNIT_HEAD, "Kepala Dinas menandatangani dokumen secara elektronik (TTE)."),
            step(
                A.FRONT_OFFICE,
                "Dokumen diserahkan kepada pemohon di loket atau dikirim ke alamat surel pemohon dalam "
                "bentuk PDF untuk dicetak sendiri.",
            ),
        ),
        channels=(
            MPP_DESK,
            WEBSITE,
            LAPOR,
            channel(Ch.EMAIL, "pengaduan@dukcapil.banyumaskab.example"),
            MPP_BOX,
        ),
        legal_basis=(
            "UU 25/2009 tentang Pelayanan Publik; UU 23/2006 tentang Administrasi Kependudukan sebagaimana "
            "diubah dengan UU 24/2013; Perpres 96/2018 tentang Persyaratan dan Tata Cara Pendaftaran "
            "Penduduk "
            "dan Pencatatan Sipil; Permendagri 108/2019 tentang Peraturan Pelaksanaan Perpres 96/2018."
        ),
        facilities=(
            "Ruang tunggu ber-AC dengan kursi prioritas, loket pelayanan, mesin antrean, komputer terhubung "
            "SIAK, alat perekam biometrik (kamera, pemindai sidik jari dan iris), printer kartu, akses "
            "internet, toilet ramah disabilitas, ruang laktasi, dan kursi roda."
        ),
        staff_competence=(
            "Memahami peraturan administrasi kependudukan; mampu mengoperasikan SIAK dan perangkat "
            "perekaman biometrik; berkomunikasi dengan santun, termasuk dengan penyandang disabilitas; "
            "berpendidikan paling rendah SMA/sederajat dan telah mengikuti bimbingan teknis adminduk."
        ),
        internal_supervision=(
            "Pengawasan melekat oleh Kepala Bidang dan Kepala Dinas; pemeriksaan oleh Inspektorat "
            "Kabupaten Banyumas; pemantauan data oleh Direktorat Jenderal Kependudukan dan Pencatatan Sipil."
        ),
        staff_count="12 orang: 6 petugas loket, 4 operator SIAK, 2 petugas perekaman.",
        service_guarantee=(
            "Dokumen diterbitkan dalam jangka waktu yang ditetapkan sejak berkas lengkap; tidak dipungut "
            "biaya; bila terlambat, pemohon menerima penjelasan tertulis dan dokumen diprioritaskan."
        ),
    ),
    "dpmptsp-banyumas": AgencyStandard(
        decree_number=_decree(
            "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Banyumas",
            "000.8/45/2026",
        ),
        decree_date=datetime.date(2026, 1, 19),
        signatory_name="Ir. Endang Purwaningsih, M.T.",
        signatory_title="Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Banyumas",
        signed_on=datetime.date(2026, 1, 19),
        procedure=(
            step(
                A.CITIZEN,
                "Pemohon mengajukan permohonan melalui sistem OSS atau di loket DPMPTSP dengan melampirkan "
                "persyaratan.",
            ),
            step(
                A.FRONT_OFFICE, "Petugas loket memeriksa kelengkapan administrasi dan memberi tanda terima."
            ),
            step(A.BACK_OFFICE, "Tim teknis memverifikasi dokumen dan, bila perlu, meninjau lokasi."),
            step(A.UNIT_HEAD, "Kepala Dinas menerbitkan dan menandatangani izin secara elektronik."),
            step(A.SYSTEM, "Sistem mengirim dokumen izin ke akun pemohon dan alamat surelnya."),
        ),
        channels=(
            MPP_DESK,
            WEBSITE,
            LAPOR,
            channel(Ch.EMAIL, "pengaduan@dpmptsp.banyumaskab.example"),
            MPP_BOX,
        ),
        legal_basis=(
            "UU 25/2009 tentang Pelayanan Publik; PP 5/2021 tentang Penyelenggaraan Perizinan Berusaha "
            "Berbasis Risiko; Perpres 89/2021 tentang Penyelenggaraan Mal Pelayanan Publik."
        ),
        facilities=(
            "Loket pelayanan, ruang konsultasi, komputer dan akses internet untuk pendampingan OSS, "
            "mesin antrean, ruang tunggu ber-AC, toilet ramah disabilitas, ruang laktasi."
        ),
        staff_competence=(
            "Memahami perizinan berusaha berbasis risiko, KBLI 2020, dan sistem OSS; mampu memberikan "
            "pendampingan kepada pelaku usaha mikro dan kecil; bersertifikat pelatihan pelayanan prima."
        ),
        internal_supervision=(
            "Pengawasan melekat oleh Kepala Bidang Pelayanan Perizinan dan Kepala Dinas; pemeriksaan oleh "
            "Inspektorat."
        ),
        staff_count="8 orang: 4 petugas loket dan pendamping OSS, 3 anggota tim teknis, 1 koordinator.",
        service_guarantee=(
            "Permohonan yang lengkap diselesaikan dalam jangka waktu yang ditetapkan; setiap penolakan "
            "disertai alasan tertulis."
        ),
    ),
    "dinas-pupr-banyumas": AgencyStandard(
        decree_number=_decree(
            "Kepala Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Banyumas", "000.8/77/2026"
        ),
        decree_date=datetime.date(2026, 1, 21),
        signatory_name="Ir. Agus Setiawan, M.T.",
        signatory_title="Kepala Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Banyumas",
        signed_on=datetime.date(2026, 1, 21),
        procedure=(
            step(
                A.CITIZEN,
                "Pemohon mendaftar dan mengunggah dokumen melalui SIMBG (simbg.pu.go.id) atau dibantu di "
                "loket.",
            ),
            step(A.FRONT_OFFICE, "Petugas memeriksa kelengkapan dokumen administrasi dan teknis."),
            step(
                A.BACK_OFFICE,
                "Petugas teknis memeriksa kesesuaian dokumen dengan standar teknis dan rencana tata ruang.",
            ),
            step(A.UNIT_HEAD, "Kepala Dinas menandatangani dokumen secara elektronik."),
            step(A.SYSTEM, "SIMBG menerbitkan dokumen dan mengirimkannya ke akun pemohon."),
        ),
        channels=(MPP_DESK, WEBSITE, LAPOR, channel(Ch.EMAIL, "pengaduan@dpupr.banyumaskab.example")),
        legal_basis=(
            "UU 25/2009 tentang Pelayanan Publik; UU 28/2002 tentang Bangunan Gedung sebagaimana diubah "
            "dengan UU 6/2023; PP 16/2021 tentang Peraturan Pelaksanaan UU 28/2002 tentang Bangunan Gedung; "
            "UU 26/2007 tentang Penataan Ruang."
        ),
        facilities=(
            "Loket pelayanan, ruang sidang Tim Profesi Ahli, komputer dengan akses SIMBG, plotter, ruang "
            "tunggu, toilet ramah disabilitas."
        ),
        staff_competence=(
            "Berlatar belakang teknik sipil atau arsitektur; memahami standar teknis bangunan gedung dan "
            "SIMBG; Tim Profesi Ahli bersertifikat keahlian."
        ),
        internal_supervision=(
            "Pengawasan melekat oleh Kepala Bidang Bangunan Gedung dan Kepala Dinas; pemeriksaan oleh "
            "Inspektorat."
        ),
        staff_count=(
            "10 orang: 3 petugas loket, 5 petugas teknis, 2 petugas administrasi; ditambah Tim Profesi Ahli."
        ),
        service_guarantee=(
            "Dokumen yang memenuhi standar teknis diterbitkan dalam jangka waktu yang ditetapkan; hasil "
            "pemeriksaan yang belum memenuhi standar disampaikan tertulis melalui SIMBG."
        ),
    ),
    "polresta-banyumas": AgencyStandard(
        decree_number=_decree("Kepala Kepolisian Resor Kota Banyumas", "Kep/12/I/2026"),
        decree_date=datetime.date(2026, 1, 8),
        signatory_name="Kombes Pol. Hendra Saputra, S.I.K., M.H.",
        signatory_title="Kepala Kepolisian Resor Kota Banyumas",
        signed_on=datetime.date(2026, 1, 8),
        procedure=(
            step(A.CITIZEN, "Pemohon mendaftar di loket atau melalui aplikasi dan menyerahkan persyaratan."),
            step(A.FRONT_OFFICE, "Petugas memeriksa kelengkapan berkas dan mencocokkan identitas pemohon."),
            step(A.CITIZEN, "Pemohon membayar PNBP melalui bank persepsi dan menyerahkan bukti bayar."),
            step(
                A.BACK_OFFICE,
                "Petugas mengambil foto, sidik jari, dan tanda tangan pemohon serta memproses data.",
            ),
            step(A.FRONT_OFFICE, "Petugas menyerahkan dokumen yang telah dicetak kepada pemohon."),
        ),
        channels=(
            channel(Ch.IN_PERSON, "Ruang pengaduan Satpas dan Gerai Polresta Banyumas di MPP."),
            channel(Ch.PHONE, "Call center Polri 110 (gratis, 24 jam)."),
            WEBSITE,
            LAPOR,
            MPP_BOX,
        ),
        legal_basis=(
            "UU 25/2009 tentang Pelayanan Publik; UU 2/2002 tentang Kepolisian Negara Republik Indonesia; "
            "UU 22/2009 tentang Lalu Lintas dan Angkutan Jalan; PP 76/2020 tentang Jenis dan Tarif atas "
            "Jenis PNBP yang Berlaku pada Kepolisian Negara Republik Indonesia."
        ),
        facilities=(
            "Ruang tunggu, loket pendaftaran dan pembayaran, ruang ujian teori berbasis komputer, lapangan "
            "ujian praktik, perangkat foto dan sidik jari, printer kartu, CCTV, toilet ramah disabilitas."
        ),
        staff_competence=(
            "Anggota Polri dan PNS Polri yang telah mengikuti pelatihan fungsi teknis lalu lintas atau "
            "intelijen keamanan serta pelayanan prima."
        ),
        internal_supervision=(
            "Pengawasan oleh Kasat Lantas/Kasat Intelkam dan Kapolresta; pemeriksaan oleh Seksi Propam dan "
            "Inspektorat Pengawasan Daerah Polda Jawa Tengah."
        ),
        staff_count="Satpas 16 orang; Gerai MPP 6 orang.",
        service_guarantee=(
            "Pelayanan sesuai standar tanpa calo dan tanpa pungutan di luar PNBP resmi; petugas yang "
            "melanggar dikenai sanksi disiplin dan kode etik."
        ),
    ),
    "imigrasi-cilacap": AgencyStandard(
        decree_number=_decree("Kepala Kantor Imigrasi Kelas II TPI Cilacap", "WIM.13.IMI.4-UM.01.01-0123"),
        decree_date=datetime.date(2026, 1, 5),
        signatory_name="Rudi Hartono, S.H., M.H.",
        signatory_title="Kepala Kantor Imigrasi Kelas II TPI Cilacap",
        signed_on=datetime.date(2026, 1, 5),
        procedure=(
            step(
                A.CITIZEN,
                "Pemohon mengisi data dan memilih jadwal kedatangan melalui aplikasi M-Paspor, lalu "
                "membayar PNBP sesuai kode billing.",
            ),
            step(A.FRONT_OFFICE, "Petugas memeriksa dokumen asli sesuai data yang diisi di M-Paspor."),
            step(A.BACK_OFFICE, "Petugas mewawancarai pemohon serta mengambil foto dan sidik jari."),
            step(A.UNIT_HEAD, "Pejabat imigrasi memberikan persetujuan (adjudikasi) atas permohonan."),
            step(A.BACK_OFFICE, "Petugas mencetak paspor dan memeriksa hasil cetakan."),
            step(A.FRONT_OFFICE, "Paspor diserahkan kepada pemohon dengan menunjukkan tanda terima."),
        ),
        channels=(
            channel(
                Ch.IN_PERSON, "Meja pengaduan Layanan Paspor di MPP Banyumas dan di Kantor Imigrasi Cilacap."
            ),
            channel(Ch.EMAIL, "pengaduan@imigrasi-cilacap.example"),
            WEBSITE,
            LAPOR,
        ),
        legal_basis=(
            "UU 25/2009 tentang Pelayanan Publik; UU 6/2011 tentang Keimigrasian; PP 31/2013 tentang "
            "Peraturan Pelaksanaan UU 6/2011; Permenkumham 8/2014 tentang Paspor Biasa dan Surat Perjalanan "
            "Laksana Paspor."
        ),
        facilities=(
            "Loket pemeriksaan berkas, ruang wawancara, perangkat foto dan sidik jari, ruang tunggu, kursi "
            "roda, ruang laktasi."
        ),
        staff_competence=(
            "Pejabat imigrasi yang telah mengikuti pendidikan teknis keimigrasian dan pelatihan pelayanan "
            "publik."
        ),
        internal_supervision=(
            "Pengawasan oleh Kepala Seksi Lalu Lintas Keimigrasian dan Kepala Kantor; pemeriksaan oleh "
            "Inspektorat Jenderal."
        ),
        staff_count="5 orang di layanan paspor MPP Banyumas.",
        service_guarantee=(
            "Paspor selesai dalam jangka waktu yang ditetapkan sejak wawancara dan pembayaran; tanpa "
            "pungutan di luar PNBP resmi."
        ),
    ),
    "bpjs-kesehatan-purwokerto": AgencyStandard(
        decree_number=_decree("Kepala BPJS Kesehatan Kantor Cabang Purwokerto", "123/KPTS/VI-03/0126"),
        decree_date=datetime.date(2026, 1, 14),
        signatory_name="dr. Ratna Dewi Anggraini, M.Kes.",
        signatory_title="Kepala BPJS Kesehatan Kantor Cabang Purwokerto",
        signed_on=datetime.date(2026, 1, 14),
        procedure=(
            step(A.CITIZEN, "Peserta menyerahkan persyaratan di loket atau melalui aplikasi Mobile JKN."),
            step(A.FRONT_OFFICE, "Petugas memverifikasi NIK dan data keluarga ke database kependudukan."),
            step(
                A.SYSTEM,
                "Sistem kepesertaan mencatat perubahan dan menerbitkan nomor kepesertaan atau virtual "
                "account.",
            ),
            step(
                A.FRONT_OFFICE, "Petugas menyampaikan hasil dan cara mengakses kartu digital di Mobile JKN."
            ),
        ),
        channels=(
            channel(Ch.PHONE, "BPJS Kesehatan Care Center 165."),
            channel(Ch.IN_PERSON, "Loket BPJS Kesehatan di MPP Banyumas."),
            WEBSITE,
            LAPOR,
        ),
        legal_basis=(
            "UU 25/2009 tentang Pelayanan Publik; UU 40/2004 tentang Sistem Jaminan Sosial Nasional; "
            "UU 24/2011 tentang BPJS; Perpres 82/2018 tentang Jaminan Kesehatan beserta perubahannya."
        ),
        facilities=(
            "Loket pelayanan, komputer terhubung sistem kepesertaan, mesin antrean, ruang tunggu, pojok "
            "Mobile JKN."
        ),
        staff_competence=(
            "Memahami ketentuan kepesertaan JKN dan aplikasi kepesertaan; terlatih pelayanan prima."
        ),
        internal_supervision=(
            "Pengawasan oleh Kepala Bagian Kepesertaan dan Kepala Cabang; audit internal BPJS Kesehatan."
        ),
        staff_count="3 orang di loket MPP Banyumas.",
        service_guarantee=(
            "Permohonan yang lengkap diselesaikan pada hari yang sama bila sistem berjalan normal."
        ),
    ),
    "bapenda-banyumas": AgencyStandard(
        decree_number=_decree("Kepala Badan Pendapatan Daerah Kabupaten Banyumas", "000.8/56/2026"),
        decree_date=datetime.date(2026, 1, 16),
        signatory_name="Drs. Yusuf Effendi, M.M.",
        signatory_title="Kepala Badan Pendapatan Daerah Kabupaten Banyumas",
        signed_on=datetime.date(2026, 1, 16),
        procedure=(
            step(A.CITIZEN, "Wajib pajak mengisi formulir permohonan dan menyerahkan persyaratan di loket."),
            step(A.FRONT_OFFICE, "Petugas memeriksa kelengkapan berkas dan memberi tanda terima."),
            step(
                A.BACK_OFFICE,
                "Petugas meneliti data objek pajak pada sistem informasi PBB dan BPHTB, dan bila perlu "
                "meninjau lapangan.",
            ),
            step(A.UNIT_HEAD, "Kepala Bidang menyetujui dan menandatangani hasil pelayanan."),
            step(A.FRONT_OFFICE, "Hasil pelayanan diserahkan kepada wajib pajak."),
        ),
        channels=(MPP_DESK, WEBSITE, LAPOR, channel(Ch.EMAIL, "pengaduan@bapenda.banyumaskab.example")),
        legal_basis=(
            "UU 25/2009 tentang Pelayanan Publik; UU 1/2022 tentang Hubungan Keuangan antara Pemerintah "
            "Pusat dan Pemerintahan Daerah; Peraturan Daerah Kabupaten Banyumas tentang Pajak Daerah dan "
            "Retribusi Daerah."
        ),
        facilities=(
            "Loket pelayanan, komputer terhubung sistem informasi PBB-P2 dan BPHTB, printer, ruang tunggu."
        ),
        staff_competence=(
            "Memahami ketentuan pajak daerah, PBB-P2, dan BPHTB; mampu mengoperasikan sistem informasi "
            "pajak daerah."
        ),
        internal_supervision=(
            "Pengawasan melekat oleh Kepala Bidang Pelayanan dan Kepala Badan; pemeriksaan oleh Inspektorat."
        ),
        staff_count="6 orang: 3 petugas loket, 3 peneliti.",
        service_guarantee=(
            "Berkas yang lengkap diselesaikan dalam jangka waktu yang ditetapkan; tanpa pungutan apa pun."
        ),
    ),
    "dinsos-banyumas": AgencyStandard(
        decree_number=_decree("Kepala Dinas Sosial Kabupaten Banyumas", "000.8/34/2026"),
        decree_date=datetime.date(2026, 1, 20),
        signatory_name="Dra. Siti Fatimah, M.Si.",
        signatory_title="Kepala Dinas Sosial Kabupaten Banyumas",
        signed_on=datetime.date(2026, 1, 20),
        procedure=(
            step(A.CITIZEN, "Pemohon menyerahkan persyaratan di loket."),
            step(
                A.FRONT_OFFICE,
                "Petugas memeriksa kelengkapan berkas dan mencocokkan NIK dengan data kependudukan.",
            ),
            step(
                A.BACK_OFFICE,
                "Petugas memeriksa data keluarga dalam data tunggal sosial dan ekonomi serta, bila perlu, "
                "berkoordinasi dengan desa atau kelurahan.",
            ),
            step(A.UNIT_HEAD, "Kepala Dinas menandatangani surat yang diterbitkan."),
            step(A.FRONT_OFFICE, "Hasil pelayanan diserahkan kepada pemohon."),
        ),
        channels=(
            MPP_DESK,
            WEBSITE,
            LAPOR,
            channel(Ch.EMAIL, "pengaduan@dinsos.banyumaskab.example"),
            MPP_BOX,
        ),
        legal_basis=(
            "UU 25/2009 tentang Pelayanan Publik; UU 11/2009 tentang Kesejahteraan Sosial; UU 13/2011 "
            "tentang Penanganan Fakir Miskin; Inpres 4/2025 tentang Data Tunggal Sosial dan Ekonomi."
        ),
        facilities=(
            "Loket pelayanan, komputer terhubung aplikasi data sosial, ruang tunggu dengan kursi "
            "prioritas, kursi roda."
        ),
        staff_competence=(
            "Pekerja sosial atau petugas yang memahami pengelolaan data kesejahteraan sosial dan "
            "berkomunikasi dengan empati."
        ),
        internal_supervision=(
            "Pengawasan melekat oleh Kepala Bidang Perlindungan dan Jaminan Sosial dan Kepala Dinas; "
            "pemeriksaan oleh Inspektorat."
        ),
        staff_count="4 orang.",
        service_guarantee=(
            "Pelayanan tanpa pungutan; setiap usulan tercatat dan pemohon menerima tanda terima."
        ),
    ),
    "kemenag-banyumas": AgencyStandard(
        decree_number=_decree("Kepala Kantor Kementerian Agama Kabupaten Banyumas", "123 Tahun 2026"),
        decree_date=datetime.date(2026, 1, 7),
        signatory_name="H. Ahmad Muhdzir, S.Ag., M.Pd.I.",
        signatory_title="Kepala Kantor Kementerian Agama Kabupaten Banyumas",
        signed_on=datetime.date(2026, 1, 7),
        procedure=(
            step(
                A.CITIZEN,
                "Pemohon menyerahkan persyaratan di loket PTSP atau mendaftar melalui aplikasi SIMKAH.",
            ),
            step(A.FRONT_OFFICE, "Petugas PTSP memeriksa kelengkapan berkas dan memberi tanda terima."),
            step(A.BACK_OFFICE, "Petugas seksi terkait memeriksa dan memproses berkas."),
            step(A.UNIT_HEAD, "Pejabat yang berwenang menandatangani hasil pelayanan."),
            step(A.FRONT_OFFICE, "Hasil pelayanan diserahkan kepada pemohon di loket PTSP."),
        ),
        channels=(
            channel(Ch.IN_PERSON, "Loket PTSP Kementerian Agama di MPP Banyumas."),
            WEBSITE,
            LAPOR,
            channel(Ch.EMAIL, "ptsp@kemenag-banyumas.example"),
        ),
        legal_basis=(
            "UU 25/2009 tentang Pelayanan Publik; UU 1/1974 tentang Perkawinan sebagaimana diubah dengan "
            "UU 16/2019; PMA 22/2024 tentang Pencatatan Pernikahan; PP 59/2018 tentang Jenis dan Tarif PNBP "
            "pada Kementerian Agama."
        ),
        facilities="Loket PTSP, komputer terhubung SIMKAH, ruang tunggu, toilet ramah disabilitas.",
        staff_competence=(
            "ASN Kementerian Agama yang memahami ketentuan pencatatan nikah dan layanan pendidikan madrasah."
        ),
        internal_supervision=(
            "Pengawasan melekat oleh Kepala Seksi Bimas Islam dan Kepala Kantor; pemeriksaan oleh "
            "Inspektorat Jenderal Kementerian Agama."
        ),
        staff_count="3 orang di loket PTSP MPP Banyumas.",
        service_guarantee="Pelayanan tanpa pungutan di luar PNBP resmi yang disetor ke kas negara.",
    ),
    "samsat-banyumas": AgencyStandard(
        decree_number=_decree("Kepala UPPD Kabupaten Banyumas", "000.8/12/2026"),
        decree_date=datetime.date(2026, 1, 9),
        signatory_name="Bayu Prasetya, S.E., M.M.",
        signatory_title="Kepala Unit Pengelola Pendapatan Daerah Kabupaten Banyumas",
        signed_on=datetime.date(2026, 1, 9),
        procedure=(
            step(A.CITIZEN, "Wajib pajak menyerahkan KTP-el dan STNK di loket pendaftaran."),
            step(A.FRONT_OFFICE, "Petugas mencocokkan identitas dengan STNK dan data kendaraan."),
            step(A.SYSTEM, "Sistem menghitung PKB, SWDKLLJ, dan PNBP lalu mencetak notice pajak."),
            step(A.CITIZEN, "Wajib pajak membayar di kasir atau bank yang melayani di gerai."),
            step(A.OTHER_AGENCY, "Petugas Kepolisian mengesahkan STNK."),
            step(A.FRONT_OFFICE, "Notice pajak dan STNK yang telah disahkan diserahkan kepada wajib pajak."),
        ),
        channels=(
            channel(Ch.IN_PERSON, "Petugas informasi dan pengaduan Gerai Samsat di MPP Banyumas."),
            WEBSITE,
            LAPOR,
            MPP_BOX,
        ),
        legal_basis=(
            "UU 25/2009 tentang Pelayanan Publik; UU 1/2022 tentang Hubungan Keuangan antara Pemerintah "
            "Pusat "
            "dan Pemerintahan Daerah; Perpres 5/2015 tentang Penyelenggaraan Sistem Administrasi Manunggal "
            "Satu Atap Kendaraan Bermotor."
        ),
        facilities="Loket pendaftaran, kasir, printer notice, ruang tunggu, layar informasi antrean.",
        staff_competence=(
            "Petugas Bapenda Provinsi, Kepolisian, dan Jasa Raharja yang memahami ketentuan PKB, SWDKLLJ, "
            "dan registrasi kendaraan."
        ),
        internal_supervision=(
            "Pengawasan oleh Kepala UPPD, Kasat Lantas, dan Kepala Perwakilan Jasa Raharja; pemeriksaan "
            "oleh Inspektorat Provinsi."
        ),
        staff_count="6 orang: 2 petugas Bapenda, 2 petugas Kepolisian, 1 petugas Jasa Raharja, 1 kasir.",
        service_guarantee=(
            "Pembayaran selesai dalam jangka waktu yang ditetapkan; tanpa pungutan di luar notice pajak."
        ),
    ),
    "disnaker-banyumas": AgencyStandard(
        decree_number=_decree("Kepala Dinnakerkop UKM Kabupaten Banyumas", "000.8/31/2026"),
        decree_date=datetime.date(2026, 1, 22),
        signatory_name="Drs. Joko Susilo, M.M.",
        signatory_title=(
            "Kepala Dinas Tenaga Kerja, Koperasi, dan Usaha Kecil dan Menengah Kabupaten Banyumas"
        ),
        signed_on=datetime.date(2026, 1, 22),
        procedure=(
            step(
                A.CITIZEN,
                "Pencari kerja mendaftar akun di SIAPkerja (karirhub.kemnaker.go.id) atau di loket.",
            ),
            step(A.FRONT_OFFICE, "Petugas antarkerja memeriksa data dan dokumen pencari kerja."),
            step(A.BACK_OFFICE, "Pengantar kerja memverifikasi dan menyetujui pendaftaran di sistem."),
            step(A.FRONT_OFFICE, "Kartu AK/1 dicetak atau diunduh dan diserahkan kepada pencari kerja."),
        ),
        channels=(MPP_DESK, WEBSITE, LAPOR, channel(Ch.EMAIL, "pengaduan@dinnakerkop.banyumaskab.example")),
        legal_basis=(
            "UU 25/2009 tentang Pelayanan Publik; UU 13/2003 tentang Ketenagakerjaan; Permenaker 39/2016 "
            "tentang Penempatan Tenaga Kerja."
        ),
        facilities=(
            "Loket antarkerja, komputer terhubung SIAPkerja, printer, papan lowongan kerja, ruang tunggu."
        ),
        staff_competence=(
            "Pengantar kerja dan petugas antarkerja yang telah mengikuti pelatihan teknis penempatan "
            "tenaga kerja."
        ),
        internal_supervision=(
            "Pengawasan melekat oleh Kepala Bidang Penempatan Tenaga Kerja dan Kepala Dinas; pemeriksaan "
            "oleh Inspektorat."
        ),
        staff_count="3 orang.",
        service_guarantee=(
            "Kartu AK/1 diterbitkan pada hari yang sama bila data lengkap; tanpa pungutan apa pun."
        ),
    ),
    "bank-jateng-purwokerto": AgencyStandard(
        decree_number=_decree("Pemimpin Cabang Bank Jateng Purwokerto", "0123/HK.01.01/PWT/2026"),
        decree_date=datetime.date(2026, 1, 6),
        signatory_name="Dimas Nugroho, S.E.",
        signatory_title="Pemimpin Cabang PT Bank Pembangunan Daerah Jawa Tengah Cabang Purwokerto",
        signed_on=datetime.date(2026, 1, 6),
        procedure=(
            step(A.CITIZEN, "Nasabah mengambil nomor antrean dan menyampaikan keperluannya."),
            step(A.FRONT_OFFICE, "Petugas gerai memeriksa identitas dan dokumen nasabah."),
            step(A.SYSTEM, "Sistem perbankan memproses transaksi."),
            step(A.FRONT_OFFICE, "Petugas menyerahkan bukti transaksi kepada nasabah."),
        ),
        channels=(
            channel(Ch.EMAIL, "pengaduan@bankjateng-purwokerto.example"),
            channel(Ch.IN_PERSON, "Petugas Gerai Bank Jateng di MPP Banyumas."),
            WEBSITE,
            LAPOR,
        ),
        legal_basis=(
            "UU 25/2009 tentang Pelayanan Publik; UU 10/1998 tentang Perbankan; POJK 22/2023 tentang "
            "Pelindungan Konsumen dan Masyarakat di Sektor Jasa Keuangan."
        ),
        facilities=(
            "Meja layanan nasabah, teller, komputer terhubung sistem perbankan, printer buku tabungan, "
            "ruang tunggu."
        ),
        staff_competence="Customer service dan teller bersertifikat sesuai ketentuan Bank Jateng dan OJK.",
        internal_supervision=(
            "Pengawasan oleh Pemimpin Cabang dan Satuan Kerja Audit Internal; pengawasan eksternal oleh OJK."
        ),
        staff_count="2 orang: 1 customer service, 1 teller.",
        service_guarantee=(
            "Transaksi dicatat seketika dan bukti transaksi selalu diberikan; keluhan ditangani sesuai "
            "POJK 22/2023."
        ),
    ),
}
