"""The demo services (*jenis layanan*) of MPP Kabupaten Banyumas.

Fees are never a bare number: each paid service says what the money is for and the regulation that
sets it. Completion times are conservative. Amounts are demo content to be checked against the
regulation before any real use.
"""

from __future__ import annotations

from dataclasses import dataclass

from layanan.catalog.models import Service

Event = Service.LifeEvent
ONLINE, COUNTER, BOTH = Service.Channel.ONLINE, Service.Channel.COUNTER, Service.Channel.BOTH
MINUTES, HOURS, DAYS = Service.TimeUnit.MINUTES, Service.TimeUnit.HOURS, Service.TimeUnit.WORKING_DAYS

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
PASSPORT_FEE = (
    "PNBP paspor sesuai jenis paspor (elektronik atau nonelektronik) dan masa berlaku yang dipilih, "
    "dibayar melalui bank atau kantor pos persepsi setelah permohonan diverifikasi. Tarif yang "
    "berlaku diumumkan di loket dan di laman resmi Direktorat Jenderal Imigrasi."
)
BUILDING_RETRIBUTION = (
    "UU 1/2022 tentang Hubungan Keuangan antara Pemerintah Pusat dan Pemerintahan Daerah; PP 16/2021 "
    "tentang Peraturan Pelaksanaan UU 28/2002 tentang Bangunan Gedung; Peraturan Daerah Kabupaten "
    "Banyumas tentang Pajak Daerah dan Retribusi Daerah."
)
VEHICLE_TAX = (
    "UU 1/2022 tentang Hubungan Keuangan antara Pemerintah Pusat dan Pemerintahan Daerah; Peraturan "
    "Daerah Provinsi Jawa Tengah tentang Pajak Daerah dan Retribusi Daerah; peraturan Menteri "
    "Keuangan tentang besaran SWDKLLJ."
)
MARRIAGE_PNBP = (
    "PP 59/2018 tentang Jenis dan Tarif atas Jenis Penerimaan Negara Bukan Pajak yang Berlaku pada "
    "Kementerian Agama."
)
SIM_EXTRA = " Biaya pemeriksaan kesehatan dan tes psikologi dibayar terpisah kepada penyelenggaranya."


@dataclass(frozen=True)
class DemoService:
    agency: str
    unit: str
    slug: str
    name: str
    summary: str
    channel: str = BOTH
    time: tuple[int, str] = (1, DAYS)
    life_events: tuple[str, ...] = ()
    fee_is_free: bool = True
    fee_note: str = ""
    fee_legal_basis: str = ""


_DUKCAPIL = "disdukcapil-banyumas"

SERVICES: tuple[DemoService, ...] = (
    # --- Disdukcapil: population registration ---------------------------------------------------
    DemoService(
        _DUKCAPIL,
        "pendaftaran-penduduk",
        "ktp-el",
        "Kartu Tanda Penduduk Elektronik (KTP-el)",
        "Perekaman data dan pencetakan KTP-el bagi penduduk yang berusia 17 tahun, sudah atau pernah "
        "kawin, serta penggantian KTP-el yang rusak, hilang, atau berubah datanya.",
        channel=COUNTER,
        life_events=(Event.MOVING, Event.MARRIAGE),
        fee_legal_basis=ADMINDUK_FREE,
    ),
    DemoService(
        _DUKCAPIL,
        "pendaftaran-penduduk",
        "kartu-keluarga",
        "Kartu Keluarga (KK)",
        "Penerbitan Kartu Keluarga baru atau perubahan susunan keluarga karena kelahiran, kematian, "
        "perkawinan, perceraian, atau pindah datang.",
        life_events=(Event.BIRTH, Event.MARRIAGE, Event.DEATH, Event.MOVING),
        fee_legal_basis=ADMINDUK_FREE,
    ),
    DemoService(
        _DUKCAPIL,
        "pendaftaran-penduduk",
        "surat-pindah",
        "Surat Keterangan Pindah (SKPWNI)",
        "Penerbitan surat keterangan pindah bagi penduduk yang pindah ke luar kabupaten atau provinsi, "
        "serta pencatatan pindah datang ke Kabupaten Banyumas.",
        life_events=(Event.MOVING,),
        fee_legal_basis=ADMINDUK_FREE,
    ),
    DemoService(
        _DUKCAPIL,
        "pendaftaran-penduduk",
        "kartu-identitas-anak",
        "Kartu Identitas Anak (KIA)",
        "Penerbitan kartu identitas bagi anak berusia di bawah 17 tahun dan belum kawin, untuk "
        "keperluan sekolah, layanan kesehatan, dan layanan publik lain.",
        channel=COUNTER,
        life_events=(Event.BIRTH, Event.EDUCATION),
        fee_legal_basis=ADMINDUK_FREE,
    ),
    DemoService(
        _DUKCAPIL,
        "pendaftaran-penduduk",
        "aktivasi-ikd",
        "Aktivasi Identitas Kependudukan Digital (IKD)",
        "Pendampingan aktivasi KTP digital di telepon genggam, dengan verifikasi wajah di loket.",
        channel=COUNTER,
        time=(15, MINUTES),
        fee_legal_basis=ADMINDUK_FREE,
    ),
    DemoService(
        _DUKCAPIL,
        "pendaftaran-penduduk",
        "legalisasi-dokumen-kependudukan",
        "Legalisasi Fotokopi Dokumen Kependudukan",
        "Pengesahan fotokopi KK atau akta pencatatan sipil yang belum bertanda tangan elektronik, "
        "untuk keperluan sekolah, pekerjaan, atau instansi lain.",
        channel=COUNTER,
        time=(1, HOURS),
        life_events=(Event.EDUCATION, Event.WORK),
        fee_legal_basis=ADMINDUK_FREE,
    ),
    # --- Disdukcapil: civil registration --------------------------------------------------------
    DemoService(
        _DUKCAPIL,
        "pencatatan-sipil",
        "akta-kelahiran",
        "Akta Kelahiran",
        "Pencatatan kelahiran dan penerbitan kutipan akta kelahiran, sekaligus pembaruan Kartu "
        "Keluarga dan penerbitan KIA bila diminta.",
        life_events=(Event.BIRTH,),
        fee_legal_basis=ADMINDUK_FREE,
    ),
    DemoService(
        _DUKCAPIL,
        "pencatatan-sipil",
        "akta-kematian",
        "Akta Kematian",
        "Pencatatan kematian dan penerbitan kutipan akta kematian, sekaligus pembaruan Kartu Keluarga "
        "anggota keluarga yang ditinggalkan.",
        life_events=(Event.DEATH,),
        fee_legal_basis=ADMINDUK_FREE,
    ),
    DemoService(
        _DUKCAPIL,
        "pencatatan-sipil",
        "akta-perkawinan",
        "Akta Perkawinan (Nonmuslim)",
        "Pencatatan perkawinan bagi penduduk nonmuslim setelah pemberkatan menurut agama atau "
        "kepercayaannya, dan penerbitan kutipan akta perkawinan.",
        channel=COUNTER,
        time=(3, DAYS),
        life_events=(Event.MARRIAGE,),
        fee_legal_basis=ADMINDUK_FREE,
    ),
    # --- DPMPTSP ----------------------------------------------------------------------------------
    DemoService(
        "dpmptsp-banyumas",
        "perizinan-berusaha",
        "pendampingan-nib-oss",
        "Pendampingan Pendaftaran Nomor Induk Berusaha (NIB) melalui OSS",
        "Petugas membantu pelaku usaha mikro dan kecil membuat akun OSS dan menerbitkan NIB sesuai "
        "kode KBLI kegiatan usahanya.",
        time=(1, HOURS),
        life_events=(Event.STARTING_BUSINESS,),
        fee_note="Pendaftaran dan penerbitan NIB di sistem OSS tidak dipungut biaya.",
    ),
    DemoService(
        "dpmptsp-banyumas",
        "perizinan-berusaha",
        "konsultasi-perizinan",
        "Konsultasi Perizinan Berusaha Berbasis Risiko",
        "Konsultasi tatap muka tentang izin yang diperlukan untuk suatu kegiatan usaha, tingkat "
        "risikonya, dan urutan pengurusannya.",
        channel=COUNTER,
        time=(30, MINUTES),
        life_events=(Event.STARTING_BUSINESS, Event.BUILDING_HOUSE),
    ),
    DemoService(
        "dpmptsp-banyumas",
        "perizinan-berusaha",
        "surat-izin-praktik-tenaga-kesehatan",
        "Surat Izin Praktik (SIP) Tenaga Medis dan Tenaga Kesehatan",
        "Penerbitan izin praktik bagi dokter, dokter gigi, bidan, perawat, dan tenaga kesehatan lain "
        "yang berpraktik di Kabupaten Banyumas.",
        channel=ONLINE,
        time=(5, DAYS),
        life_events=(Event.WORK, Event.HEALTH),
    ),
    # --- Dinas PUPR -------------------------------------------------------------------------------
    DemoService(
        "dinas-pupr-banyumas",
        "bangunan-gedung",
        "persetujuan-bangunan-gedung",
        "Persetujuan Bangunan Gedung (PBG)",
        "Persetujuan untuk membangun baru, mengubah, memperluas, atau merawat bangunan gedung sesuai "
        "standar teknis, diajukan melalui SIMBG.",
        time=(28, DAYS),
        life_events=(Event.BUILDING_HOUSE, Event.STARTING_BUSINESS),
        fee_is_free=False,
        fee_note="Retribusi PBG dihitung dari luas bangunan, indeks lokalitas, dan fungsi bangunan. "
        "Besarnya tercantum dalam Surat Ketetapan Retribusi Daerah (SKRD) yang diterbitkan setelah "
        "dokumen teknis disetujui.",
        fee_legal_basis=BUILDING_RETRIBUTION,
    ),
    DemoService(
        "dinas-pupr-banyumas",
        "bangunan-gedung",
        "sertifikat-laik-fungsi",
        "Sertifikat Laik Fungsi (SLF)",
        "Sertifikat yang menyatakan bangunan gedung yang telah selesai dibangun laik digunakan sesuai "
        "fungsinya, diajukan melalui SIMBG setelah pemeriksaan kelaikan.",
        time=(3, DAYS),
        life_events=(Event.BUILDING_HOUSE, Event.STARTING_BUSINESS),
        fee_note="Penerbitan SLF tidak dipungut retribusi. Bila diwajibkan, jasa pengkaji teknis untuk "
        "pemeriksaan kelaikan fungsi dibayar pemilik bangunan kepada penyedia jasa.",
    ),
    DemoService(
        "dinas-pupr-banyumas",
        "bangunan-gedung",
        "informasi-tata-ruang",
        "Informasi Tata Ruang",
        "Keterangan tentang rencana tata ruang yang berlaku pada sebidang tanah, sebagai bahan "
        "sebelum membeli tanah, membangun, atau mengurus izin usaha.",
        channel=COUNTER,
        time=(5, DAYS),
        life_events=(Event.BUILDING_HOUSE, Event.STARTING_BUSINESS),
    ),
    # --- Polresta Banyumas ------------------------------------------------------------------------
    DemoService(
        "polresta-banyumas",
        "satpas",
        "sim-a-baru",
        "Penerbitan SIM A Baru",
        "Surat Izin Mengemudi untuk mobil penumpang dan barang perseorangan, setelah lulus ujian teori "
        "dan ujian praktik.",
        channel=COUNTER,
        life_events=(Event.VEHICLE,),
        fee_is_free=False,
        fee_note="PNBP penerbitan SIM A baru Rp120.000." + SIM_EXTRA,
        fee_legal_basis=POLRI_PNBP,
    ),
    DemoService(
        "polresta-banyumas",
        "satpas",
        "sim-c-baru",
        "Penerbitan SIM C Baru",
        "Surat Izin Mengemudi untuk sepeda motor, setelah lulus ujian teori dan ujian praktik.",
        channel=COUNTER,
        life_events=(Event.VEHICLE,),
        fee_is_free=False,
        fee_note="PNBP penerbitan SIM C baru Rp100.000." + SIM_EXTRA,
        fee_legal_basis=POLRI_PNBP,
    ),
    DemoService(
        "polresta-banyumas",
        "gerai-mpp",
        "perpanjangan-sim-a",
        "Perpanjangan SIM A",
        "Perpanjangan SIM A sebelum masa berlakunya habis, tanpa ujian ulang.",
        life_events=(Event.VEHICLE,),
        fee_is_free=False,
        fee_note="PNBP perpanjangan SIM A Rp80.000." + SIM_EXTRA,
        fee_legal_basis=POLRI_PNBP,
    ),
    DemoService(
        "polresta-banyumas",
        "gerai-mpp",
        "perpanjangan-sim-c",
        "Perpanjangan SIM C",
        "Perpanjangan SIM C sebelum masa berlakunya habis, tanpa ujian ulang.",
        life_events=(Event.VEHICLE,),
        fee_is_free=False,
        fee_note="PNBP perpanjangan SIM C Rp75.000." + SIM_EXTRA,
        fee_legal_basis=POLRI_PNBP,
    ),
    DemoService(
        "polresta-banyumas",
        "gerai-mpp",
        "skck",
        "Surat Keterangan Catatan Kepolisian (SKCK)",
        "Surat keterangan tentang ada atau tidaknya catatan kriminal, untuk melamar pekerjaan, "
        "mendaftar sekolah, atau keperluan lain.",
        life_events=(Event.WORK, Event.EDUCATION),
        fee_is_free=False,
        fee_note="PNBP penerbitan SKCK Rp30.000 per lembar.",
        fee_legal_basis=POLRI_PNBP,
    ),
    # --- Kantor Imigrasi Cilacap ------------------------------------------------------------------
    DemoService(
        "imigrasi-cilacap",
        "layanan-paspor",
        "paspor-baru",
        "Permohonan Paspor Biasa Baru",
        "Penerbitan paspor pertama bagi warga negara Indonesia, dengan wawancara dan pengambilan foto "
        "serta sidik jari di loket. Antrean diambil melalui aplikasi M-Paspor.",
        time=(4, DAYS),
        life_events=(Event.WORK, Event.EDUCATION),
        fee_is_free=False,
        fee_note=PASSPORT_FEE,
        fee_legal_basis=IMMIGRATION_PNBP,
    ),
    DemoService(
        "imigrasi-cilacap",
        "layanan-paspor",
        "penggantian-paspor",
        "Penggantian Paspor",
        "Penggantian paspor yang habis masa berlakunya, penuh halamannya, rusak, atau hilang.",
        time=(4, DAYS),
        life_events=(Event.WORK,),
        fee_is_free=False,
        fee_note=PASSPORT_FEE,
        fee_legal_basis=IMMIGRATION_PNBP,
    ),
    # --- BPJS Kesehatan ---------------------------------------------------------------------------
    DemoService(
        "bpjs-kesehatan-purwokerto",
        "loket-mpp",
        "pendaftaran-peserta-jkn",
        "Pendaftaran Peserta BPJS Kesehatan",
        "Pendaftaran peserta Jaminan Kesehatan Nasional, termasuk bayi baru lahir dan peserta mandiri "
        "(Pekerja Bukan Penerima Upah).",
        life_events=(Event.HEALTH, Event.BIRTH, Event.WORK),
        fee_note="Pendaftaran tidak dipungut biaya. Iuran bulanan peserta mandiri mengikuti kelas yang "
        "dipilih dan dibayar terpisah.",
        fee_legal_basis="Perpres 82/2018 tentang Jaminan Kesehatan beserta perubahannya.",
    ),
    DemoService(
        "bpjs-kesehatan-purwokerto",
        "loket-mpp",
        "perubahan-data-peserta-jkn",
        "Perubahan Data Peserta BPJS Kesehatan",
        "Perubahan data kepesertaan: alamat, fasilitas kesehatan tingkat pertama, kelas perawatan, "
        "atau anggota keluarga yang ditanggung.",
        life_events=(Event.HEALTH, Event.MOVING, Event.MARRIAGE),
    ),
    # --- Bapenda Kabupaten ------------------------------------------------------------------------
    DemoService(
        "bapenda-banyumas",
        "pbb-bphtb",
        "salinan-sppt-pbb",
        "Salinan SPPT PBB-P2",
        "Penerbitan salinan Surat Pemberitahuan Pajak Terutang Pajak Bumi dan Bangunan Perdesaan dan "
        "Perkotaan yang hilang atau rusak.",
        channel=COUNTER,
        life_events=(Event.BUILDING_HOUSE,),
    ),
    DemoService(
        "bapenda-banyumas",
        "pbb-bphtb",
        "mutasi-objek-pbb",
        "Mutasi Objek dan Subjek PBB-P2",
        "Perubahan nama wajib pajak atau pemecahan dan penggabungan objek PBB-P2 setelah jual beli, "
        "hibah, atau waris.",
        channel=COUNTER,
        time=(5, DAYS),
        life_events=(Event.BUILDING_HOUSE, Event.DEATH),
    ),
    DemoService(
        "bapenda-banyumas",
        "pbb-bphtb",
        "validasi-bphtb",
        "Verifikasi dan Validasi BPHTB",
        "Penelitian Surat Setoran BPHTB atas perolehan hak atas tanah dan bangunan sebelum akta atau "
        "sertifikat diproses oleh PPAT dan Kantor Pertanahan.",
        time=(3, DAYS),
        life_events=(Event.BUILDING_HOUSE, Event.MOVING),
        fee_note="Verifikasi tidak dipungut biaya. BPHTB yang terutang dihitung dan dibayar sendiri oleh "
        "wajib pajak sesuai Peraturan Daerah.",
        fee_legal_basis=(
            "UU 1/2022 tentang Hubungan Keuangan antara Pemerintah Pusat dan Pemerintahan Daerah; "
            "Peraturan Daerah Kabupaten Banyumas tentang Pajak Daerah dan Retribusi Daerah."
        ),
    ),
    # --- Dinas Sosial -----------------------------------------------------------------------------
    DemoService(
        "dinsos-banyumas",
        "data-bansos",
        "usulan-data-bantuan-sosial",
        "Pengusulan dan Pemutakhiran Data Penerima Bantuan Sosial",
        "Pengusulan keluarga ke dalam data tunggal sosial dan ekonomi (dahulu DTKS) atau pembaruan "
        "datanya. Penetapan penerima bantuan dilakukan oleh Kementerian Sosial.",
        channel=COUNTER,
        life_events=(Event.SOCIAL_ASSISTANCE,),
    ),
    DemoService(
        "dinsos-banyumas",
        "data-bansos",
        "rekomendasi-pbi-jk",
        "Rekomendasi Penerima Bantuan Iuran Jaminan Kesehatan (PBI-JK)",
        "Surat rekomendasi agar warga tidak mampu didaftarkan sebagai peserta BPJS Kesehatan yang "
        "iurannya dibayar pemerintah.",
        channel=COUNTER,
        life_events=(Event.SOCIAL_ASSISTANCE, Event.HEALTH),
    ),
    # --- Kementerian Agama ------------------------------------------------------------------------
    DemoService(
        "kemenag-banyumas",
        "ptsp",
        "pendaftaran-nikah",
        "Pendaftaran Nikah",
        "Pendaftaran kehendak nikah bagi calon pengantin muslim, paling lambat 10 hari kerja sebelum "
        "akad, untuk dicatat oleh KUA kecamatan tempat akad.",
        time=(10, DAYS),
        life_events=(Event.MARRIAGE,),
        fee_is_free=False,
        fee_note="Nikah di kantor KUA pada hari dan jam kerja tidak dipungut biaya. Nikah di luar "
        "kantor KUA atau di luar hari dan jam kerja dikenai PNBP Rp600.000, disetor ke kas negara "
        "melalui bank persepsi.",
        fee_legal_basis=MARRIAGE_PNBP,
    ),
    DemoService(
        "kemenag-banyumas",
        "ptsp",
        "legalisasi-ijazah-madrasah",
        "Legalisasi Ijazah Madrasah",
        "Pengesahan fotokopi ijazah MI, MTs, dan MA untuk melamar pekerjaan atau melanjutkan sekolah.",
        channel=COUNTER,
        life_events=(Event.EDUCATION, Event.WORK),
    ),
    # --- Samsat -----------------------------------------------------------------------------------
    DemoService(
        "samsat-banyumas",
        "gerai-mpp",
        "pajak-kendaraan-tahunan",
        "Pembayaran Pajak Kendaraan Bermotor Tahunan",
        "Pembayaran Pajak Kendaraan Bermotor dan SWDKLLJ serta pengesahan STNK tahunan.",
        time=(1, HOURS),
        life_events=(Event.VEHICLE,),
        fee_is_free=False,
        fee_note="Pajak Kendaraan Bermotor dan SWDKLLJ sesuai jenis dan nilai kendaraan; besarnya "
        "tercantum pada notice pajak yang dicetak sebelum pembayaran.",
        fee_legal_basis=VEHICLE_TAX,
    ),
    # --- Dinnakerkop UKM --------------------------------------------------------------------------
    DemoService(
        "disnaker-banyumas",
        "antarkerja",
        "kartu-kuning-ak1",
        "Kartu Tanda Bukti Pencari Kerja (Kartu Kuning AK/1)",
        "Pendaftaran pencari kerja dan penerbitan kartu AK/1 yang diminta untuk melamar pekerjaan.",
        life_events=(Event.WORK,),
    ),
    # --- Bank Jateng ------------------------------------------------------------------------------
    DemoService(
        "bank-jateng-purwokerto",
        "gerai-mpp",
        "pembayaran-pajak-daerah",
        "Pembayaran Pajak Daerah dan Retribusi",
        "Penerimaan pembayaran PBB-P2, BPHTB, dan retribusi daerah dengan kode bayar dari instansi "
        "penerbit tagihan.",
        channel=COUNTER,
        time=(15, MINUTES),
        life_events=(Event.BUILDING_HOUSE,),
        fee_note="Tidak ada biaya layanan di gerai; yang dibayar hanya tagihan pajak atau retribusinya.",
    ),
    DemoService(
        "bank-jateng-purwokerto",
        "gerai-mpp",
        "pembukaan-rekening",
        "Pembukaan Rekening Tabungan",
        "Pembukaan rekening tabungan perorangan, termasuk rekening untuk menerima bantuan sosial atau gaji.",
        channel=COUNTER,
        time=(30, MINUTES),
        life_events=(Event.WORK, Event.SOCIAL_ASSISTANCE),
        fee_note="Tidak ada biaya pembukaan rekening; setoran awal mengikuti ketentuan produk tabungan.",
    ),
)
