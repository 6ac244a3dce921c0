"""Regions, agencies (*instansi*) and their service units at MPP Kabupaten Banyumas."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from layanan.accounts.models import Agency

PROVINCE_CODE = "33"
PROVINCE_NAME = "Jawa Tengah"
REGENCY_CODE = "33.02"
REGENCY_NAME = "Kabupaten Banyumas"

MPP_ADDRESS = "Mal Pelayanan Publik Kabupaten Banyumas, Purwokerto, Kabupaten Banyumas"


@dataclass(frozen=True)
class DemoUnit:
    slug: str
    name: str
    address: str = MPP_ADDRESS
    opens_at: datetime.time = datetime.time(8, 0)
    closes_at: datetime.time = datetime.time(15, 0)
    cutoff_at: datetime.time = datetime.time(14, 0)
    works_saturday: bool = False


@dataclass(frozen=True)
class DemoAgency:
    slug: str
    name: str
    short_name: str
    kind: str
    duties: str
    units: tuple[DemoUnit, ...]


AGENCIES: tuple[DemoAgency, ...] = (
    DemoAgency(
        slug="disdukcapil-banyumas",
        name="Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banyumas",
        short_name="Disdukcapil",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Melaksanakan urusan pemerintahan bidang administrasi kependudukan dan pencatatan sipil: "
            "pendaftaran penduduk, pencatatan peristiwa penting (kelahiran, kematian, perkawinan, "
            "perceraian), pengelolaan informasi administrasi kependudukan, dan pemanfaatan data "
            "kependudukan."
        ),
        units=(
            DemoUnit("pendaftaran-penduduk", "Loket Pendaftaran Penduduk", works_saturday=True),
            DemoUnit("pencatatan-sipil", "Loket Pencatatan Sipil"),
        ),
    ),
    DemoAgency(
        slug="dpmptsp-banyumas",
        name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Banyumas",
        short_name="DPMPTSP",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Menyelenggarakan pelayanan perizinan dan nonperizinan secara terpadu satu pintu, "
            "pendampingan perizinan berusaha berbasis risiko melalui sistem OSS, promosi dan "
            "pengendalian penanaman modal, serta pengelolaan Mal Pelayanan Publik."
        ),
        units=(DemoUnit("perizinan-berusaha", "Loket Perizinan Berusaha dan Nonperizinan"),),
    ),
    DemoAgency(
        slug="dinas-pupr-banyumas",
        name="Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Banyumas",
        short_name="Dinas PUPR",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Melaksanakan urusan pemerintahan bidang pekerjaan umum dan penataan ruang: pembangunan "
            "dan pemeliharaan jalan dan jembatan kabupaten, drainase, talud, irigasi dan sumber daya "
            "air, tanggul sungai, trotoar, pemeriksaan dokumen teknis Persetujuan Bangunan Gedung dan "
            "Sertifikat Laik Fungsi melalui SIMBG, serta pemberian informasi tata ruang."
        ),
        units=(DemoUnit("bangunan-gedung", "Loket Bangunan Gedung (PBG dan SLF)"),),
    ),
    DemoAgency(
        slug="polresta-banyumas",
        name="Kepolisian Resor Kota Banyumas",
        short_name="Polresta Banyumas",
        kind=Agency.Kind.VERTICAL,
        duties=(
            "Memelihara keamanan dan ketertiban masyarakat, menegakkan hukum (laporan tindak pidana "
            "seperti pencurian, penipuan, narkoba, perjudian, dan kecelakaan lalu lintas, patroli, "
            "penindakan balap liar dan tawuran), serta memberikan pelindungan, pengayoman, dan "
            "pelayanan kepada masyarakat, termasuk penerbitan Surat Izin Mengemudi (SIM) dan Surat "
            "Keterangan Catatan Kepolisian (SKCK)."
        ),
        units=(
            DemoUnit(
                "satpas",
                "Satuan Penyelenggara Administrasi SIM (Satpas) Polresta Banyumas",
                address="Satpas SIM Polresta Banyumas, Purwokerto, Kabupaten Banyumas",
                closes_at=datetime.time(14, 0),
                cutoff_at=datetime.time(13, 0),
                works_saturday=True,
            ),
            DemoUnit("gerai-mpp", "Gerai SIM dan SKCK Polresta Banyumas di MPP"),
        ),
    ),
    DemoAgency(
        slug="imigrasi-cilacap",
        name="Kantor Imigrasi Kelas II TPI Cilacap",
        short_name="Imigrasi Cilacap",
        kind=Agency.Kind.VERTICAL,
        duties=(
            "Melaksanakan sebagian tugas dan fungsi Direktorat Jenderal Imigrasi di wilayah kerjanya, "
            "termasuk pelayanan dokumen perjalanan Republik Indonesia (paspor) bagi warga Kabupaten "
            "Banyumas dan sekitarnya."
        ),
        units=(DemoUnit("layanan-paspor", "Layanan Paspor Kantor Imigrasi Cilacap di MPP Banyumas"),),
    ),
    DemoAgency(
        slug="bpjs-kesehatan-purwokerto",
        name="BPJS Kesehatan Kantor Cabang Purwokerto",
        short_name="BPJS Kesehatan",
        # A public legal entity (badan hukum publik) answering to the President, not a state company.
        kind=Agency.Kind.VERTICAL,
        duties=(
            "Menyelenggarakan program Jaminan Kesehatan Nasional: pendaftaran peserta, perubahan data "
            "kepesertaan, penagihan iuran, dan penanganan pengaduan peserta."
        ),
        units=(DemoUnit("loket-mpp", "Loket BPJS Kesehatan di MPP Banyumas"),),
    ),
    DemoAgency(
        slug="bapenda-banyumas",
        name="Badan Pendapatan Daerah Kabupaten Banyumas",
        short_name="Bapenda",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Melaksanakan fungsi penunjang urusan pemerintahan bidang keuangan daerah di bidang "
            "pendapatan: pendataan, penetapan, dan pelayanan pajak daerah, termasuk PBB-P2 dan BPHTB."
        ),
        units=(DemoUnit("pbb-bphtb", "Loket PBB-P2 dan BPHTB"),),
    ),
    DemoAgency(
        slug="dinsos-banyumas",
        name="Dinas Sosial Kabupaten Banyumas",
        short_name="Dinas Sosial",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Melaksanakan urusan pemerintahan bidang sosial: pengelolaan data penerima bantuan sosial, "
            "rehabilitasi sosial, perlindungan dan jaminan sosial, serta pemberdayaan sosial."
        ),
        units=(DemoUnit("data-bansos", "Loket Layanan Data dan Bantuan Sosial"),),
    ),
    DemoAgency(
        slug="kemenag-banyumas",
        name="Kantor Kementerian Agama Kabupaten Banyumas",
        short_name="Kemenag Banyumas",
        kind=Agency.Kind.VERTICAL,
        duties=(
            "Melaksanakan tugas dan fungsi Kementerian Agama di kabupaten: bimbingan masyarakat "
            "beragama, pencatatan nikah dan rujuk melalui KUA, pendidikan madrasah, serta "
            "penyelenggaraan haji dan umrah."
        ),
        units=(DemoUnit("ptsp", "Loket PTSP Kementerian Agama di MPP Banyumas"),),
    ),
    DemoAgency(
        slug="samsat-banyumas",
        name="Samsat Banyumas — Badan Pendapatan Daerah Provinsi Jawa Tengah",
        short_name="Samsat Banyumas",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Sistem Administrasi Manunggal Satu Atap: Bapenda Provinsi Jawa Tengah, Kepolisian, dan "
            "Jasa Raharja bersama melayani pembayaran Pajak Kendaraan Bermotor, SWDKLLJ, dan "
            "pengesahan STNK."
        ),
        units=(DemoUnit("gerai-mpp", "Gerai Samsat di MPP Banyumas", works_saturday=True),),
    ),
    DemoAgency(
        slug="disnaker-banyumas",
        name="Dinas Tenaga Kerja, Koperasi, dan Usaha Kecil dan Menengah Kabupaten Banyumas",
        short_name="Dinnakerkop UKM",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Melaksanakan urusan pemerintahan bidang ketenagakerjaan, koperasi, dan usaha kecil dan "
            "menengah, termasuk pelayanan antarkerja dan pencari kerja."
        ),
        units=(DemoUnit("antarkerja", "Loket Layanan Antarkerja"),),
    ),
    DemoAgency(
        slug="bank-jateng-purwokerto",
        name="PT Bank Pembangunan Daerah Jawa Tengah (Bank Jateng) Cabang Purwokerto",
        short_name="Bank Jateng",
        kind=Agency.Kind.REGIONAL_SOE,
        duties=(
            "Badan usaha milik daerah di bidang perbankan; di MPP melayani penerimaan pembayaran pajak "
            "daerah dan retribusi serta pembukaan rekening tabungan."
        ),
        units=(DemoUnit("gerai-mpp", "Gerai Bank Jateng di MPP Banyumas"),),
    ),
)

# The agencies citizens complain to most (issue 5's routing assistant and its evaluation set,
# layanan/complaints/data/routing_eval.json), with their declared duties. They offer no MPP
# service, so they have no service standard or promise: ``load_demo`` creates them with a
# complaint-handling unit each.
COMPLAINT_AGENCIES: tuple[DemoAgency, ...] = (
    DemoAgency(
        slug="dlh-banyumas",
        name="Dinas Lingkungan Hidup Kabupaten Banyumas",
        short_name="DLH",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Melaksanakan urusan pemerintahan bidang lingkungan hidup: pengelolaan sampah dan "
            "kebersihan, pengangkutan sampah ke TPS dan TPA, pengendalian pencemaran air, udara, dan "
            "tanah, pengawasan limbah industri dan usaha, pengelolaan ruang terbuka hijau, taman kota, "
            "dan pohon perindang, serta izin lingkungan (AMDAL, UKL-UPL)."
        ),
        units=(DemoUnit("kebersihan-pengaduan", "Bidang Kebersihan dan Pengaduan Lingkungan"),),
    ),
    DemoAgency(
        slug="dinhub-banyumas",
        name="Dinas Perhubungan Kabupaten Banyumas",
        short_name="Dinhub",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Melaksanakan urusan pemerintahan bidang perhubungan: manajemen dan rekayasa lalu lintas, "
            "rambu, marka, dan alat pemberi isyarat lalu lintas (traffic light), penerangan jalan umum "
            "(PJU), pengelolaan parkir dan juru parkir, terminal dan angkutan umum (angkot, bus), "
            "serta pengujian kendaraan bermotor (uji KIR)."
        ),
        units=(DemoUnit("lalu-lintas-parkir", "Bidang Lalu Lintas, Parkir, dan PJU"),),
    ),
    DemoAgency(
        slug="dinkes-banyumas",
        name="Dinas Kesehatan Kabupaten Banyumas",
        short_name="Dinkes",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Melaksanakan urusan pemerintahan bidang kesehatan: pembinaan puskesmas dan pustu, "
            "pelayanan kesehatan dasar, imunisasi, posyandu, gizi dan pencegahan stunting, "
            "pengendalian penyakit menular (demam berdarah, fogging, TBC), obat dan perbekalan "
            "kesehatan, serta perizinan praktik tenaga kesehatan, klinik, dan apotek."
        ),
        units=(DemoUnit("pelayanan-kesehatan", "Bidang Pelayanan dan Sumber Daya Kesehatan"),),
    ),
    DemoAgency(
        slug="rsud-banyumas",
        name="RSUD Banyumas",
        short_name="RSUD Banyumas",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Rumah sakit umum daerah milik Pemerintah Kabupaten Banyumas: pelayanan gawat darurat "
            "(IGD), rawat jalan poliklinik, rawat inap, kamar operasi, laboratorium, radiologi, dan "
            "farmasi bagi pasien umum dan peserta BPJS Kesehatan, serta rujukan dari puskesmas."
        ),
        units=(DemoUnit("pengaduan-pasien", "Unit Pengaduan Pasien RSUD Banyumas", address="RSUD Banyumas"),),
    ),
    DemoAgency(
        slug="dindik-banyumas",
        name="Dinas Pendidikan Kabupaten Banyumas",
        short_name="Dindik",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Melaksanakan urusan pemerintahan bidang pendidikan: pengelolaan PAUD, sekolah dasar "
            "(SD), dan sekolah menengah pertama (SMP), penerimaan peserta didik baru (PPDB/SPMB) "
            "termasuk zonasi, pendidik dan tenaga kependidikan (guru), dana BOS, sarana sekolah, "
            "beasiswa dan Program Indonesia Pintar (KIP), serta pengawasan pungutan sekolah."
        ),
        units=(DemoUnit("layanan-pendidikan", "Layanan Informasi dan Pengaduan Pendidikan"),),
    ),
    DemoAgency(
        slug="perumda-air-minum-banyumas",
        name="Perumda Air Minum Tirta Satria Kabupaten Banyumas",
        short_name="PDAM Tirta Satria",
        kind=Agency.Kind.REGIONAL_SOE,
        duties=(
            "Badan usaha milik daerah penyelenggara sistem penyediaan air minum (SPAM): distribusi air "
            "bersih ke pelanggan, sambungan baru, perbaikan pipa bocor dan meteran air, kualitas air, "
            "serta penagihan rekening air PDAM."
        ),
        units=(DemoUnit("layanan-pelanggan", "Layanan Pelanggan Perumda Air Minum Tirta Satria"),),
    ),
    DemoAgency(
        slug="satpolpp-banyumas",
        name="Satuan Polisi Pamong Praja Kabupaten Banyumas",
        short_name="Satpol PP",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Menegakkan peraturan daerah dan peraturan bupati, menyelenggarakan ketertiban umum dan "
            "ketenteraman masyarakat: penertiban pedagang kaki lima (PKL), bangunan liar, reklame "
            "liar, tempat hiburan, minuman keras, anak jalanan, pengamen, dan gangguan ketertiban, "
            "serta perlindungan masyarakat (linmas)."
        ),
        units=(DemoUnit("trantibum", "Bidang Ketertiban Umum dan Ketenteraman Masyarakat"),),
    ),
    DemoAgency(
        slug="inspektorat-banyumas",
        name="Inspektorat Daerah Kabupaten Banyumas",
        short_name="Inspektorat",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Melaksanakan pengawasan internal penyelenggaraan pemerintahan daerah dan pemerintah "
            "desa: audit, reviu, pemeriksaan dengan tujuan tertentu atas pengaduan masyarakat, "
            "penanganan pungutan liar (pungli), gratifikasi, suap, penyalahgunaan wewenang, dana "
            "desa, serta pelanggaran disiplin dan kode etik aparatur sipil negara (ASN) dan "
            "perangkat desa."
        ),
        units=(DemoUnit("pengaduan-pengawasan", "Unit Pengaduan dan Pengawasan Masyarakat"),),
    ),
    DemoAgency(
        slug="pln-up3-purwokerto",
        name="PT PLN (Persero) Unit Pelaksana Pelayanan Pelanggan Purwokerto",
        short_name="PLN UP3 Purwokerto",
        kind=Agency.Kind.SOE,
        duties=(
            "Badan usaha milik negara penyedia tenaga listrik: penanganan gangguan listrik padam, "
            "pemeliharaan jaringan, tiang, dan kabel listrik, pasang baru dan tambah daya, token dan "
            "meteran listrik prabayar, serta tagihan rekening listrik pelanggan."
        ),
        units=(DemoUnit("layanan-pelanggan", "Layanan Pelanggan PLN UP3 Purwokerto"),),
    ),
    DemoAgency(
        slug="dinpertan-banyumas",
        name="Dinas Pertanian dan Ketahanan Pangan Kabupaten Banyumas",
        short_name="Dinpertan KP",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Melaksanakan urusan pemerintahan bidang pertanian dan pangan: penyaluran dan "
            "pengawasan pupuk bersubsidi, kartu tani, penyuluhan petani, irigasi tersier, alat dan "
            "mesin pertanian, hama tanaman, peternakan dan kesehatan hewan, serta ketahanan pangan."
        ),
        units=(DemoUnit("sarana-prasarana-pertanian", "Bidang Prasarana dan Sarana Pertanian"),),
    ),
    DemoAgency(
        slug="dinpermades-banyumas",
        name="Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Banyumas",
        short_name="Dinpermades",
        kind=Agency.Kind.REGIONAL,
        duties=(
            "Melaksanakan urusan pemerintahan bidang pemberdayaan masyarakat dan desa: pembinaan "
            "pemerintahan desa, perangkat desa dan kepala desa, pengelolaan dana desa dan alokasi "
            "dana desa, BUMDes, musyawarah desa, serta administrasi pelayanan kantor desa."
        ),
        units=(DemoUnit("pemerintahan-desa", "Bidang Pemerintahan Desa"),),
    ),
)
