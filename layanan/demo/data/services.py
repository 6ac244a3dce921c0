"""The demo services (*jenis layanan*) of MPP Kabupaten Banyumas, each with its service standard.

Every service lists its requirements, completion time, fee and products; the procedure, complaint
channels and the 8 internal components come from its agency (``standards.AGENCY_STANDARDS``)
unless the service gives its own. Fees are never a bare number: each amount says what it pays for
and the regulation that sets it, and a free service names the basis for being free. Completion
times are conservative. Amounts are demo content to be checked against the regulation before any
real use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from layanan.catalog.models import Service
from layanan.catalog.standard import DocumentForm as F
from layanan.catalog.standard import DocumentType as D
from layanan.catalog.standard import StepActor as A
from layanan.demo.data.standards import (
    KK_COPY,
    KK_NUMBER,
    KTP_COPY,
    KTP_SHOWN,
    POWER_OF_ATTORNEY,
    Row,
    days,
    free,
    hours,
    item,
    minutes,
    paid,
    product,
    req,
    step,
)

Event = Service.LifeEvent
ONLINE, COUNTER, BOTH = Service.Channel.ONLINE, Service.Channel.COUNTER, Service.Channel.BOTH

ADMINDUK_FREE = (
    "UU 24/2013 tentang Perubahan atas UU 23/2006 tentang Administrasi Kependudukan, Pasal 79A: "
    "pengurusan dan penerbitan dokumen kependudukan tidak dipungut biaya."
)
POLRI_PNBP = (
    "PP 76/2020 tentang Jenis dan Tarif atas Jenis Penerimaan Negara Bukan Pajak yang Berlaku pada "
    "Kepolisian Negara Republik Indonesia."
)
IMMIGRATION_PNBP = (
    "PP 28/2019 tentang Jenis dan Tarif atas Jenis Penerimaan Negara Bukan Pajak yang Berlaku pada "
    "Kementerian Hukum dan Hak Asasi Manusia, beserta perubahannya tahun 2024."
)
BUILDING_RETRIBUTION = (
    "UU 1/2022 tentang Hubungan Keuangan antara Pemerintah Pusat dan Pemerintahan Daerah; PP 16/2021 "
    "tentang Peraturan Pelaksanaan UU 28/2002 tentang Bangunan Gedung; Peraturan Daerah Kabupaten "
    "Banyumas tentang Pajak Daerah dan Retribusi Daerah."
)
SWDKLLJ = "PMK 16/PMK.010/2017 tentang Besar Santunan dan Sumbangan Wajib Dana Kecelakaan Lalu Lintas Jalan."
MARRIAGE_PNBP = (
    "PP 59/2018 tentang Jenis dan Tarif atas Jenis Penerimaan Negara Bukan Pajak yang Berlaku pada "
    "Kementerian Agama."
)
REGIONAL_TAX_SERVICE_FREE = (
    "Pelayanan administrasi pajak daerah tidak dipungut biaya; yang terutang hanya pajaknya sendiri "
    "(UU 1/2022 tentang Hubungan Keuangan antara Pemerintah Pusat dan Pemerintahan Daerah; Peraturan "
    "Daerah Kabupaten Banyumas tentang Pajak Daerah dan Retribusi Daerah)."
)
NOT_A_RETRIBUTION = (
    "Tidak termasuk objek retribusi perizinan tertentu menurut UU 1/2022 tentang Hubungan Keuangan "
    "antara Pemerintah Pusat dan Pemerintahan Daerah, sehingga tidak dipungut biaya."
)
SOCIAL_FREE = (
    "Pelayanan kesejahteraan sosial bagi fakir miskin dan orang tidak mampu tidak dipungut biaya "
    "(UU 13/2011 tentang Penanganan Fakir Miskin; UU 11/2009 tentang Kesejahteraan Sosial)."
)
SIM_EXTRA = "Biaya pemeriksaan kesehatan dan tes psikologi dibayar terpisah kepada penyelenggaranya."

# Where to go, by (agency, unit).
COUNTERS: dict[tuple[str, str], str] = {
    ("disdukcapil-banyumas", "pendaftaran-penduduk"): "MPP Kabupaten Banyumas, loket Disdukcapil 1–4",
    ("disdukcapil-banyumas", "pencatatan-sipil"): "MPP Kabupaten Banyumas, loket Disdukcapil 5–6",
    ("dpmptsp-banyumas", "perizinan-berusaha"): "MPP Kabupaten Banyumas, loket DPMPTSP",
    ("dinas-pupr-banyumas", "bangunan-gedung"): "MPP Kabupaten Banyumas, loket PBG dan SLF",
    ("polresta-banyumas", "satpas"): "Satpas SIM Polresta Banyumas (ujian praktik di lapangan Satpas)",
    ("polresta-banyumas", "gerai-mpp"): "MPP Kabupaten Banyumas, Gerai Polresta",
    ("imigrasi-cilacap", "layanan-paspor"): "MPP Kabupaten Banyumas, loket Imigrasi (dengan jadwal M-Paspor)",
    ("bpjs-kesehatan-purwokerto", "loket-mpp"): "MPP Kabupaten Banyumas, loket BPJS Kesehatan",
    ("bapenda-banyumas", "pbb-bphtb"): "MPP Kabupaten Banyumas, loket Bapenda",
    ("dinsos-banyumas", "data-bansos"): "MPP Kabupaten Banyumas, loket Dinas Sosial",
    ("kemenag-banyumas", "ptsp"): "MPP Kabupaten Banyumas, loket PTSP Kemenag",
    ("samsat-banyumas", "gerai-mpp"): "MPP Kabupaten Banyumas, Gerai Samsat",
    ("disnaker-banyumas", "antarkerja"): "MPP Kabupaten Banyumas, loket Antarkerja",
    ("bank-jateng-purwokerto", "gerai-mpp"): "MPP Kabupaten Banyumas, Gerai Bank Jateng",
}


@dataclass(frozen=True)
class DemoService:
    agency: str
    unit: str
    slug: str
    name: str
    summary: str
    requirements: tuple[Row, ...]
    fee: Row
    products: tuple[Row, ...]
    time: Row = field(default_factory=lambda: days(1))
    channel: str = BOTH
    life_events: tuple[str, ...] = ()
    keywords: str = ""
    procedure: tuple[Row, ...] = ()  # empty: the agency's procedure
    legal_basis: str = ""  # added to the agency's legal basis

    @property
    def counter_location(self) -> str:
        return COUNTERS[(self.agency, self.unit)]


_DUKCAPIL = "disdukcapil-banyumas"
_PP = "pendaftaran-penduduk"
_CAPIL = "pencatatan-sipil"

# Steps shared by the SIM services (the exam steps only for a new licence).
_SIM_START = (
    step(
        A.CITIZEN,
        "Pemohon menjalani pemeriksaan kesehatan jasmani dan tes psikologi di penyelenggara yang ditunjuk.",
    ),
    step(A.CITIZEN, "Pemohon mendaftar di loket atau melalui aplikasi SINAR dan menyerahkan persyaratan."),
    step(A.FRONT_OFFICE, "Petugas memeriksa kelengkapan berkas dan mencocokkan identitas pemohon."),
    step(A.CITIZEN, "Pemohon membayar PNBP melalui bank persepsi dan menyerahkan bukti bayar."),
    step(A.BACK_OFFICE, "Petugas mengambil foto, sidik jari, dan tanda tangan pemohon."),
)
_SIM_EXAMS = (
    step(A.CITIZEN, "Pemohon mengikuti ujian teori berbasis komputer."),
    step(A.BACK_OFFICE, "Penguji melaksanakan ujian praktik keterampilan dan ujian di jalan raya."),
)
_SIM_END = (step(A.BACK_OFFICE, "Petugas mencetak SIM dan menyerahkannya kepada pemohon."),)
_SIM_NEW = _SIM_START + _SIM_EXAMS + _SIM_END
_SIM_RENEWAL = _SIM_START + _SIM_END
_SIM_DOCS = (
    req(D.KTP, "KTP-el pemohon", F.ORIGINAL_AND_COPY, issued_by="Dinas Kependudukan dan Pencatatan Sipil"),
    req(
        D.HEALTH_CERTIFICATE,
        "Surat keterangan sehat jasmani",
        F.ORIGINAL,
        issued_by="Dokter atau fasilitas kesehatan",
    ),
    req(
        D.OTHER,
        "Surat keterangan lulus tes psikologi",
        F.ORIGINAL,
        issued_by="Lembaga psikologi yang ditunjuk Polri",
    ),
)
_SIM_LEGAL = "Perpol 5/2021 tentang Penerbitan dan Penandaan Surat Izin Mengemudi."

_PASSPORT_FEES = (
    item("Paspor biasa nonelektronik 48 halaman, masa berlaku 5 tahun", 350_000, IMMIGRATION_PNBP),
    item("Paspor biasa elektronik 48 halaman, masa berlaku 5 tahun", 650_000, IMMIGRATION_PNBP),
    item("Paspor biasa nonelektronik 48 halaman, masa berlaku 10 tahun", 650_000, IMMIGRATION_PNBP),
    item("Paspor biasa elektronik 48 halaman, masa berlaku 10 tahun", 950_000, IMMIGRATION_PNBP),
    item("Layanan percepatan paspor selesai pada hari yang sama (bila dipilih)", 1_000_000, IMMIGRATION_PNBP),
)
_PASSPORT_NOTE = (
    "PNBP dibayar melalui bank, kantor pos, atau kanal pembayaran lain sesuai kode billing M-Paspor."
)
_CHILD_PASSPORT = req(
    D.PASSPORT,
    "KTP-el dan paspor kedua orang tua",
    F.ORIGINAL_AND_COPY,
    condition="hanya jika pemohon anak berusia di bawah 17 tahun dan belum kawin",
)

SERVICES: tuple[DemoService, ...] = (
    # --- Disdukcapil: population registration ---------------------------------------------------
    DemoService(
        _DUKCAPIL,
        _PP,
        "ktp-el",
        "Kartu Tanda Penduduk Elektronik (KTP-el)",
        "Perekaman data dan pencetakan KTP-el bagi penduduk yang berusia 17 tahun, sudah atau pernah "
        "kawin, serta penggantian KTP-el yang rusak, hilang, atau berubah datanya.",
        requirements=(
            KK_NUMBER,
            req(
                D.KTP,
                "KTP-el lama",
                F.ORIGINAL,
                condition="hanya untuk penggantian karena rusak atau perubahan data",
            ),
            req(
                D.OTHER,
                "Surat keterangan kehilangan",
                F.ORIGINAL,
                issued_by="Kepolisian",
                condition="hanya jika KTP-el hilang",
            ),
            req(
                D.MARRIAGE_CERTIFICATE,
                "Buku nikah atau kutipan akta perkawinan",
                F.COPY,
                condition="hanya jika pemohon belum berusia 17 tahun tetapi sudah kawin",
            ),
        ),
        procedure=(
            step(A.CITIZEN, "Pemohon mengambil nomor antrean dan menyebutkan nomor KK di loket."),
            step(A.FRONT_OFFICE, "Petugas memeriksa data pemohon pada database kependudukan (SIAK)."),
            step(A.BACK_OFFICE, "Petugas merekam foto, sidik jari, iris mata, dan tanda tangan pemohon."),
            step(
                A.SYSTEM,
                "Data biometrik dikirim ke pusat data kependudukan untuk memastikan tidak ada data ganda.",
            ),
            step(A.BACK_OFFICE, "Petugas mencetak KTP-el setelah data dinyatakan tunggal."),
            step(
                A.FRONT_OFFICE, "KTP-el diserahkan kepada pemohon sendiri dengan tanda tangan bukti terima."
            ),
        ),
        fee=free(ADMINDUK_FREE),
        products=(product("KTP-el", "Kartu fisik yang berlaku seumur hidup."),),
        channel=COUNTER,
        life_events=(Event.MOVING, Event.MARRIAGE),
        keywords="e-KTP, KTP elektronik, KTP-el, rekam KTP, cetak KTP",
    ),
    DemoService(
        _DUKCAPIL,
        _PP,
        "kartu-keluarga",
        "Kartu Keluarga (KK)",
        "Penerbitan Kartu Keluarga baru atau perubahan susunan keluarga karena kelahiran, kematian, "
        "perkawinan, perceraian, atau pindah datang.",
        requirements=(
            req(D.APPLICATION_FORM, "Formulir biodata keluarga atau perubahan data (F-1.02)", F.ORIGINAL),
            req(D.KK, "Kartu Keluarga lama", F.ORIGINAL, condition="hanya untuk perubahan KK yang sudah ada"),
            req(
                D.MARRIAGE_CERTIFICATE,
                "Buku nikah atau kutipan akta perkawinan",
                F.COPY,
                condition="hanya untuk membentuk keluarga baru",
            ),
            req(
                D.DIVORCE_CERTIFICATE, "Kutipan akta perceraian", F.COPY, condition="hanya karena perceraian"
            ),
            req(
                D.MOVING_LETTER,
                "Surat Keterangan Pindah (SKPWNI)",
                F.ORIGINAL,
                issued_by="Disdukcapil daerah asal",
                condition="hanya untuk penduduk pindah datang",
            ),
            POWER_OF_ATTORNEY,
        ),
        fee=free(ADMINDUK_FREE),
        products=(
            product(
                "Kartu Keluarga",
                "Dokumen bertanda tangan elektronik, dicetak sendiri di kertas HVS A4 80 gram.",
                electronic=True,
            ),
        ),
        life_events=(Event.BIRTH, Event.MARRIAGE, Event.DEATH, Event.MOVING),
        keywords="KK, kartu keluarga, pecah KK, tambah anggota keluarga",
    ),
    DemoService(
        _DUKCAPIL,
        _PP,
        "surat-pindah",
        "Surat Keterangan Pindah (SKPWNI)",
        "Penerbitan surat keterangan pindah bagi penduduk yang pindah ke luar kabupaten atau provinsi, "
        "serta pencatatan pindah datang ke Kabupaten Banyumas.",
        requirements=(
            req(D.APPLICATION_FORM, "Formulir pendaftaran perpindahan penduduk (F-1.03)", F.ORIGINAL),
            KK_NUMBER,
            req(
                D.MOVING_LETTER,
                "SKPWNI dari daerah asal",
                F.ORIGINAL,
                condition="hanya untuk pencatatan pindah datang ke Kabupaten Banyumas",
            ),
            POWER_OF_ATTORNEY,
        ),
        fee=free(ADMINDUK_FREE),
        products=(
            product("Surat Keterangan Pindah Warga Negara Indonesia (SKPWNI)", electronic=True),
            product("Kartu Keluarga baru bagi anggota keluarga yang tidak pindah", electronic=True),
        ),
        life_events=(Event.MOVING,),
        keywords="surat pindah, pindah domisili, pindah datang, SKPWNI",
    ),
    DemoService(
        _DUKCAPIL,
        _PP,
        "kartu-identitas-anak",
        "Kartu Identitas Anak (KIA)",
        "Penerbitan kartu identitas bagi anak berusia di bawah 17 tahun dan belum kawin, untuk "
        "keperluan sekolah, layanan kesehatan, dan layanan publik lain.",
        requirements=(
            req(D.BIRTH_CERTIFICATE, "Kutipan akta kelahiran anak", F.ORIGINAL_AND_COPY),
            KK_NUMBER,
            req(D.KTP, "KTP-el kedua orang tua atau wali", F.COPY),
            req(
                D.PHOTO,
                "Pas foto anak berwarna ukuran 2×3, 2 lembar",
                F.ORIGINAL,
                condition="hanya untuk anak berusia 5 tahun ke atas",
            ),
        ),
        fee=free(ADMINDUK_FREE),
        products=(
            product("Kartu Identitas Anak (KIA)", "Kartu fisik yang berlaku sampai anak berusia 17 tahun."),
        ),
        channel=COUNTER,
        life_events=(Event.BIRTH, Event.EDUCATION),
        keywords="KIA, KTP anak, kartu anak",
        legal_basis="Permendagri 2/2016 tentang Kartu Identitas Anak.",
    ),
    DemoService(
        _DUKCAPIL,
        _PP,
        "aktivasi-ikd",
        "Aktivasi Identitas Kependudukan Digital (IKD)",
        "Pendampingan aktivasi KTP digital di telepon genggam, dengan verifikasi wajah di loket.",
        requirements=(
            req(D.KTP, "KTP-el pemohon", F.ORIGINAL),
            req(
                D.OTHER,
                "Telepon genggam dengan aplikasi Identitas Kependudukan Digital dan alamat surel aktif",
                F.DATA_ONLY,
                note="Petugas membantu memasang aplikasi bila belum ada.",
            ),
        ),
        procedure=(
            step(
                A.CITIZEN,
                "Pemohon memasang aplikasi IKD dan mengisi NIK, alamat surel, dan nomor telepon genggam.",
            ),
            step(A.CITIZEN, "Pemohon melakukan swafoto di aplikasi untuk verifikasi wajah."),
            step(
                A.FRONT_OFFICE,
                "Petugas menampilkan kode QR aktivasi dan pemohon memindainya dengan aplikasi.",
            ),
            step(A.SYSTEM, "Sistem mengirim kode aktivasi ke alamat surel pemohon."),
            step(A.CITIZEN, "Pemohon memasukkan kode aktivasi dan membuat PIN."),
        ),
        time=minutes(15),
        fee=free(ADMINDUK_FREE),
        products=(product("Identitas Kependudukan Digital yang aktif di aplikasi IKD", electronic=True),),
        channel=COUNTER,
        keywords="IKD, KTP digital, identitas digital",
        legal_basis=(
            "Permendagri 72/2022 tentang Standar dan Spesifikasi Perangkat Keras, Perangkat Lunak, dan "
            "Blangko KTP-el serta Penyelenggaraan Identitas Kependudukan Digital."
        ),
    ),
    DemoService(
        _DUKCAPIL,
        _PP,
        "legalisasi-dokumen-kependudukan",
        "Legalisasi Fotokopi Dokumen Kependudukan",
        "Pengesahan fotokopi KK atau akta pencatatan sipil yang belum bertanda tangan elektronik, "
        "untuk keperluan sekolah, pekerjaan, atau instansi lain.",
        requirements=(
            req(
                D.OTHER,
                "Dokumen kependudukan asli (KK atau kutipan akta)",
                F.ORIGINAL,
                note="Ditunjukkan di loket.",
            ),
            req(
                D.OTHER,
                "Fotokopi dokumen yang akan dilegalisasi",
                F.COPY,
                note="Paling banyak 10 lembar per dokumen.",
            ),
            POWER_OF_ATTORNEY,
        ),
        procedure=(
            step(A.CITIZEN, "Pemohon menyerahkan dokumen asli dan fotokopinya di loket."),
            step(
                A.FRONT_OFFICE, "Petugas mencocokkan fotokopi dengan dokumen asli dan database kependudukan."
            ),
            step(A.UNIT_HEAD, "Pejabat yang berwenang menandatangani dan membubuhkan cap legalisasi."),
            step(A.FRONT_OFFICE, "Dokumen asli dan fotokopi yang telah dilegalisasi diserahkan kembali."),
        ),
        time=hours(1),
        fee=free(ADMINDUK_FREE),
        products=(
            product("Fotokopi dokumen yang telah dilegalisasi", "Dengan cap dan tanda tangan pejabat."),
        ),
        channel=COUNTER,
        life_events=(Event.EDUCATION, Event.WORK),
        keywords="legalisir KK, legalisir akta",
    ),
    # --- Disdukcapil: civil registration --------------------------------------------------------
    DemoService(
        _DUKCAPIL,
        _CAPIL,
        "akta-kelahiran",
        "Akta Kelahiran",
        "Pencatatan kelahiran dan penerbitan kutipan akta kelahiran, sekaligus pembaruan Kartu "
        "Keluarga dan penerbitan KIA bila diminta.",
        requirements=(
            req(
                D.OTHER,
                "Surat keterangan kelahiran",
                F.ORIGINAL,
                issued_by="Rumah sakit, puskesmas, bidan, atau kepala desa/lurah",
            ),
            req(
                D.MARRIAGE_CERTIFICATE,
                "Buku nikah atau kutipan akta perkawinan orang tua",
                F.COPY,
                condition="hanya jika perkawinan orang tua telah tercatat",
            ),
            KK_NUMBER,
            req(
                D.STATEMENT_LETTER,
                "Surat pernyataan tanggung jawab mutlak (SPTJM) kebenaran data kelahiran",
                F.ORIGINAL,
                condition="hanya jika tidak ada surat keterangan kelahiran",
            ),
            POWER_OF_ATTORNEY,
        ),
        fee=free(ADMINDUK_FREE),
        products=(
            product("Kutipan akta kelahiran", electronic=True),
            product("Kartu Keluarga yang memuat anak", electronic=True),
            product("Kartu Identitas Anak (KIA)", "Bila diminta pemohon."),
        ),
        life_events=(Event.BIRTH,),
        keywords="akte kelahiran, akta lahir, akte lahir, surat lahir",
    ),
    DemoService(
        _DUKCAPIL,
        _CAPIL,
        "akta-kematian",
        "Akta Kematian",
        "Pencatatan kematian dan penerbitan kutipan akta kematian, sekaligus pembaruan Kartu Keluarga "
        "anggota keluarga yang ditinggalkan.",
        requirements=(
            req(
                D.DEATH_CERTIFICATE,
                "Surat keterangan kematian",
                F.ORIGINAL,
                issued_by="Rumah sakit, puskesmas, atau kepala desa/lurah",
            ),
            req(D.KTP, "KTP-el almarhum atau almarhumah", F.ORIGINAL, note="Ditarik oleh petugas."),
            KK_NUMBER,
            req(D.KTP, "KTP-el pelapor", F.COPY),
        ),
        fee=free(ADMINDUK_FREE),
        products=(
            product("Kutipan akta kematian", electronic=True),
            product("Kartu Keluarga anggota keluarga yang ditinggalkan", electronic=True),
        ),
        life_events=(Event.DEATH,),
        keywords="akte kematian, surat kematian",
    ),
    DemoService(
        _DUKCAPIL,
        _CAPIL,
        "akta-perkawinan",
        "Akta Perkawinan (Nonmuslim)",
        "Pencatatan perkawinan bagi penduduk nonmuslim setelah pemberkatan menurut agama atau "
        "kepercayaannya, dan penerbitan kutipan akta perkawinan.",
        requirements=(
            req(
                D.OTHER,
                "Surat keterangan telah terjadinya perkawinan",
                F.ORIGINAL,
                issued_by="Pemuka agama atau pemuka penghayat kepercayaan",
            ),
            req(D.KTP, "KTP-el kedua mempelai", F.COPY),
            req(D.BIRTH_CERTIFICATE, "Kutipan akta kelahiran kedua mempelai", F.COPY),
            req(D.PHOTO, "Pas foto berdampingan berwarna ukuran 4×6, 2 lembar", F.ORIGINAL),
            req(
                D.STATEMENT_LETTER,
                "Surat izin orang tua",
                F.ORIGINAL,
                condition="hanya jika mempelai berusia di bawah 21 tahun",
            ),
            req(
                D.DIVORCE_CERTIFICATE,
                "Kutipan akta perceraian atau akta kematian pasangan terdahulu",
                F.COPY,
                condition="hanya jika mempelai pernah kawin",
            ),
            req(D.PASSPORT, "Paspor", F.COPY, condition="hanya jika mempelai warga negara asing"),
        ),
        time=days(3),
        fee=free(ADMINDUK_FREE),
        products=(
            product("Kutipan akta perkawinan", electronic=True),
            product("Kartu Keluarga baru", electronic=True),
        ),
        channel=COUNTER,
        life_events=(Event.MARRIAGE,),
        keywords="akte nikah nonmuslim, catatan sipil perkawinan",
    ),
    # --- DPMPTSP ----------------------------------------------------------------------------------
    DemoService(
        "dpmptsp-banyumas",
        "perizinan-berusaha",
        "pendampingan-nib-oss",
        "Pendampingan Pendaftaran Nomor Induk Berusaha (NIB) melalui OSS",
        "Petugas membantu pelaku usaha mikro dan kecil membuat akun OSS dan menerbitkan NIB sesuai "
        "kode KBLI kegiatan usahanya.",
        requirements=(
            KTP_SHOWN,
            req(D.OTHER, "Alamat surel dan nomor telepon genggam aktif", F.DATA_ONLY),
            req(
                D.OTHER,
                "Keterangan kegiatan usaha: lokasi, jenis kegiatan, modal usaha, dan jumlah tenaga kerja",
                F.DATA_ONLY,
            ),
            req(
                D.NPWP,
                "NPWP badan usaha",
                F.COPY,
                condition="hanya untuk badan usaha; usaha perorangan cukup NIK",
            ),
        ),
        procedure=(
            step(A.CITIZEN, "Pelaku usaha datang ke loket dengan KTP-el dan telepon genggam."),
            step(A.FRONT_OFFICE, "Pendamping membantu membuat akun OSS dan memilih kode KBLI yang sesuai."),
            step(A.CITIZEN, "Pelaku usaha mengisi data usaha dan menyetujui pernyataan mandiri di OSS."),
            step(A.SYSTEM, "Sistem OSS menerbitkan NIB dan mengirimkannya ke akun pelaku usaha."),
        ),
        time=hours(1),
        fee=free(
            "Pendaftaran dan penerbitan NIB melalui sistem OSS tidak dipungut biaya (PP 5/2021 tentang "
            "Penyelenggaraan Perizinan Berusaha Berbasis Risiko)."
        ),
        products=(product("Nomor Induk Berusaha (NIB)", "Diterbitkan sistem OSS.", electronic=True),),
        life_events=(Event.STARTING_BUSINESS,),
        keywords="NIB, izin usaha, OSS, izin UMKM, SIUP",
    ),
    DemoService(
        "dpmptsp-banyumas",
        "perizinan-berusaha",
        "konsultasi-perizinan",
        "Konsultasi Perizinan Berusaha Berbasis Risiko",
        "Konsultasi tatap muka tentang izin yang diperlukan untuk suatu kegiatan usaha, tingkat "
        "risikonya, dan urutan pengurusannya.",
        requirements=(
            KTP_SHOWN,
            req(D.OTHER, "Gambaran rencana kegiatan usaha dan lokasinya", F.DATA_ONLY),
        ),
        procedure=(
            step(A.CITIZEN, "Pemohon mengambil nomor antrean konsultasi."),
            step(A.FRONT_OFFICE, "Petugas mencatat rencana kegiatan usaha dan lokasinya."),
            step(
                A.BACK_OFFICE,
                "Konsultan perizinan menjelaskan tingkat risiko, izin yang diperlukan, dan urutannya.",
            ),
            step(A.FRONT_OFFICE, "Pemohon menerima catatan hasil konsultasi."),
        ),
        time=minutes(30),
        fee=free("Layanan informasi dan konsultasi perizinan tidak dipungut biaya. " + NOT_A_RETRIBUTION),
        products=(
            product("Catatan hasil konsultasi", "Daftar izin yang diperlukan dan urutan pengurusannya."),
        ),
        channel=COUNTER,
        life_events=(Event.STARTING_BUSINESS, Event.BUILDING_HOUSE),
    ),
    DemoService(
        "dpmptsp-banyumas",
        "perizinan-berusaha",
        "surat-izin-praktik-tenaga-kesehatan",
        "Surat Izin Praktik (SIP) Tenaga Medis dan Tenaga Kesehatan",
        "Penerbitan izin praktik bagi dokter, dokter gigi, bidan, perawat, dan tenaga kesehatan lain "
        "yang berpraktik di Kabupaten Banyumas.",
        requirements=(
            req(D.KTP, "KTP-el pemohon", F.ELECTRONIC),
            req(
                D.OTHER,
                "Surat Tanda Registrasi (STR) yang berlaku",
                F.ELECTRONIC,
                issued_by="Kementerian Kesehatan",
            ),
            req(
                D.OTHER,
                "Surat keterangan tempat praktik",
                F.ELECTRONIC,
                issued_by="Pimpinan fasilitas pelayanan kesehatan",
                condition="hanya untuk praktik di fasilitas pelayanan kesehatan",
            ),
            req(
                D.STATEMENT_LETTER,
                "Surat pernyataan memiliki tempat praktik",
                F.ELECTRONIC,
                condition="hanya untuk praktik mandiri",
            ),
            req(D.PHOTO, "Pas foto berwarna terbaru", F.ELECTRONIC),
        ),
        time=days(5),
        fee=free(NOT_A_RETRIBUTION),
        products=(product("Surat Izin Praktik (SIP)", electronic=True),),
        channel=ONLINE,
        life_events=(Event.WORK, Event.HEALTH),
        keywords="SIP dokter, izin praktik bidan, izin praktik perawat",
        legal_basis="UU 17/2023 tentang Kesehatan.",
    ),
    # --- Dinas PUPR -------------------------------------------------------------------------------
    DemoService(
        "dinas-pupr-banyumas",
        "bangunan-gedung",
        "persetujuan-bangunan-gedung",
        "Persetujuan Bangunan Gedung (PBG)",
        "Persetujuan untuk membangun baru, mengubah, memperluas, atau merawat bangunan gedung sesuai "
        "standar teknis, diajukan melalui SIMBG.",
        requirements=(
            KTP_COPY,
            req(
                D.LAND_CERTIFICATE,
                "Sertifikat tanah atau bukti penguasaan tanah",
                F.COPY,
                issued_by="Kantor Pertanahan",
                note="Bila tanah milik pihak lain: perjanjian pemanfaatan tanah.",
            ),
            req(D.TECHNICAL_DRAWING, "Dokumen rencana arsitektur", F.ELECTRONIC),
            req(
                D.TECHNICAL_DRAWING,
                "Dokumen rencana struktur dan perhitungan struktur",
                F.ELECTRONIC,
                condition="hanya untuk bangunan lebih dari 2 lantai atau bangunan untuk kepentingan umum",
            ),
            req(
                D.TECHNICAL_DRAWING,
                "Dokumen rencana utilitas (air bersih, air limbah, listrik)",
                F.ELECTRONIC,
            ),
            req(
                D.OTHER,
                "Konfirmasi Kesesuaian Kegiatan Pemanfaatan Ruang (KKKPR)",
                F.ELECTRONIC,
                issued_by="Sistem OSS",
                condition="hanya untuk bangunan gedung fungsi usaha",
            ),
            req(D.TAX_RECEIPT, "Bukti pembayaran PBB tahun berjalan", F.COPY),
        ),
        procedure=(
            step(
                A.CITIZEN,
                "Pemohon mendaftar di SIMBG dan mengunggah data pemohon, data tanah, dan dokumen rencana "
                "teknis.",
            ),
            step(A.FRONT_OFFICE, "Petugas memeriksa kelengkapan dokumen di SIMBG."),
            step(
                A.OTHER_AGENCY, "Tim Profesi Ahli memeriksa pemenuhan standar teknis dalam sidang konsultasi."
            ),
            step(
                A.BACK_OFFICE,
                "Petugas menghitung retribusi dan menerbitkan Surat Ketetapan Retribusi Daerah (SKRD).",
            ),
            step(A.CITIZEN, "Pemohon membayar retribusi sesuai SKRD melalui bank persepsi."),
            step(A.UNIT_HEAD, "Kepala Dinas menandatangani PBG secara elektronik."),
            step(A.SYSTEM, "SIMBG menerbitkan PBG beserta lampiran dokumen teknis yang disahkan."),
        ),
        time=days(28),
        fee=paid(
            item(
                "Retribusi PBG rumah tinggal tunggal sederhana, per m² luas lantai",
                8_000,
                BUILDING_RETRIBUTION,
            ),
            note=(
                "Jumlah akhir dihitung dari luas lantai, indeks terintegrasi (fungsi, kompleksitas, jumlah "
                "lantai), indeks lokalitas, dan standar harga satuan tertinggi, dan tercantum dalam SKRD "
                "yang diterbitkan setelah dokumen teknis disetujui."
            ),
        ),
        products=(
            product("Persetujuan Bangunan Gedung (PBG)", electronic=True),
            product("Dokumen rencana teknis yang disahkan", electronic=True),
        ),
        life_events=(Event.BUILDING_HOUSE, Event.STARTING_BUSINESS),
        keywords="IMB, izin mendirikan bangunan, izin bangun rumah, PBG",
    ),
    DemoService(
        "dinas-pupr-banyumas",
        "bangunan-gedung",
        "sertifikat-laik-fungsi",
        "Sertifikat Laik Fungsi (SLF)",
        "Sertifikat yang menyatakan bangunan gedung yang telah selesai dibangun laik digunakan sesuai "
        "fungsinya, diajukan melalui SIMBG setelah pemeriksaan kelaikan.",
        requirements=(
            KTP_COPY,
            req(D.OTHER, "PBG bangunan yang bersangkutan", F.ELECTRONIC),
            req(D.TECHNICAL_DRAWING, "Gambar terbangun (as built drawings)", F.ELECTRONIC),
            req(
                D.STATEMENT_LETTER,
                "Surat pernyataan kelaikan fungsi",
                F.ELECTRONIC,
                issued_by="Pengkaji teknis",
                condition="hanya untuk bangunan selain rumah tinggal tunggal sederhana",
            ),
        ),
        time=days(3),
        fee=free(
            "Penerbitan SLF tidak termasuk objek retribusi daerah (UU 1/2022 hanya menetapkan retribusi "
            "untuk PBG), sehingga tidak dipungut biaya.",
            note="Bila diwajibkan, jasa pengkaji teknis dibayar pemilik bangunan kepada penyedia jasa.",
        ),
        products=(
            product("Sertifikat Laik Fungsi (SLF)", electronic=True),
            product("Label SLF", "Dipasang pada bangunan di tempat yang mudah dilihat."),
        ),
        life_events=(Event.BUILDING_HOUSE, Event.STARTING_BUSINESS),
        keywords="SLF, sertifikat laik fungsi bangunan",
    ),
    DemoService(
        "dinas-pupr-banyumas",
        "bangunan-gedung",
        "informasi-tata-ruang",
        "Informasi Tata Ruang",
        "Keterangan tentang rencana tata ruang yang berlaku pada sebidang tanah, sebagai bahan "
        "sebelum membeli tanah, membangun, atau mengurus izin usaha.",
        requirements=(
            KTP_COPY,
            req(D.LAND_CERTIFICATE, "Sertifikat tanah atau bukti penguasaan tanah", F.COPY),
            req(D.OTHER, "Titik koordinat atau peta lokasi tanah", F.DATA_ONLY),
            POWER_OF_ATTORNEY,
        ),
        procedure=(
            step(A.CITIZEN, "Pemohon menyerahkan permohonan dan menunjukkan lokasi tanah di peta."),
            step(A.FRONT_OFFICE, "Petugas memeriksa kelengkapan berkas."),
            step(A.BACK_OFFICE, "Petugas tata ruang memeriksa lokasi pada rencana detail tata ruang."),
            step(A.UNIT_HEAD, "Kepala Bidang Tata Ruang menandatangani surat keterangan."),
            step(A.FRONT_OFFICE, "Surat keterangan diserahkan kepada pemohon."),
        ),
        time=days(5),
        fee=free(
            "Informasi rencana tata ruang adalah informasi publik yang wajib disediakan tanpa biaya (UU "
            "26/2007 "
            "tentang Penataan Ruang; UU 14/2008 tentang Keterbukaan Informasi Publik)."
        ),
        products=(product("Surat keterangan informasi tata ruang"),),
        channel=COUNTER,
        life_events=(Event.BUILDING_HOUSE, Event.STARTING_BUSINESS),
        keywords="KRK, keterangan rencana kota, advice planning",
    ),
    # --- Polresta Banyumas ------------------------------------------------------------------------
    DemoService(
        "polresta-banyumas",
        "satpas",
        "sim-a-baru",
        "Penerbitan SIM A Baru",
        "Surat Izin Mengemudi untuk mobil penumpang dan barang perseorangan, setelah lulus ujian teori "
        "dan ujian praktik.",
        requirements=(
            *_SIM_DOCS,
            req(D.OTHER, "Sertifikat pendidikan dan pelatihan mengemudi", F.ORIGINAL_AND_COPY),
        ),
        procedure=_SIM_NEW,
        fee=paid(item("PNBP penerbitan SIM A baru", 120_000, POLRI_PNBP), note=SIM_EXTRA),
        products=(product("SIM A", "Kartu fisik yang berlaku 5 tahun."),),
        channel=COUNTER,
        life_events=(Event.VEHICLE,),
        keywords="SIM mobil, bikin SIM A",
        legal_basis=_SIM_LEGAL,
    ),
    DemoService(
        "polresta-banyumas",
        "satpas",
        "sim-c-baru",
        "Penerbitan SIM C Baru",
        "Surat Izin Mengemudi untuk sepeda motor, setelah lulus ujian teori dan ujian praktik.",
        requirements=_SIM_DOCS,
        procedure=_SIM_NEW,
        fee=paid(item("PNBP penerbitan SIM C baru", 100_000, POLRI_PNBP), note=SIM_EXTRA),
        products=(product("SIM C", "Kartu fisik yang berlaku 5 tahun."),),
        channel=COUNTER,
        life_events=(Event.VEHICLE,),
        keywords="SIM motor, bikin SIM C",
        legal_basis=_SIM_LEGAL,
    ),
    DemoService(
        "polresta-banyumas",
        "gerai-mpp",
        "perpanjangan-sim-a",
        "Perpanjangan SIM A",
        "Perpanjangan SIM A sebelum masa berlakunya habis, tanpa ujian ulang.",
        requirements=(
            *_SIM_DOCS,
            req(D.DRIVING_LICENCE, "SIM A lama yang masih berlaku", F.ORIGINAL_AND_COPY),
        ),
        procedure=_SIM_RENEWAL,
        fee=paid(item("PNBP perpanjangan SIM A", 80_000, POLRI_PNBP), note=SIM_EXTRA),
        products=(product("SIM A", "Kartu fisik yang berlaku 5 tahun."),),
        life_events=(Event.VEHICLE,),
        keywords="perpanjang SIM mobil",
        legal_basis=_SIM_LEGAL,
    ),
    DemoService(
        "polresta-banyumas",
        "gerai-mpp",
        "perpanjangan-sim-c",
        "Perpanjangan SIM C",
        "Perpanjangan SIM C sebelum masa berlakunya habis, tanpa ujian ulang.",
        requirements=(
            *_SIM_DOCS,
            req(D.DRIVING_LICENCE, "SIM C lama yang masih berlaku", F.ORIGINAL_AND_COPY),
        ),
        procedure=_SIM_RENEWAL,
        fee=paid(item("PNBP perpanjangan SIM C", 75_000, POLRI_PNBP), note=SIM_EXTRA),
        products=(product("SIM C", "Kartu fisik yang berlaku 5 tahun."),),
        life_events=(Event.VEHICLE,),
        keywords="perpanjang SIM motor",
        legal_basis=_SIM_LEGAL,
    ),
    DemoService(
        "polresta-banyumas",
        "gerai-mpp",
        "skck",
        "Surat Keterangan Catatan Kepolisian (SKCK)",
        "Surat keterangan tentang ada atau tidaknya catatan kriminal, untuk melamar pekerjaan, "
        "mendaftar sekolah, atau keperluan lain.",
        requirements=(
            KTP_COPY,
            KK_COPY,
            req(D.BIRTH_CERTIFICATE, "Kutipan akta kelahiran atau ijazah terakhir", F.COPY),
            req(D.PHOTO, "Pas foto berwarna latar merah ukuran 4×6, 6 lembar", F.ORIGINAL),
            req(D.OTHER, "Rumus sidik jari", F.DATA_ONLY, note="Diambil di loket bila belum pernah dirumus."),
            req(D.PASSPORT, "Paspor dan izin tinggal", F.COPY, condition="hanya bagi warga negara asing"),
        ),
        fee=paid(item("PNBP penerbitan SKCK, per lembar", 30_000, POLRI_PNBP)),
        products=(product("Surat Keterangan Catatan Kepolisian (SKCK)", "Berlaku 6 bulan."),),
        life_events=(Event.WORK, Event.EDUCATION),
        keywords="SKCK, surat kelakuan baik, catatan kepolisian",
        legal_basis="Perkap 18/2014 tentang Tata Cara Penerbitan Surat Keterangan Catatan Kepolisian.",
    ),
    # --- Kantor Imigrasi Cilacap ------------------------------------------------------------------
    DemoService(
        "imigrasi-cilacap",
        "layanan-paspor",
        "paspor-baru",
        "Permohonan Paspor Biasa Baru",
        "Penerbitan paspor pertama bagi warga negara Indonesia, dengan wawancara dan pengambilan foto "
        "serta sidik jari di loket. Antrean diambil melalui aplikasi M-Paspor.",
        requirements=(
            req(D.KTP, "KTP-el", F.ORIGINAL),
            req(D.KK, "Kartu Keluarga", F.ORIGINAL),
            req(
                D.BIRTH_CERTIFICATE,
                "Akta kelahiran, ijazah, atau buku nikah yang memuat nama, tempat dan tanggal lahir, dan "
                "nama orang tua",
                F.ORIGINAL,
            ),
            _CHILD_PASSPORT,
            req(
                D.COVER_LETTER,
                "Surat rekomendasi dari Dinas Tenaga Kerja",
                F.ORIGINAL,
                condition="hanya untuk calon pekerja migran Indonesia",
            ),
        ),
        time=days(4),
        fee=paid(*_PASSPORT_FEES, note=_PASSPORT_NOTE),
        products=(
            product(
                "Paspor biasa", "Elektronik atau nonelektronik, 5 atau 10 tahun, sesuai pilihan pemohon."
            ),
        ),
        life_events=(Event.WORK, Event.EDUCATION),
        keywords="bikin paspor, paspor baru, e-paspor",
    ),
    DemoService(
        "imigrasi-cilacap",
        "layanan-paspor",
        "penggantian-paspor",
        "Penggantian Paspor",
        "Penggantian paspor yang habis masa berlakunya, penuh halamannya, rusak, atau hilang.",
        requirements=(
            req(D.KTP, "KTP-el", F.ORIGINAL),
            req(D.PASSPORT, "Paspor lama", F.ORIGINAL, condition="kecuali paspor hilang"),
            req(
                D.OTHER,
                "Surat keterangan kehilangan",
                F.ORIGINAL,
                issued_by="Kepolisian",
                condition="hanya jika paspor hilang",
            ),
            _CHILD_PASSPORT,
        ),
        time=days(4),
        fee=paid(
            *_PASSPORT_FEES,
            item("Beban biaya paspor hilang (selain karena bencana)", 1_000_000, IMMIGRATION_PNBP),
            item("Beban biaya paspor rusak (selain karena bencana)", 500_000, IMMIGRATION_PNBP),
            note=_PASSPORT_NOTE + " Paspor yang hilang atau rusak diperiksa dalam berita acara pemeriksaan.",
        ),
        products=(product("Paspor biasa pengganti"),),
        life_events=(Event.WORK,),
        keywords="perpanjang paspor, ganti paspor, paspor hilang",
    ),
    # --- BPJS Kesehatan ---------------------------------------------------------------------------
    DemoService(
        "bpjs-kesehatan-purwokerto",
        "loket-mpp",
        "pendaftaran-peserta-jkn",
        "Pendaftaran Peserta BPJS Kesehatan",
        "Pendaftaran peserta Jaminan Kesehatan Nasional, termasuk bayi baru lahir dan peserta mandiri "
        "(Pekerja Bukan Penerima Upah).",
        requirements=(
            req(D.APPLICATION_FORM, "Formulir Daftar Isian Peserta (DIP)", F.ORIGINAL),
            KK_COPY,
            req(D.KTP, "NIK seluruh anggota keluarga yang didaftarkan", F.DATA_ONLY),
            req(
                D.OTHER,
                "Buku tabungan atau kartu debit untuk pendebetan iuran otomatis",
                F.COPY,
                condition="hanya untuk peserta mandiri (PBPU)",
            ),
            req(
                D.BIRTH_CERTIFICATE,
                "Akta kelahiran atau surat keterangan lahir bayi",
                F.COPY,
                condition="hanya untuk mendaftarkan bayi baru lahir",
            ),
        ),
        fee=free(
            "Pendaftaran peserta tidak dipungut biaya (Perpres 82/2018 tentang Jaminan Kesehatan beserta "
            "perubahannya).",
            note="Iuran bulanan peserta mandiri mengikuti kelas yang dipilih dan dibayar terpisah.",
        ),
        products=(
            product(
                "Kepesertaan JKN yang aktif", "Berlaku 14 hari setelah pendaftaran bagi peserta mandiri."
            ),
            product("Kartu Indonesia Sehat digital di aplikasi Mobile JKN", electronic=True),
        ),
        life_events=(Event.HEALTH, Event.BIRTH, Event.WORK),
        keywords="daftar BPJS, BPJS mandiri, KIS, JKN",
    ),
    DemoService(
        "bpjs-kesehatan-purwokerto",
        "loket-mpp",
        "perubahan-data-peserta-jkn",
        "Perubahan Data Peserta BPJS Kesehatan",
        "Perubahan data kepesertaan: alamat, fasilitas kesehatan tingkat pertama, kelas perawatan, "
        "atau anggota keluarga yang ditanggung.",
        requirements=(
            KK_COPY,
            req(D.KTP, "KTP-el peserta", F.ORIGINAL),
            req(D.OTHER, "Nomor kartu JKN-KIS", F.DATA_ONLY),
            req(
                D.MARRIAGE_CERTIFICATE,
                "Buku nikah atau akta perkawinan",
                F.COPY,
                condition="hanya untuk menambahkan suami atau istri",
            ),
            req(D.BIRTH_CERTIFICATE, "Akta kelahiran anak", F.COPY, condition="hanya untuk menambahkan anak"),
        ),
        fee=free(
            "Perubahan data peserta tidak dipungut biaya (Perpres 82/2018 tentang Jaminan Kesehatan beserta "
            "perubahannya)."
        ),
        products=(
            product("Data kepesertaan yang diperbarui", "Terlihat di aplikasi Mobile JKN.", electronic=True),
        ),
        life_events=(Event.HEALTH, Event.MOVING, Event.MARRIAGE),
        keywords="ganti faskes BPJS, pindah faskes, ubah data BPJS",
    ),
    # --- Bapenda Kabupaten ------------------------------------------------------------------------
    DemoService(
        "bapenda-banyumas",
        "pbb-bphtb",
        "salinan-sppt-pbb",
        "Salinan SPPT PBB-P2",
        "Penerbitan salinan Surat Pemberitahuan Pajak Terutang Pajak Bumi dan Bangunan Perdesaan dan "
        "Perkotaan yang hilang atau rusak.",
        requirements=(
            KTP_COPY,
            req(
                D.TAX_RECEIPT,
                "SPPT atau bukti pembayaran PBB tahun sebelumnya",
                F.COPY,
                note="Cukup menyebutkan Nomor Objek Pajak (NOP) bila tidak ada.",
            ),
            POWER_OF_ATTORNEY,
        ),
        fee=free(REGIONAL_TAX_SERVICE_FREE),
        products=(product("Salinan SPPT PBB-P2"),),
        channel=COUNTER,
        life_events=(Event.BUILDING_HOUSE,),
        keywords="SPPT hilang, cetak ulang SPPT, PBB",
    ),
    DemoService(
        "bapenda-banyumas",
        "pbb-bphtb",
        "mutasi-objek-pbb",
        "Mutasi Objek dan Subjek PBB-P2",
        "Perubahan nama wajib pajak atau pemecahan dan penggabungan objek PBB-P2 setelah jual beli, "
        "hibah, atau waris.",
        requirements=(
            req(
                D.APPLICATION_FORM,
                "Surat Pemberitahuan Objek Pajak (SPOP) dan lampirannya (LSPOP)",
                F.ORIGINAL,
            ),
            KTP_COPY,
            req(
                D.LAND_CERTIFICATE,
                "Sertifikat tanah, akta jual beli, akta hibah, atau bukti peralihan hak lain",
                F.COPY,
            ),
            req(D.TAX_RECEIPT, "SPPT dan bukti lunas PBB tahun terakhir", F.COPY),
            req(
                D.STATEMENT_LETTER,
                "Surat keterangan waris",
                F.COPY,
                condition="hanya untuk peralihan karena waris",
            ),
            POWER_OF_ATTORNEY,
        ),
        time=days(5),
        fee=free(REGIONAL_TAX_SERVICE_FREE),
        products=(product("SPPT PBB-P2 atas nama wajib pajak baru"),),
        channel=COUNTER,
        life_events=(Event.BUILDING_HOUSE, Event.DEATH),
        keywords="balik nama PBB, pecah PBB, mutasi PBB",
    ),
    DemoService(
        "bapenda-banyumas",
        "pbb-bphtb",
        "validasi-bphtb",
        "Verifikasi dan Validasi BPHTB",
        "Penelitian Surat Setoran BPHTB atas perolehan hak atas tanah dan bangunan sebelum akta atau "
        "sertifikat diproses oleh PPAT dan Kantor Pertanahan.",
        requirements=(
            req(D.TAX_RECEIPT, "Surat Setoran Pajak Daerah (SSPD) BPHTB yang telah dibayar", F.ORIGINAL),
            req(D.LAND_CERTIFICATE, "Sertifikat tanah", F.COPY),
            req(D.TAX_RECEIPT, "SPPT PBB tahun berjalan", F.COPY),
            KTP_COPY,
            req(D.OTHER, "Draf akta peralihan hak", F.COPY, issued_by="PPAT"),
            POWER_OF_ATTORNEY,
        ),
        time=days(3),
        fee=free(
            REGIONAL_TAX_SERVICE_FREE,
            note="BPHTB yang terutang dihitung dan dibayar sendiri oleh wajib pajak sesuai Peraturan Daerah.",
        ),
        products=(product("SSPD BPHTB yang telah divalidasi"),),
        life_events=(Event.BUILDING_HOUSE, Event.MOVING),
        keywords="BPHTB, validasi pajak jual beli tanah",
    ),
    # --- Dinas Sosial -----------------------------------------------------------------------------
    DemoService(
        "dinsos-banyumas",
        "data-bansos",
        "usulan-data-bantuan-sosial",
        "Pengusulan dan Pemutakhiran Data Penerima Bantuan Sosial",
        "Pengusulan keluarga ke dalam data tunggal sosial dan ekonomi (dahulu DTKS) atau pembaruan "
        "datanya. Penetapan penerima bantuan dilakukan oleh Kementerian Sosial.",
        requirements=(
            KTP_COPY,
            KK_COPY,
            req(
                D.COVER_LETTER,
                "Surat pengantar atau hasil musyawarah desa/kelurahan",
                F.ORIGINAL,
                issued_by="Pemerintah desa atau kelurahan",
            ),
        ),
        fee=free(SOCIAL_FREE),
        products=(
            product(
                "Tanda terima usulan",
                "Data keluarga masuk usulan pemutakhiran data tunggal sosial dan ekonomi.",
            ),
        ),
        channel=COUNTER,
        life_events=(Event.SOCIAL_ASSISTANCE,),
        keywords="DTKS, DTSEN, daftar bansos, PKH, BPNT",
    ),
    DemoService(
        "dinsos-banyumas",
        "data-bansos",
        "rekomendasi-pbi-jk",
        "Rekomendasi Penerima Bantuan Iuran Jaminan Kesehatan (PBI-JK)",
        "Surat rekomendasi agar warga tidak mampu didaftarkan sebagai peserta BPJS Kesehatan yang "
        "iurannya dibayar pemerintah.",
        requirements=(
            KTP_COPY,
            KK_COPY,
            req(
                D.COVER_LETTER,
                "Surat keterangan tidak mampu",
                F.ORIGINAL,
                issued_by="Pemerintah desa atau kelurahan",
            ),
            req(
                D.OTHER,
                "Surat keterangan rawat inap",
                F.COPY,
                issued_by="Rumah sakit",
                condition="hanya jika pemohon sedang dirawat (rekomendasi segera)",
            ),
        ),
        fee=free(SOCIAL_FREE),
        products=(product("Surat rekomendasi PBI-JK"),),
        channel=COUNTER,
        life_events=(Event.SOCIAL_ASSISTANCE, Event.HEALTH),
        keywords="BPJS gratis, KIS PBI, BPJS dibayar pemerintah",
    ),
    # --- Kementerian Agama ------------------------------------------------------------------------
    DemoService(
        "kemenag-banyumas",
        "ptsp",
        "pendaftaran-nikah",
        "Pendaftaran Nikah",
        "Pendaftaran kehendak nikah bagi calon pengantin muslim, paling lambat 10 hari kerja sebelum "
        "akad, untuk dicatat oleh KUA kecamatan tempat akad.",
        requirements=(
            req(
                D.COVER_LETTER,
                "Surat pengantar nikah (formulir N1)",
                F.ORIGINAL,
                issued_by="Desa atau kelurahan tempat tinggal",
            ),
            req(D.BIRTH_CERTIFICATE, "Kutipan akta kelahiran atau ijazah", F.COPY),
            req(D.KTP, "KTP-el kedua calon mempelai", F.COPY),
            KK_COPY,
            req(D.PHOTO, "Pas foto latar biru ukuran 2×3 dan 4×6", F.ORIGINAL),
            req(D.STATEMENT_LETTER, "Persetujuan kedua calon mempelai (formulir N4)", F.ORIGINAL),
            req(
                D.STATEMENT_LETTER,
                "Izin orang tua (formulir N5)",
                F.ORIGINAL,
                condition="hanya bagi calon mempelai berusia di bawah 21 tahun",
            ),
            req(
                D.OTHER,
                "Penetapan dispensasi kawin",
                F.COPY,
                issued_by="Pengadilan Agama",
                condition="hanya bagi calon mempelai berusia di bawah 19 tahun",
            ),
            req(
                D.DIVORCE_CERTIFICATE,
                "Akta cerai atau surat keterangan kematian pasangan",
                F.COPY,
                condition="hanya bagi duda atau janda",
            ),
        ),
        procedure=(
            step(
                A.CITIZEN,
                "Calon pengantin mendaftar melalui SIMKAH atau di loket PTSP dan menyerahkan persyaratan.",
            ),
            step(
                A.FRONT_OFFICE,
                "Petugas memeriksa kelengkapan berkas dan meneruskannya ke KUA kecamatan tempat akad.",
            ),
            step(A.BACK_OFFICE, "Penghulu memeriksa kehendak nikah bersama calon pengantin dan wali."),
            step(
                A.CITIZEN,
                "Calon pengantin membayar PNBP bila akad dilaksanakan di luar kantor KUA atau di luar jam "
                "kerja.",
            ),
            step(A.BACK_OFFICE, "Penghulu menghadiri dan mencatat akad nikah."),
            step(A.UNIT_HEAD, "Kepala KUA menandatangani buku nikah."),
        ),
        time=days(10),
        fee=paid(
            item(
                "PNBP nikah atau rujuk di luar kantor KUA atau di luar hari dan jam kerja",
                600_000,
                MARRIAGE_PNBP,
            ),
            note=(
                "Nikah di kantor KUA pada hari dan jam kerja tidak dipungut biaya. PNBP disetor ke kas "
                "negara melalui bank persepsi."
            ),
        ),
        products=(product("Buku nikah"), product("Kartu nikah digital", electronic=True)),
        life_events=(Event.MARRIAGE,),
        keywords="daftar nikah, nikah KUA, buku nikah",
    ),
    DemoService(
        "kemenag-banyumas",
        "ptsp",
        "legalisasi-ijazah-madrasah",
        "Legalisasi Ijazah Madrasah",
        "Pengesahan fotokopi ijazah MI, MTs, dan MA untuk melamar pekerjaan atau melanjutkan sekolah.",
        requirements=(
            req(D.DIPLOMA, "Ijazah asli", F.ORIGINAL, note="Ditunjukkan di loket."),
            req(D.DIPLOMA, "Fotokopi ijazah", F.COPY, note="Paling banyak 10 lembar."),
            POWER_OF_ATTORNEY,
        ),
        time=days(1),
        fee=free(
            "Legalisasi ijazah tidak termasuk jenis PNBP dalam PP 59/2018 tentang Jenis dan Tarif PNBP pada "
            "Kementerian Agama, sehingga tidak dipungut biaya."
        ),
        products=(product("Fotokopi ijazah yang telah dilegalisasi"),),
        channel=COUNTER,
        life_events=(Event.EDUCATION, Event.WORK),
        keywords="legalisir ijazah MTs, legalisir ijazah MA",
    ),
    # --- Samsat -----------------------------------------------------------------------------------
    DemoService(
        "samsat-banyumas",
        "gerai-mpp",
        "pajak-kendaraan-tahunan",
        "Pembayaran Pajak Kendaraan Bermotor Tahunan",
        "Pembayaran Pajak Kendaraan Bermotor dan SWDKLLJ serta pengesahan STNK tahunan.",
        requirements=(
            req(D.KTP, "KTP-el pemilik kendaraan sesuai STNK", F.ORIGINAL_AND_COPY),
            req(D.OTHER, "STNK kendaraan", F.ORIGINAL_AND_COPY),
            POWER_OF_ATTORNEY,
        ),
        time=hours(1),
        fee=paid(
            item("PNBP pengesahan STNK kendaraan roda dua atau roda tiga", 25_000, POLRI_PNBP),
            item("PNBP pengesahan STNK kendaraan roda empat atau lebih", 50_000, POLRI_PNBP),
            item(
                "SWDKLLJ sepeda motor di atas 50 cc sampai 250 cc, termasuk biaya administrasi",
                35_000,
                SWDKLLJ,
            ),
            item("SWDKLLJ mobil penumpang pribadi, termasuk biaya administrasi", 143_000, SWDKLLJ),
            note=(
                "Ditambah Pajak Kendaraan Bermotor sesuai nilai jual dan bobot kendaraan (Peraturan Daerah "
                "Provinsi Jawa Tengah tentang Pajak Daerah dan Retribusi Daerah); besarnya tercantum pada "
                "notice pajak yang dicetak sebelum pembayaran."
            ),
        ),
        products=(
            product("Notice pajak (SKPD) PKB dan SWDKLLJ"),
            product("STNK yang telah disahkan"),
        ),
        life_events=(Event.VEHICLE,),
        keywords="pajak motor, pajak mobil, bayar pajak kendaraan, STNK tahunan",
    ),
    # --- Dinnakerkop UKM --------------------------------------------------------------------------
    DemoService(
        "disnaker-banyumas",
        "antarkerja",
        "kartu-kuning-ak1",
        "Kartu Tanda Bukti Pencari Kerja (Kartu Kuning AK/1)",
        "Pendaftaran pencari kerja dan penerbitan kartu AK/1 yang diminta untuk melamar pekerjaan.",
        requirements=(
            KTP_COPY,
            req(D.DIPLOMA, "Ijazah pendidikan terakhir", F.COPY),
            req(D.PHOTO, "Pas foto berwarna ukuran 3×4, 2 lembar", F.ORIGINAL),
            req(D.OTHER, "Sertifikat pelatihan atau keahlian", F.COPY, condition="hanya jika dimiliki"),
        ),
        fee=free(
            "UU 13/2003 tentang Ketenagakerjaan Pasal 38 ayat (1): instansi pemerintah yang melaksanakan "
            "penempatan tenaga kerja dilarang memungut biaya penempatan."
        ),
        products=(
            product(
                "Kartu AK/1 (kartu kuning)", "Berlaku 2 tahun, dilaporkan setiap 6 bulan.", electronic=True
            ),
        ),
        life_events=(Event.WORK,),
        keywords="kartu kuning, AK1, AK/1, kartu pencari kerja",
    ),
    # --- Bank Jateng ------------------------------------------------------------------------------
    DemoService(
        "bank-jateng-purwokerto",
        "gerai-mpp",
        "pembayaran-pajak-daerah",
        "Pembayaran Pajak Daerah dan Retribusi",
        "Penerimaan pembayaran PBB-P2, BPHTB, dan retribusi daerah dengan kode bayar dari instansi "
        "penerbit tagihan.",
        requirements=(
            req(
                D.TAX_RECEIPT,
                "Kode bayar atau dokumen tagihan (SPPT, SKRD, atau SSPD)",
                F.DATA_ONLY,
                issued_by="Instansi penerbit tagihan",
            ),
        ),
        time=minutes(15),
        fee=free(
            "Tidak ada biaya layanan: Bank Jateng menerima pajak daerah sebagai bank persepsi berdasarkan "
            "perjanjian kerja sama dengan Pemerintah Kabupaten Banyumas.",
            note="Yang dibayar hanya tagihan pajak atau retribusinya.",
        ),
        products=(product("Bukti pembayaran dengan nomor transaksi penerimaan daerah"),),
        channel=COUNTER,
        life_events=(Event.BUILDING_HOUSE,),
        keywords="bayar PBB, bayar retribusi, bayar BPHTB",
    ),
    DemoService(
        "bank-jateng-purwokerto",
        "gerai-mpp",
        "pembukaan-rekening",
        "Pembukaan Rekening Tabungan",
        "Pembukaan rekening tabungan perorangan, termasuk rekening untuk menerima bantuan sosial atau gaji.",
        requirements=(
            req(D.KTP, "KTP-el", F.ORIGINAL),
            req(D.NPWP, "NPWP", F.COPY, condition="hanya untuk produk tabungan yang mensyaratkannya"),
            req(
                D.BIRTH_CERTIFICATE,
                "Akta kelahiran anak dan KTP-el orang tua",
                F.COPY,
                condition="hanya untuk tabungan pelajar (SimPel) atas nama anak",
            ),
        ),
        time=minutes(30),
        fee=free(
            "Pembukaan rekening tidak dipungut biaya sesuai ketentuan produk tabungan Bank Jateng.",
            note="Setoran awal mengikuti ketentuan produk tabungan yang dipilih.",
        ),
        products=(product("Buku tabungan dan kartu debit"), product("Rekening tabungan yang aktif")),
        channel=COUNTER,
        life_events=(Event.WORK, Event.SOCIAL_ASSISTANCE),
        keywords="buka rekening, buka tabungan",
    ),
)
