"""Reading, validating and importing catalog files (``layanan import_catalog``)."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from pydantic import BaseModel

from layanan.accounts.models import Agency, ServiceUnit, User
from layanan.accounts.tests.factories import AgencyFactory, ServiceUnitFactory, region
from layanan.audit.models import AuditEvent
from layanan.catalog import actions as catalog_actions
from layanan.catalog.interchange import (
    AgencyIn,
    CatalogFile,
    CatalogFileError,
    InternalComponentsIn,
    ServiceIn,
    ServicePromiseIn,
    StandardIn,
    UnitIn,
    create_agency,
    parse_catalog_text,
    read_catalog,
    update_agency,
    update_service_unit,
    validate_catalog,
)
from layanan.catalog.models import Service, ServiceLifeEvent, ServicePromise, ServiceStandard
from layanan.catalog.standard import (
    ComplaintChannel,
    CompletionTime,
    Fee,
    FeeItem,
    ProcedureStep,
    Product,
    Requirement,
)
from layanan.regions.models import Region

DATA = Path(__file__).resolve().parent / "data"
CATALOG = DATA / "catalog.yaml"


@pytest.fixture
def banyumas(db: None) -> Region:
    return region("33.02", "Kabupaten Banyumas")


def run_import(path: Path | str, *args: str) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("import_catalog", str(path), *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def import_failure(path: Path | str, *args: str) -> tuple[str, list[str]]:
    """The CommandError message and the error lines written to stderr."""
    stderr = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_catalog", str(path), *args, stdout=StringIO(), stderr=stderr)
    return str(failure.value), stderr.getvalue().splitlines()


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Agency,
            ServiceUnit,
            Service,
            ServiceLifeEvent,
            ServiceStandard,
            ServicePromise,
            AuditEvent,
        )
    }


def line_of(path: Path, text: str, *, occurrence: int = 1) -> int:
    """The 1-based number of the line of ``path`` that contains ``text`` (its n-th occurrence)."""
    found = [number for number, line in enumerate(path.read_text().splitlines(), start=1) if text in line]
    return found[occurrence - 1]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- A file with mistakes: every one is reported, nothing is written -----------------------------


def test_malformed_yaml_reports_every_error_with_its_line_and_writes_nothing(banyumas: Region) -> None:
    AgencyFactory(slug="ada-sebelumnya", region=banyumas)
    before = row_counts()
    path = DATA / "malformed.yaml"

    message, errors = import_failure(path)

    assert "nothing was imported" in message
    service = "agencies[0].units[0].services[0]"
    expected = [
        # reference: a region that is not in the regions table, with the command that loads it
        (line_of(path, '"35.78"'), "agencies[0].units[0].region", 'layanan load_regions --province 35"'),
        # wrong value
        (line_of(path, "opens_at: 8 pagi"), "agencies[0].units[0].opens_at", "not a time"),
        # unknown life event
        (line_of(path, "liburan"), f"{service}.life_events[1]", "Input should be 'kelahiran'"),
        # invalid standard: impossible date, empty list, wrong type, missing legal basis of a fee
        (line_of(path, "2024-02-30"), f"{service}.standard.decree_date", "not a date"),
        (line_of(path, "requirements: []"), f"{service}.standard.requirements", "at least 1 item"),
        (line_of(path, "value: tiga"), f"{service}.standard.completion_time.value", "valid integer"),
        (
            line_of(path, "- label: Retribusi"),
            f"{service}.standard.fee.items[0].legal_basis",
            "Field required",
        ),
        (line_of(path, "internal:"), f"{service}.standard.internal.staff_count", "Field required"),
        # duplicate service slug (the first use is named)
        (
            line_of(path, "- slug: layanan-satu", occurrence=2),
            "agencies[0].units[0].services[1].slug",
            f"already used at line {line_of(path, '- slug: layanan-satu')}",
        ),
        # missing field
        (
            line_of(path, "- slug: layanan-satu", occurrence=2),
            "agencies[0].units[0].services[1].summary",
            "Field required",
        ),
        (line_of(path, "channel: fax"), "agencies[0].units[0].services[1].channel", "'online'"),
        # duplicate agency slug
        (line_of(path, "- slug: dinas-satu", occurrence=2), "agencies[1].slug", "already used at line 5"),
        # wrong type
        (line_of(path, "name: 12345"), "agencies[1].name", "valid string"),
        # an unquoted region code is a number for YAML
        (line_of(path, "region: 33.02"), "agencies[1].region", 'quotes ("33.02")'),
        # unknown field
        (line_of(path, "websiet"), "agencies[1].websiet", "Unknown field"),
    ]
    for line, field_path, fragment in expected:
        prefix = f"malformed.yaml:{line} {field_path}: "
        assert any(error.startswith(prefix) and fragment in error for error in errors), (prefix, fragment)
    assert len(errors) == 21  # the 15 above and 6 more missing internal components
    assert f"{len(errors)} error(s) in malformed.yaml" in message
    assert row_counts() == before


def test_malformed_json_is_reported_with_json_line_numbers(banyumas: Region) -> None:
    before = row_counts()
    path = DATA / "malformed.json"

    _message, errors = import_failure(path)

    assert errors == [
        f"malformed.json:{line_of(path, 'kementerian')} agencies[0].kind: Input should be 'regional', "
        "'vertical', 'soe', 'regional_soe' or 'private'",
        f"malformed.json:{line_of(path, 'maybe')} agencies[0].units[0].services[0].is_active: "
        "Input should be a valid boolean, unable to interpret input",
    ]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        ("syntax_error.yaml", 7, "YAML syntax error: while scanning a quoted scalar"),
        ("syntax_error.json", 5, "JSON syntax error: Expecting property name enclosed in double quotes"),
    ],
)
def test_syntax_error_is_reported_with_its_line_and_nothing_is_written(
    banyumas: Region, name: str, line: int, fragment: str
) -> None:
    before = row_counts()

    message, errors = import_failure(DATA / name)

    assert len(errors) == 1
    assert errors[0].startswith(f"{name}:{line}: {fragment}")
    assert "1 error(s)" in message
    assert row_counts() == before


def test_regions_missing_from_the_table_are_reported_with_the_command_that_loads_them(db: None) -> None:
    message, errors = import_failure(CATALOG)

    region_lines = [line for line in errors if "is not in the regions table" in line]
    assert len(region_lines) == 4  # two agencies and two units, all in 33.02
    assert region_lines[0] == (
        f"catalog.yaml:{line_of(CATALOG, 'region:')} agencies[0].region: Region 33.02 is not in the regions "
        'table: load it with "layanan load_regions --province 33".'
    )
    assert Agency.objects.count() == 0


def test_a_missing_file_is_a_clear_error(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        run_import(tmp_path / "nothing.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty."),
        ("- just\n- a list\n", "The file must be a mapping: format, version, agencies."),
        ("format: layanan-catalog\nformat: again\n", "This key appears twice."),
        ("a: &x [1]\nb: *x\n", "Anchors and aliases (*name) are not supported."),
        ("a: !!binary aGVsbG8=\n", "The YAML tag tag:yaml.org,2002:binary is not supported."),
        ("1: one\n", "A key must be a name."),
    ],
)
def test_yaml_that_is_not_a_catalog_is_refused(db: None, text: str, message: str) -> None:
    with pytest.raises(CatalogFileError) as failure:
        validate_catalog(parse_catalog_text(text, is_json=False))
    assert message in [error.message for error in failure.value.errors]


def test_json_duplicate_keys_are_reported_with_their_line(db: None) -> None:
    text = '{\n  "format": "layanan-catalog",\n  "format": "x",\n  "version": 1,\n  "agencies": []\n}\n'
    with pytest.raises(CatalogFileError) as failure:
        parse_catalog_text(text, is_json=True)
    assert [(error.line, error.path, error.message) for error in failure.value.errors] == [
        (3, "format", "This key appears twice.")
    ]


def test_json_lines_and_values(db: None) -> None:
    text = (
        '{"format": "layanan-catalog",\n "version": 1,\n "agencies": [\n'
        '  {"slug": "a\\u00e9",\n  "n": -1.5e2}]}'
    )
    document = parse_catalog_text(text, is_json=True)
    assert document.data["agencies"] == [{"slug": "aé", "n": -150.0}]
    assert document.line_of(("agencies", 0, "n")) == 5
    assert document.line_of(("agencies", 0, "missing")) == 4
    assert document.line_of(("version",)) == 2


def test_yaml_scalars_follow_the_yaml_1_2_core_schema(db: None) -> None:
    document = parse_catalog_text(
        "a: 15:00\nb: no\nc: 33.02\nd: '33.02'\ne: 2024-01-15\nf: true\ng: ~\nh: 0x1F\n", is_json=False
    )
    assert document.data == {
        "a": "15:00",
        "b": "no",
        "c": 33.02,
        "d": "33.02",
        "e": "2024-01-15",
        "f": True,
        "g": None,
        "h": 31,
    }


def test_a_decree_dated_in_the_future_is_refused_before_anything_is_written(
    banyumas: Region, tmp_path: Path
) -> None:
    tomorrow = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    path = write(tmp_path, "future.yaml", CATALOG.read_text().replace("2024-01-15", tomorrow))
    before = row_counts()

    _message, errors = import_failure(path)

    assert (
        f"future.yaml:{line_of(path, 'decree_date')} agencies[0].units[0].services[0].standard.decree_date: "
        in ("\n".join(errors))
    )
    assert any("signed_on" in error and "is in the future" in error for error in errors)
    assert row_counts() == before


def test_reserved_service_slugs_are_refused(banyumas: Region, tmp_path: Path) -> None:
    path = write(
        tmp_path, "reserved.yaml", CATALOG.read_text().replace("slug: akta-kematian", "slug: instansi")
    )
    _message, errors = import_failure(path)
    assert any("'instansi' is reserved by the public URLs" in error for error in errors)


# --- A valid file ---------------------------------------------------------------------------------


def test_import_creates_everything_through_the_actions(banyumas: Region) -> None:
    stdout, stderr = run_import(CATALOG)

    assert "Importing services 3/3" in stderr
    assert "agencies                2 created      0 updated      0 unchanged" in stdout
    assert "adopted standards       2 created      0 updated      0 unchanged" in stdout

    agency = Agency.objects.get(slug="disdukcapil-banyumas")
    assert agency.short_name == "Disdukcapil"
    assert agency.duties.endswith("peristiwa penting.")  # the block's final newline is stripped
    assert agency.website == "https://dindukcapil.banyumaskab.go.id"
    unit = ServiceUnit.objects.get(agency=agency, slug="pencatatan-sipil")
    assert (unit.opens_at, unit.closes_at, unit.cutoff_at) == (
        datetime.time(8),
        datetime.time(15),
        datetime.time(14),
    )
    assert unit.works_saturday is True
    promise = ServicePromise.objects.get(unit=unit)
    assert promise.signed_on == datetime.date(2024, 1, 15)

    birth = Service.objects.get(slug="akta-kelahiran")
    assert birth.unit == unit
    assert list(birth.life_events.values_list("event", flat=True)) == ["kelahiran"]
    standard = birth.adopted_standard
    assert standard is not None
    assert (standard.status, standard.version) == (ServiceStandard.Status.ADOPTED, 1)
    assert (standard.decree_number, standard.decree_date) == ("470/123/2024", datetime.date(2024, 1, 15))
    components = standard.components()
    assert components is not None
    assert components.requirements[2].condition == "hanya jika orang tua tercatat menikah"
    assert standard.staff_count == "4 orang"

    death = Service.objects.get(slug="akta-kematian")
    assert death.is_active is False
    assert death.adopted_standard is None

    pbg = Service.objects.get(slug="persetujuan-bangunan-gedung")
    assert pbg.adopted_standard is not None
    assert pbg.adopted_standard.published["fee"]["items"][0]["amount"] == 10000

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "accounts.agency_created",
        "accounts.unit_created",
        "catalog.service_promise_set",
        "catalog.service_created",
        "catalog.standard_draft_started",
        "catalog.standard_draft_updated",
        "catalog.standard_adopted",
    } <= actions
    assert set(AuditEvent.objects.values_list("actor_label", flat=True)) == {"system"}


def test_reimporting_the_same_file_changes_nothing_and_records_no_event(banyumas: Region) -> None:
    run_import(CATALOG)
    before = row_counts()
    stamps = sorted(Service.objects.values_list("slug", "updated_at"))

    stdout, _stderr = run_import(CATALOG)

    assert "Nothing to change: the database already matches the file." in stdout
    assert "services                0 created      0 updated      3 unchanged" in stdout
    assert row_counts() == before
    assert sorted(Service.objects.values_list("slug", "updated_at")) == stamps


def test_the_same_catalog_as_json_is_the_same_import(banyumas: Region, tmp_path: Path) -> None:
    run_import(CATALOG)
    before = row_counts()
    json_file = tmp_path / "catalog.json"
    call_command("export_catalog", "--output", str(json_file), stdout=StringIO(), stderr=StringIO())

    stdout, _stderr = run_import(json_file)

    assert "Nothing to change" in stdout
    assert row_counts() == before


def test_a_changed_standard_is_adopted_as_a_new_version(banyumas: Region, tmp_path: Path) -> None:
    run_import(CATALOG)
    events_before = AuditEvent.objects.count()
    changed = (
        CATALOG.read_text()
        .replace("value: 28", "value: 20")
        .replace("decree_number: 503/45/2023", "decree_number: 503/99/2024")
    )
    path = write(tmp_path, "catalog.yaml", changed)

    stdout, _stderr = run_import(path)

    assert "adopted standards       0 created      1 updated      1 unchanged" in stdout
    pbg = Service.objects.get(slug="persetujuan-bangunan-gedung")
    versions = list(pbg.standards.order_by("version").values_list("version", "status", "decree_number"))
    assert versions == [(1, "superseded", "503/45/2023"), (2, "adopted", "503/99/2024")]
    assert pbg.adopted_standard is not None
    assert pbg.adopted_standard.published["completion_time"]["value"] == 20
    new_actions = list(AuditEvent.objects.order_by("id")[events_before:].values_list("action", flat=True))
    assert new_actions == [
        "catalog.standard_draft_started",
        "catalog.standard_draft_updated",
        "catalog.standard_adopted",
    ]

    stdout, _stderr = run_import(path)
    assert "Nothing to change" in stdout


def test_a_changed_service_field_updates_only_that_service(banyumas: Region, tmp_path: Path) -> None:
    run_import(CATALOG)
    events_before = AuditEvent.objects.count()
    changed = CATALOG.read_text().replace("life_events: [kematian]", "life_events: [kematian, pindah]")
    path = write(tmp_path, "catalog.yaml", changed.replace("is_active: false", "is_active: true"))

    stdout, _stderr = run_import(path)

    assert "services                0 created      1 updated      2 unchanged" in stdout
    death = Service.objects.get(slug="akta-kematian")
    assert death.is_active is True
    assert sorted(death.life_events.values_list("event", flat=True)) == ["kematian", "pindah"]
    event = AuditEvent.objects.order_by("id")[events_before:].get()
    assert (event.action, event.summary) == (
        "catalog.service_updated",
        {"fields": ["is_active", "life_events"]},
    )


def test_changed_agencies_and_units_are_updated_and_audited(banyumas: Region, tmp_path: Path) -> None:
    run_import(CATALOG)
    events_before = AuditEvent.objects.count()
    changed = (
        CATALOG.read_text()
        .replace("short_name: DPMPTSP", "short_name: DPM-PTSP")
        .replace('closes_at: "16:00"', 'closes_at: "16:30"')
    )
    path = write(tmp_path, "catalog.yaml", changed)

    run_import(path)

    events = list(AuditEvent.objects.order_by("id")[events_before:].values_list("action", "summary"))
    assert events == [
        ("accounts.agency_updated", {"slug": "dpmptsp-banyumas", "fields": ["short_name"]}),
        ("accounts.unit_updated", {"slug": "perizinan", "fields": ["closes_at"]}),
    ]
    assert ServiceUnit.objects.get(slug="perizinan").closes_at == datetime.time(16, 30)


def test_dry_run_counts_and_writes_nothing(banyumas: Region) -> None:
    before = row_counts()

    stdout, _stderr = run_import(CATALOG, "--dry-run")

    assert "Dry run of catalog.yaml: the file is valid; nothing was written." in stdout
    assert "services                3 created      0 updated      0 unchanged" in stdout
    assert row_counts() == before


def test_a_new_standard_for_a_service_with_an_open_draft_is_refused(banyumas: Region, tmp_path: Path) -> None:
    run_import(CATALOG)
    pbg = Service.objects.get(slug="persetujuan-bangunan-gedung")
    catalog_actions.start_standard_draft(pbg, actor=None)
    before = row_counts()
    path = write(tmp_path, "catalog.yaml", CATALOG.read_text().replace("value: 28", "value: 20"))

    _message, errors = import_failure(path)

    services = "agencies[1].units[0].services[0]"
    assert errors == [
        f"catalog.yaml:{line_of(path, 'standard:', occurrence=3)} {services}.standard: Service "
        "'persetujuan-bangunan-gedung' has version 2 of its standard in draft in the back office: "
        "adopt or withdraw it there before importing another standard."
    ]
    assert row_counts() == before


def test_a_refused_action_rolls_back_the_whole_import(
    banyumas: Region, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ValidationError("The decree is not valid.", code="invalid")

    monkeypatch.setattr(catalog_actions, "adopt_standard", refuse)
    before = row_counts()

    message, errors = import_failure(CATALOG)

    assert "nothing was imported (all changes were rolled back)" in message
    assert errors == [
        f"catalog.yaml:{line_of(CATALOG, 'standard:')} agencies[0].units[0].services[0].standard: "
        "The decree is not valid."
    ]
    assert row_counts() == before


def test_progress_is_written_in_steps_for_large_files(banyumas: Region, tmp_path: Path) -> None:
    services = "\n".join(
        f"""          - slug: layanan-{number}
            name: Layanan {number}
            summary: Ringkasan layanan {number}.
            channel: counter"""
        for number in range(25)
    )
    text = f"""format: layanan-catalog
version: 1
agencies:
  - slug: dinas
    name: Dinas
    kind: regional
    region: "33.02"
    units:
      - slug: loket
        name: Loket
        region: "33.02"
        services:
{services}
"""
    _stdout, stderr = run_import(write(tmp_path, "big.yaml", text))

    assert stderr.splitlines() == [
        f"Importing services {done}/25" for done in (2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 25)
    ]
    assert Service.objects.count() == 25


def test_read_catalog_returns_the_validated_model(banyumas: Region) -> None:
    catalog, document = read_catalog(CATALOG)
    assert [agency.slug for agency in catalog.agencies] == ["disdukcapil-banyumas", "dpmptsp-banyumas"]
    assert document.line_of(("agencies", 1, "slug")) == line_of(CATALOG, "- slug: dpmptsp-banyumas")


# --- The audited actions for agencies and units -----------------------------------------------------


def test_only_the_system_or_a_platform_admin_creates_agencies(
    banyumas: Region, officer: User, admin_user: User
) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        create_agency(actor=officer, slug="dinas-baru", name="Dinas Baru", kind="regional", region=banyumas)
    assert not Agency.objects.filter(slug="dinas-baru").exists()
    assert AuditEvent.objects.count() == before

    agency = create_agency(
        actor=admin_user, slug="dinas-baru", name="Dinas Baru", kind="regional", region=banyumas
    )

    event = AuditEvent.objects.get(action="accounts.agency_created")
    assert (event.object_id, event.actor_id, event.summary) == (
        str(agency.pk),
        admin_user.pk,
        {"slug": "dinas-baru"},
    )


def test_updates_that_change_nothing_write_nothing(banyumas: Region, officer: User) -> None:
    unit = ServiceUnitFactory(region=banyumas, agency__region=banyumas)
    before = AuditEvent.objects.count()

    update_agency(unit.agency, actor=None, name=unit.agency.name, region=banyumas)
    update_service_unit(unit, actor=None, name=unit.name, opens_at=unit.opens_at)

    assert AuditEvent.objects.count() == before
    with pytest.raises(PermissionDenied):
        update_service_unit(unit, actor=officer, name="Lain")
    unit.refresh_from_db()
    assert unit.name != "Lain"


def test_an_invalid_agency_is_refused_by_the_action(banyumas: Region) -> None:
    with pytest.raises(ValidationError):
        create_agency(actor=None, slug="tidak valid", name="X", kind="regional", region=banyumas)
    assert Agency.objects.count() == 0


# --- The documentation ----------------------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[3] / "docs" / "catalog-format.md"


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in _keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in _keys(item)}
    return set()


def test_the_documented_example_is_the_fixture_and_uses_every_field(banyumas: Region) -> None:
    text = DOCS.read_text(encoding="utf-8")
    example = text.split("## Complete example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    assert example == CATALOG.read_text(encoding="utf-8")

    document = parse_catalog_text(example, is_json=False)
    validate_catalog(document)
    schema_models: list[type[BaseModel]] = [
        CatalogFile,
        AgencyIn,
        UnitIn,
        ServicePromiseIn,
        ServiceIn,
        StandardIn,
        InternalComponentsIn,
        Requirement,
        ProcedureStep,
        CompletionTime,
        Fee,
        FeeItem,
        Product,
        ComplaintChannel,
    ]
    every_field = {name for model in schema_models for name in model.model_fields}
    assert every_field - _keys(document.data) == set()
