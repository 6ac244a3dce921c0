"""``layanan export_catalog`` (round trips with ``import_catalog``) and ``layanan export_sippn_csv``."""

from __future__ import annotations

import csv
import io
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layanan.accounts.models import Agency, ServiceUnit
from layanan.accounts.tests.factories import AgencyFactory, ServiceUnitFactory, region
from layanan.catalog import interchange
from layanan.catalog.interchange import (
    SIPPN_COLUMNS,
    CatalogFile,
    dump_catalog,
    export_catalog,
    parse_catalog_text,
)
from layanan.catalog.models import Service, ServiceLifeEvent, ServicePromise, ServiceStandard
from layanan.catalog.tests.factories import (
    ServicePromiseFactory,
    complete_published,
    paid_fee,
    service_with_adopted_standard,
    tag_service,
)
from layanan.regions.models import Region

DATA = Path(__file__).resolve().parent / "data"
CATALOG = DATA / "catalog.yaml"


@pytest.fixture
def banyumas(db: None) -> Region:
    return region("33.02", "Kabupaten Banyumas")


def run(command: str, *args: str) -> str:
    stdout = StringIO()
    call_command(command, *args, stdout=stdout, stderr=StringIO())
    return stdout.getvalue()


def import_file(path: Path) -> str:
    return run("import_catalog", str(path))


def empty_the_catalog() -> None:
    """What an empty database holds of the catalog: nothing (regions and the audit log stay)."""
    Service.objects.update(adopted_standard=None)
    ServiceStandard.objects.update(based_on=None)
    ServiceStandard.objects.all().delete()
    ServiceLifeEvent.objects.all().delete()
    Service.objects.all().delete()
    ServicePromise.objects.all().delete()
    ServiceUnit.objects.all().delete()
    Agency.objects.all().delete()


def as_model(text: str, *, is_json: bool = False) -> CatalogFile:
    return CatalogFile.model_validate(parse_catalog_text(text, is_json=is_json).data)


# --- Round trips ----------------------------------------------------------------------------------


def test_import_then_export_gives_the_same_catalog(banyumas: Region) -> None:
    import_file(CATALOG)

    exported = run("export_catalog")

    assert as_model(exported) == as_model(CATALOG.read_text())


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_import_into_an_empty_database_export_is_byte_identical(
    banyumas: Region, tmp_path: Path, fmt: str
) -> None:
    import_file(CATALOG)
    first = run("export_catalog", "--format", fmt)
    path = tmp_path / f"export.{fmt}"
    path.write_text(first, encoding="utf-8")
    empty_the_catalog()
    assert Service.objects.count() == 0

    import_file(path)
    second = run("export_catalog", "--format", fmt)

    assert second == first
    assert "Nothing to change" in import_file(path)


def test_a_catalog_built_in_the_back_office_round_trips(banyumas: Region, tmp_path: Path) -> None:
    """Data made by the factories (as staff would make it), not by an import."""
    agency = AgencyFactory(slug="dinas-kesehatan", name="Dinas Kesehatan", region=banyumas, website="")
    unit = ServiceUnitFactory(
        agency=agency, slug="loket-kesehatan", region=banyumas, address="Jl. Gatot Subroto 5"
    )
    ServicePromiseFactory(unit=unit)
    paid = service_with_adopted_standard(slug="surat-sehat", unit=unit, keywords="keur dokter")
    assert paid.adopted_standard is not None
    paid.adopted_standard.published = complete_published(fee=paid_fee(25_000))
    paid.adopted_standard.save()
    tag_service(paid, "kesehatan", "pekerjaan")
    service_with_adopted_standard(slug="vaksinasi", unit=unit, is_active=False)
    first = run("export_catalog")
    path = tmp_path / "catalog.yaml"
    path.write_text(first, encoding="utf-8")
    empty_the_catalog()

    import_file(path)

    assert run("export_catalog") == first
    standard = Service.objects.get(slug="surat-sehat").adopted_standard
    assert standard is not None
    assert standard.published["fee"]["items"][0]["amount"] == 25_000


def test_yaml_and_json_exports_describe_the_same_catalog(banyumas: Region, tmp_path: Path) -> None:
    import_file(CATALOG)
    yaml_text = run("export_catalog")
    json_text = run("export_catalog", "--format", "json")
    path = tmp_path / "export.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    empty_the_catalog()
    import_file(path)

    assert run("export_catalog", "--format", "json") == json_text
    assert as_model(json_text, is_json=True) == as_model(yaml_text)


# --- The export itself ----------------------------------------------------------------------------


def test_export_is_ordered_by_slug_and_holds_every_field(banyumas: Region) -> None:
    import_file(CATALOG)

    document = export_catalog()

    assert [agency["slug"] for agency in document["agencies"]] == ["disdukcapil-banyumas", "dpmptsp-banyumas"]
    unit = document["agencies"][0]["units"][0]
    assert list(unit) == [
        "slug",
        "name",
        "region",
        "address",
        "opens_at",
        "closes_at",
        "cutoff_at",
        "works_saturday",
        "observes_cuti_bersama",
        "is_active",
        "service_promise",
        "services",
    ]
    assert [service["slug"] for service in unit["services"]] == ["akta-kelahiran", "akta-kematian"]
    standard = unit["services"][0]["standard"]
    assert list(standard) == [
        "decree_number",
        "decree_date",
        "change_note",
        "requirements",
        "procedure",
        "completion_time",
        "fee",
        "products",
        "complaint_channels",
        "internal",
    ]
    assert unit["services"][1]["standard"] is None


def test_export_of_one_agency(banyumas: Region) -> None:
    import_file(CATALOG)

    exported = as_model(run("export_catalog", "--agency", "dpmptsp-banyumas"))

    assert [agency.slug for agency in exported.agencies] == ["dpmptsp-banyumas"]
    with pytest.raises(CommandError, match="No agency has the slug 'tidak-ada'"):
        run("export_catalog", "--agency", "tidak-ada")


def test_export_to_a_json_file_by_its_extension(banyumas: Region, tmp_path: Path) -> None:
    import_file(CATALOG)
    path = tmp_path / "katalog.json"

    run("export_catalog", "--output", str(path))

    text = path.read_text(encoding="utf-8")
    assert text.startswith('{\n  "format": "layanan-catalog",\n  "version": 1,')
    assert as_model(text, is_json=True) == as_model(CATALOG.read_text())


def test_export_needs_the_same_number_of_queries_for_more_services(banyumas: Region) -> None:
    import_file(CATALOG)
    with CaptureQueriesContext(connection) as small:
        export_catalog()
    unit = ServiceUnit.objects.get(slug="perizinan")
    for number in range(5):
        tag_service(service_with_adopted_standard(slug=f"tambahan-{number}", unit=unit), "pekerjaan")
        ServicePromiseFactory(unit=unit)

    with CaptureQueriesContext(connection) as large:
        export_catalog()

    assert len(large.captured_queries) == len(small.captured_queries) <= 6


def test_a_text_that_looks_like_a_number_stays_text(banyumas: Region, tmp_path: Path) -> None:
    import_file(CATALOG)
    Service.objects.filter(slug="akta-kematian").update(keywords="1e3", counter_location="true")
    first = run("export_catalog")
    path = tmp_path / "catalog.yaml"
    path.write_text(first, encoding="utf-8")
    empty_the_catalog()

    import_file(path)

    assert Service.objects.values_list("keywords", "counter_location").get(slug="akta-kematian") == (
        "1e3",
        "true",
    )


# --- SIPPN CSV ------------------------------------------------------------------------------------


def sippn(*args: str) -> list[dict[str, str]]:
    text = run("export_sippn_csv", *args)
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_sippn_csv_has_the_sippn_columns_and_one_row_per_published_standard(banyumas: Region) -> None:
    import_file(CATALOG)

    text = run("export_sippn_csv", "--language", "en")
    rows = list(csv.reader(io.StringIO(text, newline="")))

    assert rows[0] == [
        "Instansi",
        "Unit Layanan",
        "Jenis Layanan",
        "Persyaratan",
        "Sistem Mekanisme dan Prosedur",
        "Jangka Waktu Penyelesaian",
        "Biaya/Tarif",
        "Produk Pelayanan",
        "Penanganan Pengaduan Saran dan Masukan",
        "Nomor SK",
        "Tanggal SK",
    ]
    assert rows[0] == list(SIPPN_COLUMNS)
    assert text.endswith("\r\n")
    # akta-kematian is not published (inactive, and without an adopted standard)
    assert [row[2] for row in rows[1:]] == ["Penerbitan Akta Kelahiran", "Persetujuan Bangunan Gedung (PBG)"]


def test_sippn_cells_are_numbered_lines(banyumas: Region) -> None:
    import_file(CATALOG)

    birth, building = sippn("--language", "en")

    assert birth["Instansi"] == "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banyumas"
    assert birth["Unit Layanan"] == "Loket Pencatatan Sipil"
    assert birth["Persyaratan"].splitlines() == [
        "1. Surat keterangan kelahiran dari rumah sakit, puskesmas atau bidan (original); "
        "Issued by: Rumah sakit, puskesmas atau bidan",
        "2. Kartu Keluarga orang tua (copy); Issued by: Disdukcapil",
        "3. Buku nikah atau akta perkawinan orang tua (copy); Issued by: KUA atau Disdukcapil; "
        "Only if orang tua tercatat menikah; Jika tidak ada, ditulis sebagai anak seorang ibu.",
    ]
    assert birth["Sistem Mekanisme dan Prosedur"].splitlines()[0] == (
        "1. Applicant: Pemohon mengisi formulir F-2.01 dan menyerahkan persyaratan."
    )
    assert len(birth["Sistem Mekanisme dan Prosedur"].splitlines()) == 4
    assert birth["Jangka Waktu Penyelesaian"] == (
        "1 working day. Counted from the day your application is complete."
    )
    assert birth["Biaya/Tarif"].splitlines()[0] == "Free of charge"
    assert birth["Produk Pelayanan"].startswith("1. Kutipan akta kelahiran - Dokumen elektronik")
    assert birth["Penanganan Pengaduan Saran dan Masukan"].splitlines()[2] == "3. WhatsApp: 0811-2600-1234"
    assert (birth["Nomor SK"], birth["Tanggal SK"]) == ("470/123/2024", "2024-01-15")

    assert building["Biaya/Tarif"].splitlines() == [
        "1. Retribusi PBG bangunan hunian sederhana (per m²): Rp10,000 (Legal basis: Perda Kabupaten "
        "Banyumas 1/2024 tentang Pajak Daerah dan Retribusi Daerah)",
        "Besaran akhir dihitung oleh SIMBG menurut luas dan fungsi bangunan.",
    ]
    assert building["Produk Pelayanan"].splitlines() == [
        "1. Persetujuan Bangunan Gedung (electronic document)",
        "2. Surat Ketetapan Retribusi Daerah",
    ]


def test_sippn_indonesian_amounts(banyumas: Region) -> None:
    import_file(CATALOG)

    _birth, building = sippn()

    assert "Rp10.000" in building["Biaya/Tarif"]


def test_sippn_csv_of_one_agency_leaves_out_inactive_agencies(banyumas: Region, tmp_path: Path) -> None:
    import_file(CATALOG)
    output = tmp_path / "sippn.csv"

    run("export_sippn_csv", "--agency", "dpmptsp-banyumas", "--output", str(output))
    with output.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["Jenis Layanan"] for row in rows] == ["Persetujuan Bangunan Gedung (PBG)"]

    Agency.objects.filter(slug="dpmptsp-banyumas").update(is_active=False)
    assert [row["Jenis Layanan"] for row in sippn()] == ["Penerbitan Akta Kelahiran"]
    with pytest.raises(CommandError, match="No agency has the slug"):
        run("export_sippn_csv", "--agency", "tidak-ada")


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml: only the Python classes")
def test_libyaml_and_pure_python_read_and_write_the_same(banyumas: Region) -> None:
    """Installations with and without libyaml exchange the same bytes and report the same lines."""
    import_file(CATALOG)
    document = export_catalog()

    class PythonDumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    PythonDumper.add_representer(str, interchange._represent_text)

    class PythonLoader(yaml.SafeLoader):
        yaml_implicit_resolvers = interchange._CoreSchemaLoader.yaml_implicit_resolvers

    options: dict[str, Any] = {"allow_unicode": True, "sort_keys": False, "width": 100, "indent": 2}
    text = dump_catalog(document)
    assert text.split("\n", 1)[1] == yaml.dump(document, Dumper=PythonDumper, **options)
    python_nodes = yaml.compose(text, Loader=PythonLoader)  # noqa: S506 (a SafeLoader subclass)
    c_nodes = yaml.compose(text, Loader=interchange._CoreSchemaLoader)  # noqa: S506

    def walk(node: yaml.Node) -> list[tuple[str, int, str]]:
        found = [(node.tag, node.start_mark.line, node.value if isinstance(node, yaml.ScalarNode) else "")]
        if isinstance(node, yaml.SequenceNode):
            found += [entry for item in node.value for entry in walk(item)]
        if isinstance(node, yaml.MappingNode):
            found += [entry for key, value in node.value for entry in walk(key) + walk(value)]
        return found

    assert c_nodes is not None
    assert python_nodes is not None
    assert walk(c_nodes) == walk(python_nodes)
