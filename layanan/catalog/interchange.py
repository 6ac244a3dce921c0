"""Catalog interchange: the catalog file (YAML or JSON), its import and export, and the SIPPN CSV.

The format is described with a complete example in ``docs/catalog-format.md``. In short:

* ``read_catalog`` turns a file into a ``CatalogFile`` or raises ``CatalogFileError`` with *every*
  problem found, each with its line and field path: syntax, schema (pydantic, reusing the models of
  ``layanan.catalog.standard`` for the 6 published components), references (region codes that are
  not in the regions table), duplicate keys in the file.
* ``import_catalog`` brings the database to what the file says, by stable keys (agency slug, unit
  slug within its agency, service slug; a standard is its decree number and date plus its
  content). It checks the database first (nothing is written when a check fails), then writes
  through the catalog's actions in one transaction. What is already as the file says is not
  touched: importing the same file twice writes nothing and records no audit event the second time.
  An import never deletes: a service leaves the public catalog with ``is_active: false``.
* ``export_catalog`` + ``dump_catalog`` write the same format with a deterministic order, so that
  export -> import into an empty database -> export gives the same bytes.
* ``sippn_rows`` flattens the published components to SIPPN's field layout (one row per service).

Agencies and units have no write actions in ``layanan.accounts`` yet: ``create_agency``,
``update_agency``, ``create_service_unit`` and ``update_service_unit`` below are the audited
stop-gap (system or platform administrator only) and belong in ``layanan.accounts.actions``.
"""

from __future__ import annotations

import bisect
import datetime
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, ParamSpec, TypedDict, TypeVar, Unpack, cast

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError

from layanan.accounts.models import Agency, ServiceUnit
from layanan.audit.actions import record_event
from layanan.catalog import actions as catalog_actions
from layanan.catalog.actions import ServiceChanges
from layanan.catalog.models import Service, ServiceLifeEvent, ServicePromise, ServiceStandard
from layanan.catalog.standard import (
    COMPLAINT_CHANNEL_LABELS,
    DOCUMENT_FORM_LABELS,
    INTERNAL_COMPONENTS,
    STEP_ACTOR_LABELS,
    ComplaintChannel,
    CompletionTime,
    DocumentForm,
    Fee,
    Product,
    PublishedComponents,
    Requirement,
)
from layanan.catalog.templatetags.catalog_format import condition_text, duration, rupiah
from layanan.regions.codes import is_valid_region_code, province_of
from layanan.regions.models import Region

FORMAT_NAME = "layanan-catalog"
FORMAT_VERSION = 1

# Words the public URLs use before a service slug (see ``layanan/catalog/urls_public.py``).
RESERVED_SERVICE_SLUGS = frozenset({"peristiwa", "instansi"})

Loc = tuple[str | int, ...]
"""Where a value sits in the file: ``("agencies", 1, "units", 0, "slug")``."""

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each service of the file."""


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


def format_loc(loc: Sequence[str | int]) -> str:
    """``("agencies", 1, "units", 0, "slug")`` -> ``agencies[1].units[0].slug``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass(frozen=True)
class CatalogError:
    """One problem of a catalog file: its line (1-based; None when unknown), field path, message."""

    line: int | None
    path: str
    message: str

    def render(self, filename: str) -> str:
        where = filename if self.line is None else f"{filename}:{self.line}"
        return f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class CatalogFileError(Exception):
    """The file cannot be imported; ``errors`` lists every problem found (sorted by line)."""

    def __init__(self, errors: Iterable[CatalogError]) -> None:
        self.errors = sorted(errors, key=lambda error: (error.line or 0, error.path, error.message))
        super().__init__(f"{len(self.errors)} error(s) in the catalog file")


# ---------------------------------------------------------------------------------------------
# Reading YAML and JSON with the line of every value
# ---------------------------------------------------------------------------------------------


@dataclass
class ParsedDocument:
    """Plain Python data of a file, with the 1-based line where each key or item starts."""

    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """The line of ``loc``, else of its nearest enclosing value (e.g. a missing field's parent)."""
        path = tuple(loc)
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


# libyaml's parser and emitter when PyYAML was built with it (about 10 times faster); the pure
# Python ones otherwise. Both give the same nodes, marks and output.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _CoreSchemaLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """PyYAML with the YAML 1.2 core schema for plain scalars.

    YAML 1.1 (PyYAML's default) reads ``8:30`` as the number 510 and ``no`` as false; here a plain
    scalar is null, a boolean (``true``/``false``), an integer or a float, or else text. Dates and
    times stay text and are parsed by the schema, which says which form it expects.
    """

    yaml_implicit_resolvers: dict[Any, Any] = {}


_CORE_RESOLVERS: tuple[tuple[str, str, str], ...] = (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
)
for _tag, _pattern, _first in _CORE_RESOLVERS:
    _CoreSchemaLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
_CoreSchemaLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^$"), [""])

_STR_TAG = "tag:yaml.org,2002:str"
_SCALAR_TAGS = frozenset({_STR_TAG, *(tag for tag, _pattern, _first in _CORE_RESOLVERS)})


def _resolve_plain(value: str) -> str:
    """The tag the core schema gives a plain (unquoted) scalar."""
    for tag, pattern, _first in _CORE_RESOLVERS:
        if re.match(pattern, value):
            return tag
    return _STR_TAG


def _scalar_value(tag: str, text: str) -> Any:
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() == "true"
    if tag == "tag:yaml.org,2002:int":
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text)
    if tag == "tag:yaml.org,2002:float":
        lowered = text.lower().lstrip("+")
        if lowered.endswith(".inf"):
            return float("-inf") if lowered.startswith("-") else float("inf")
        if lowered == ".nan":
            return float("nan")
        return float(text)
    return text


class _YamlReader:
    """Turns a composed YAML node tree into plain data, recording the line of every value."""

    def __init__(self) -> None:
        self.lines: dict[Loc, int] = {}
        self.errors: list[CatalogError] = []
        self._seen: set[int] = set()

    def read(self, text: str) -> ParsedDocument:
        try:
            node = yaml.compose(text, Loader=_CoreSchemaLoader)  # noqa: S506 (a SafeLoader subclass)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problem = " ".join(part for part in (error.context, error.problem) if part)
            raise CatalogFileError(
                [CatalogError(mark.line + 1 if mark else None, "", f"YAML syntax error: {problem}")]
            ) from error
        except yaml.YAMLError as error:
            raise CatalogFileError([CatalogError(None, "", f"YAML syntax error: {error}")]) from error
        if node is None:
            raise CatalogFileError([CatalogError(None, "", "The file is empty.")])
        try:
            data = self._value(node, ())
        except RecursionError as error:
            raise CatalogFileError([CatalogError(None, "", "The file is nested too deeply.")]) from error
        if self.errors:
            raise CatalogFileError(self.errors)
        return ParsedDocument(data, self.lines)

    def _value(self, node: yaml.Node, loc: Loc) -> Any:
        line = node.start_mark.line + 1
        self.lines.setdefault(loc, line)
        if id(node) in self._seen:
            self.errors.append(
                CatalogError(line, format_loc(loc), "Anchors and aliases (*name) are not supported.")
            )
            return None
        self._seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in _SCALAR_TAGS:
                self.errors.append(
                    CatalogError(line, format_loc(loc), f"The YAML tag {node.tag} is not supported.")
                )
                return None
            try:
                return _scalar_value(node.tag, node.value)
            except ValueError:
                self.errors.append(
                    CatalogError(line, format_loc(loc), f"{node.value!r} is not a valid {node.tag}.")
                )
                return None
        if isinstance(node, yaml.SequenceNode):
            return [self._value(item, (*loc, index)) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                    self.errors.append(CatalogError(key_line, format_loc(loc), "A key must be a name."))
                    continue
                key = str(key_node.value)
                if key in result:
                    self.errors.append(
                        CatalogError(key_line, format_loc((*loc, key)), "This key appears twice.")
                    )
                    continue
                self.lines[(*loc, key)] = key_line
                result[key] = self._value(value_node, (*loc, key))
            return result
        self.errors.append(CatalogError(line, format_loc(loc), "Unsupported YAML node."))  # pragma: no cover
        return None  # pragma: no cover


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


class _JsonReader:
    """A small JSON reader that records the line of every value (run on text ``json`` accepted)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [match.start() for match in re.finditer("\n", text)]
        self.lines: dict[Loc, int] = {}
        self.errors: list[CatalogError] = []
        self._decoder = json.JSONDecoder()

    def read(self) -> ParsedDocument:
        try:
            json.loads(self.text, parse_constant=self._reject_constant)
        except json.JSONDecodeError as error:
            raise CatalogFileError(
                [CatalogError(error.lineno, "", f"JSON syntax error: {error.msg}")]
            ) from error
        except ValueError as error:
            raise CatalogFileError([CatalogError(None, "", f"JSON syntax error: {error}")]) from error
        except RecursionError as error:
            raise CatalogFileError([CatalogError(None, "", "The file is nested too deeply.")]) from error
        data, _end = self._value(0, ())
        if self.errors:
            raise CatalogFileError(self.errors)
        return ParsedDocument(data, self.lines)

    @staticmethod
    def _reject_constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON number")

    def _line(self, index: int) -> int:
        return bisect.bisect_left(self.newlines, index) + 1

    def _skip(self, index: int) -> int:
        match = _JSON_SPACE.match(self.text, index)
        assert match is not None
        return match.end()

    def _value(self, index: int, loc: Loc) -> tuple[Any, int]:
        index = self._skip(index)
        self.lines.setdefault(loc, self._line(index))
        char = self.text[index]
        if char == "{":
            return self._object(index + 1, loc)
        if char == "[":
            return self._array(index + 1, loc)
        return self._decoder.raw_decode(self.text, index)  # a string, number, true, false or null

    def _object(self, index: int, loc: Loc) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        index = self._skip(index)
        if self.text[index] == "}":
            return result, index + 1
        while True:
            index = self._skip(index)
            key_line = self._line(index)
            key, index = self._decoder.raw_decode(self.text, index)
            index = self._skip(index) + 1  # the colon
            if key in result:
                self.errors.append(CatalogError(key_line, format_loc((*loc, key)), "This key appears twice."))
                _ignored, index = self._value(index, (*loc, key, "(duplicate)"))
            else:
                self.lines[(*loc, key)] = key_line
                result[key], index = self._value(index, (*loc, key))
            index = self._skip(index)
            if self.text[index] == "}":
                return result, index + 1
            index += 1  # the comma

    def _array(self, index: int, loc: Loc) -> tuple[list[Any], int]:
        result: list[Any] = []
        index = self._skip(index)
        if self.text[index] == "]":
            return result, index + 1
        while True:
            item, index = self._value(index, (*loc, len(result)))
            result.append(item)
            index = self._skip(index)
            if self.text[index] == "]":
                return result, index + 1
            index += 1


def parse_catalog_text(text: str, *, is_json: bool) -> ParsedDocument:
    """Parse YAML or JSON text with line numbers; raises ``CatalogFileError`` on a syntax error."""
    text = text.removeprefix("\ufeff")
    if is_json:
        return _JsonReader(text).read()
    return _YamlReader().read(text)


def is_json_path(path: str | Path) -> bool:
    return Path(path).suffix.lower() == ".json"


# ---------------------------------------------------------------------------------------------
# The schema of the file
# ---------------------------------------------------------------------------------------------


def _text(max_length: int, *, required: bool = True) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=int(required), max_length=max_length)


Text40 = Annotated[str, _text(40, required=False)]
Text150 = Annotated[str, _text(150)]
Text200 = Annotated[str, _text(200)]
OptionalText200 = Annotated[str, _text(200, required=False)]
OptionalText300 = Annotated[str, _text(300, required=False)]
Text2000 = Annotated[str, _text(2000)]
LongText = Annotated[str, _text(10_000)]
OptionalLongText = Annotated[str, _text(10_000, required=False)]
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
Slug80 = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=SLUG_PATTERN)]
Slug100 = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=SLUG_PATTERN)]


def _not_a_number(value: Any) -> Any:
    if isinstance(value, bool | int | float):
        raise ValueError(
            f'write it as text in quotes ("{value}"): YAML reads an unquoted {value} as a number'
        )
    return value


def _check_region_code(code: str) -> str:
    if not is_valid_region_code(code):
        raise ValueError(f'{code!r} is not a Kemendagri region code (for example "33.02")')
    return code


def _parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD")


def _parse_time(value: Any) -> datetime.time:
    if isinstance(value, datetime.time):
        return value
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", value.strip()) if isinstance(value, str) else None
    if match is not None:
        hour, minute, second = (int(part or 0) for part in match.groups())
        try:
            return datetime.time(hour, minute, second)
        except ValueError:
            pass
    raise ValueError(f'{value!r} is not a time in the form HH:MM (24 hours, e.g. "08:00")')


def _not_in_the_future(value: datetime.date) -> datetime.date:
    if value > timezone.localdate():
        raise ValueError(f"{value.isoformat()} is in the future")
    return value


def _check_website(url: str) -> str:
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise ValueError(f"{url!r} is not a web address (https://...)") from error
    return url


RegionCode = Annotated[str, BeforeValidator(_not_a_number), AfterValidator(_check_region_code)]
IsoDate = Annotated[datetime.date, BeforeValidator(_parse_date)]
ClockTime = Annotated[datetime.time, BeforeValidator(_parse_time)]
Website = Annotated[str, _text(200, required=False), AfterValidator(_check_website)]
DecreeNumber = Annotated[
    str,
    BeforeValidator(_not_a_number),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


class InternalComponentsIn(_Schema):
    """The 8 internal (management) components: all required to adopt a standard."""

    legal_basis: LongText
    facilities: LongText
    staff_competence: LongText
    internal_supervision: LongText
    staff_count: LongText
    service_guarantee: LongText
    security_guarantee: LongText
    performance_evaluation: LongText


class StandardIn(PublishedComponents):
    """An adopted standard: the decree, the 6 published components (flat) and the 8 internal ones."""

    decree_number: DecreeNumber
    decree_date: IsoDate
    change_note: OptionalLongText = ""
    internal: InternalComponentsIn

    @field_validator("decree_date")
    @classmethod
    def decree_date_is_not_in_the_future(cls, value: datetime.date) -> datetime.date:
        return _not_in_the_future(value)

    def published_json(self) -> dict[str, Any]:
        """The 6 published components exactly as ``ServiceStandard.published`` stores them."""
        return PublishedComponents.model_validate(
            self.model_dump(include=set(PublishedComponents.model_fields))
        ).model_dump(mode="json")

    def internal_values(self) -> dict[str, str]:
        return {name: getattr(self.internal, name) for name in INTERNAL_COMPONENTS}


class ServiceIn(_Schema):
    slug: Slug100
    name: Text200
    summary: Text2000
    keywords: OptionalText300 = ""
    channel: Service.Channel
    counter_location: OptionalText200 = ""
    life_events: tuple[Service.LifeEvent, ...] = ()
    is_active: bool = True
    standard: StandardIn | None = None

    @field_validator("slug")
    @classmethod
    def slug_is_not_reserved(cls, slug: str) -> str:
        if slug in RESERVED_SERVICE_SLUGS:
            raise ValueError(f"{slug!r} is reserved by the public URLs; choose another slug")
        return slug


class ServicePromiseIn(_Schema):
    """The unit's *maklumat pelayanan* in force."""

    text: LongText
    signatory_name: Text150
    signatory_title: Text150
    signed_on: IsoDate

    @field_validator("signed_on")
    @classmethod
    def signed_on_is_not_in_the_future(cls, value: datetime.date) -> datetime.date:
        return _not_in_the_future(value)


class UnitIn(_Schema):
    slug: Slug80
    name: Text200
    region: RegionCode
    address: OptionalText300 = ""
    opens_at: ClockTime = datetime.time(8, 0)
    closes_at: ClockTime = datetime.time(16, 0)
    cutoff_at: ClockTime = datetime.time(15, 0)
    works_saturday: bool = False
    observes_cuti_bersama: bool = True
    is_active: bool = True
    service_promise: ServicePromiseIn | None = None
    services: tuple[ServiceIn, ...] = ()

    @model_validator(mode="after")
    def hours_make_sense(self) -> UnitIn:
        if not self.opens_at < self.closes_at:
            raise ValueError("closes_at must be later than opens_at")
        if not self.opens_at <= self.cutoff_at <= self.closes_at:
            raise ValueError("cutoff_at must be between opens_at and closes_at")
        return self


class AgencyIn(_Schema):
    slug: Slug80
    name: Text200
    short_name: Text40 = ""
    kind: Agency.Kind
    region: RegionCode
    duties: OptionalLongText = ""
    website: Website = ""
    is_active: bool = True
    units: tuple[UnitIn, ...] = ()


class CatalogFile(_Schema):
    """The whole file: a format header, then the agencies."""

    format: Literal["layanan-catalog"]
    version: Literal[1]
    agencies: tuple[AgencyIn, ...]

    def services(self) -> Iterator[tuple[AgencyIn, UnitIn, ServiceIn, Loc]]:
        for a, agency in enumerate(self.agencies):
            for u, unit in enumerate(agency.units):
                for s, service in enumerate(unit.services):
                    yield agency, unit, service, ("agencies", a, "units", u, "services", s)


def _pydantic_message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "Unknown field (not part of the catalog format)."
    message = str(error.get("msg", ""))
    # The file has lists where the models have tuples.
    return message.removeprefix("Value error, ").replace("Tuple should", "List should")


def _schema_errors(document: ParsedDocument) -> tuple[CatalogFile | None, list[CatalogError]]:
    try:
        return CatalogFile.model_validate(document.data), []
    except PydanticValidationError as error:
        return None, [
            CatalogError(document.line_of(item["loc"]), format_loc(item["loc"]), _pydantic_message(item))
            for item in error.errors(include_url=False)
        ]


def _dicts(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """The mapping items of a list (anything else yields nothing: the schema reports it)."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _reference_errors(document: ParsedDocument) -> list[CatalogError]:
    """Unknown regions and duplicate slugs. Checked on the raw data, so that they are reported
    together with the schema errors (pydantic reports every schema error, but then gives no model)."""
    errors: list[CatalogError] = []
    regions: dict[str, list[Loc]] = {}
    agency_slugs: dict[str, Loc] = {}
    service_slugs: dict[str, Loc] = {}

    def duplicate(seen: dict[str, Loc], value: Any, loc: Loc, what: str) -> None:
        if not isinstance(value, str):
            return
        if value in seen:
            first = document.line_of(seen[value])
            errors.append(
                CatalogError(
                    document.line_of(loc),
                    format_loc(loc),
                    f"The {what} slug {value!r} is already used at line {first} ({format_loc(seen[value])}).",
                )
            )
        else:
            seen[value] = loc

    def region(value: Any, loc: Loc) -> None:
        if isinstance(value, str) and is_valid_region_code(value):
            regions.setdefault(value, []).append(loc)

    data = document.data if isinstance(document.data, dict) else {}
    for a, agency in _dicts(data.get("agencies")):
        agency_loc: Loc = ("agencies", a)
        duplicate(agency_slugs, agency.get("slug"), (*agency_loc, "slug"), "agency")
        region(agency.get("region"), (*agency_loc, "region"))
        unit_slugs: dict[str, Loc] = {}
        for u, unit in _dicts(agency.get("units")):
            unit_loc: Loc = (*agency_loc, "units", u)
            duplicate(unit_slugs, unit.get("slug"), (*unit_loc, "slug"), "unit")
            region(unit.get("region"), (*unit_loc, "region"))
            for s, service in _dicts(unit.get("services")):
                duplicate(service_slugs, service.get("slug"), (*unit_loc, "services", s, "slug"), "service")

    known = set(Region.objects.filter(code__in=list(regions)).values_list("code", flat=True))
    for code, locs in regions.items():
        if code in known:
            continue
        for loc in locs:
            errors.append(
                CatalogError(
                    document.line_of(loc),
                    format_loc(loc),
                    f"Region {code} is not in the regions table: load it with "
                    f'"layanan load_regions --province {province_of(code)}".',
                )
            )
    return errors


def validate_catalog(document: ParsedDocument) -> CatalogFile:
    """Check the whole document; raises ``CatalogFileError`` with every problem found."""
    if not isinstance(document.data, dict):
        raise CatalogFileError(
            [CatalogError(document.line_of(()), "", "The file must be a mapping: format, version, agencies.")]
        )
    catalog, errors = _schema_errors(document)
    errors += _reference_errors(document)
    if errors or catalog is None:
        raise CatalogFileError(errors)
    return catalog


def read_catalog(path: str | Path) -> tuple[CatalogFile, ParsedDocument]:
    """Read and validate a catalog file (``.json``: JSON; anything else: YAML)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CatalogFileError([CatalogError(None, "", "The file is not UTF-8 text.")]) from error
    document = parse_catalog_text(text, is_json=is_json_path(path))
    return validate_catalog(document), document


# ---------------------------------------------------------------------------------------------
# Agencies and units: audited actions (stop-gap until layanan.accounts.actions has them)
# ---------------------------------------------------------------------------------------------


class AgencyChanges(TypedDict, total=False):
    name: str
    short_name: str
    kind: str
    region: Region
    duties: str
    website: str
    is_active: bool


class UnitChanges(TypedDict, total=False):
    name: str
    region: Region
    address: str
    opens_at: datetime.time
    closes_at: datetime.time
    cutoff_at: datetime.time
    works_saturday: bool
    observes_cuti_bersama: bool
    is_active: bool


def _check_may_manage_organisations(actor: Any | None) -> None:
    """The system (``actor=None``, a console command) or a platform administrator."""
    if actor is not None and not getattr(actor, "is_platform_admin", False):
        raise PermissionDenied(_("Only platform administrators may change agencies and units."))


def _changed_fields(instance: Any, changes: Mapping[str, Any]) -> list[str]:
    changed = []
    for name, value in changes.items():
        if name == "region":
            if instance.region_id != value.pk:
                changed.append(name)
        elif getattr(instance, name) != value:
            changed.append(name)
    return changed


@transaction.atomic
def create_agency(
    *,
    actor: Any | None,
    slug: str,
    name: str,
    kind: str,
    region: Region,
    short_name: str = "",
    duties: str = "",
    website: str = "",
    is_active: bool = True,
) -> Agency:
    """Add an agency (*instansi*)."""
    _check_may_manage_organisations(actor)
    agency = Agency(
        slug=slug,
        name=name,
        short_name=short_name,
        kind=kind,
        region=region,
        duties=duties,
        website=website,
        is_active=is_active,
    )
    agency.full_clean()
    agency.save()
    record_event("accounts.agency_created", actor=actor, target=agency, summary={"slug": slug})
    return agency


@transaction.atomic
def update_agency(agency: Agency, *, actor: Any | None, **changes: Unpack[AgencyChanges]) -> Agency:
    """Change an agency; a call that changes nothing writes nothing and records no event."""
    _check_may_manage_organisations(actor)
    locked = Agency.objects.select_for_update().get(pk=agency.pk)
    changed = _changed_fields(locked, changes)
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, changes[name])  # type: ignore[literal-required]
    locked.full_clean()
    locked.save(update_fields=[*changed, "updated_at"])
    record_event(
        "accounts.agency_updated",
        actor=actor,
        target=locked,
        summary={"slug": locked.slug, "fields": changed},
    )
    # Agency names and short names are searched with the services.
    catalog_actions.refresh_search_after_commit()
    return locked


@transaction.atomic
def create_service_unit(
    agency: Agency,
    *,
    actor: Any | None,
    slug: str,
    name: str,
    region: Region,
    address: str = "",
    opens_at: datetime.time = datetime.time(8, 0),
    closes_at: datetime.time = datetime.time(16, 0),
    cutoff_at: datetime.time = datetime.time(15, 0),
    works_saturday: bool = False,
    observes_cuti_bersama: bool = True,
    is_active: bool = True,
) -> ServiceUnit:
    """Add a service unit (*unit layanan*) to an agency."""
    _check_may_manage_organisations(actor)
    unit = ServiceUnit(
        agency=agency,
        slug=slug,
        name=name,
        region=region,
        address=address,
        opens_at=opens_at,
        closes_at=closes_at,
        cutoff_at=cutoff_at,
        works_saturday=works_saturday,
        observes_cuti_bersama=observes_cuti_bersama,
        is_active=is_active,
    )
    unit.full_clean()
    unit.save()
    record_event(
        "accounts.unit_created", actor=actor, target=unit, summary={"agency": agency.slug, "slug": slug}
    )
    return unit


@transaction.atomic
def update_service_unit(
    unit: ServiceUnit, *, actor: Any | None, **changes: Unpack[UnitChanges]
) -> ServiceUnit:
    """Change a service unit; a call that changes nothing writes nothing and records no event."""
    _check_may_manage_organisations(actor)
    locked = ServiceUnit.objects.select_for_update().get(pk=unit.pk)
    changed = _changed_fields(locked, changes)
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, changes[name])  # type: ignore[literal-required]
    locked.full_clean()
    locked.save(update_fields=[*changed, "updated_at"])
    record_event(
        "accounts.unit_updated", actor=actor, target=locked, summary={"slug": locked.slug, "fields": changed}
    )
    # Unit names are searched with the services, and an inactive unit hides its services.
    catalog_actions.refresh_search_after_commit()
    return locked


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------

KINDS = ("agency", "unit", "service_promise", "service", "standard")


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do), counted per kind of object."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))


class ImportApplyError(Exception):
    """An action refused a change the file asked for; the transaction was rolled back."""

    def __init__(self, loc: Loc, message: str) -> None:
        self.loc = loc
        self.message = message
        super().__init__(f"{format_loc(loc)}: {message}")


@dataclass
class _State:
    """The rows the file refers to, loaded once before anything is compared or written."""

    regions: dict[str, Region]
    agencies: dict[str, Agency]
    units: dict[tuple[str, str], ServiceUnit]
    services: dict[str, Service]
    open_standards: dict[int, ServiceStandard]
    promises: dict[int, set[tuple[str, str, str, datetime.date]]]


def _load_state(catalog: CatalogFile) -> _State:
    agency_slugs = [agency.slug for agency in catalog.agencies]
    region_codes = {agency.region for agency in catalog.agencies} | {
        unit.region for agency in catalog.agencies for unit in agency.units
    }
    service_slugs = [service.slug for _a, _u, service, _loc in catalog.services()]
    units = {
        (unit.agency.slug, unit.slug): unit
        for unit in ServiceUnit.objects.filter(agency__slug__in=agency_slugs).select_related("agency")
    }
    services = {
        service.slug: service
        for service in Service.objects.filter(slug__in=service_slugs)
        .select_related("adopted_standard")
        .prefetch_related("life_events")
    }
    open_standards = {
        standard.service_id: standard
        for standard in ServiceStandard.objects.filter(
            service__slug__in=service_slugs,
            status__in=[ServiceStandard.Status.DRAFT, ServiceStandard.Status.CONSULTATION],
        )
    }
    promises: dict[int, set[tuple[str, str, str, datetime.date]]] = {}
    for promise in ServicePromise.objects.filter(unit__in=list(units.values())):
        promises.setdefault(promise.unit_id, set()).add(
            (promise.text, promise.signatory_name, promise.signatory_title, promise.signed_on)
        )
    return _State(
        regions=Region.objects.in_bulk(list(region_codes)),
        agencies=Agency.objects.in_bulk(agency_slugs, field_name="slug"),
        units=units,
        services=services,
        open_standards=open_standards,
        promises=promises,
    )


def _stored_published(standard: ServiceStandard) -> Any:
    """The stored published components in their canonical form (as stored when not valid)."""
    try:
        return PublishedComponents.model_validate(standard.published).model_dump(mode="json")
    except PydanticValidationError:
        return standard.published


def _standard_is_current(service: Service | None, spec: StandardIn) -> bool:
    """Whether the service's adopted standard is this one (same decree and same content)."""
    adopted = service.adopted_standard if service is not None else None
    if adopted is None:
        return False
    return (
        adopted.decree_number == spec.decree_number
        and adopted.decree_date == spec.decree_date
        and adopted.change_note == spec.change_note
        and _stored_published(adopted) == spec.published_json()
        and all(getattr(adopted, name) == value for name, value in spec.internal_values().items())
    )


def _database_errors(
    catalog: CatalogFile, document: ParsedDocument | None, state: _State
) -> list[CatalogError]:
    """What the database forbids: a new standard for a service that has one open in the back office."""
    errors = []
    for _agency, _unit, spec, loc in catalog.services():
        service = state.services.get(spec.slug)
        if spec.standard is None or service is None or _standard_is_current(service, spec.standard):
            continue
        open_standard = state.open_standards.get(service.pk)
        if open_standard is not None:
            standard_loc = (*loc, "standard")
            errors.append(
                CatalogError(
                    document.line_of(standard_loc) if document else None,
                    format_loc(standard_loc),
                    f"Service {spec.slug!r} has version {open_standard.version} of its standard in "
                    f"{open_standard.status} in the back office: adopt or withdraw it there before "
                    "importing another standard.",
                )
            )
    return errors


class _Importer:
    def __init__(
        self, catalog: CatalogFile, state: _State, *, write: bool, progress: ProgressCallback | None
    ) -> None:
        self.catalog = catalog
        self.state = state
        self.write = write
        self.progress = progress
        self.report = ImportReport(dry_run=not write)

    def run(self) -> ImportReport:
        total = sum(1 for _item in self.catalog.services())
        done = 0
        for a, agency_spec in enumerate(self.catalog.agencies):
            agency = self._agency(agency_spec, ("agencies", a))
            for u, unit_spec in enumerate(agency_spec.units):
                unit_loc: Loc = ("agencies", a, "units", u)
                unit = self._unit(agency, agency_spec, unit_spec, unit_loc)
                self._promise(unit, unit_spec, unit_loc)
                for s, service_spec in enumerate(unit_spec.services):
                    self._service(unit, service_spec, (*unit_loc, "services", s))
                    done += 1
                    if self.progress is not None:
                        self.progress(done, total)
        return self.report

    def _count(self, kind: str, outcome: Literal["created", "updated", "unchanged"]) -> None:
        getattr(self.report, outcome)[kind] += 1

    def _agency(self, spec: AgencyIn, loc: Loc) -> Agency | None:
        region = self.state.regions[spec.region]
        values: AgencyChanges = {
            "name": spec.name,
            "short_name": spec.short_name,
            "kind": spec.kind,
            "region": region,
            "duties": spec.duties,
            "website": spec.website,
            "is_active": spec.is_active,
        }
        agency = self.state.agencies.get(spec.slug)
        if agency is None:
            self._count("agency", "created")
            if not self.write:
                return None
            return _call(loc, create_agency, actor=None, slug=spec.slug, **values)
        if not _changed_fields(agency, values):
            self._count("agency", "unchanged")
            return agency
        self._count("agency", "updated")
        return _call(loc, update_agency, agency, actor=None, **values) if self.write else agency

    def _unit(
        self, agency: Agency | None, agency_spec: AgencyIn, spec: UnitIn, loc: Loc
    ) -> ServiceUnit | None:
        region = self.state.regions[spec.region]
        values: UnitChanges = {
            "name": spec.name,
            "region": region,
            "address": spec.address,
            "opens_at": spec.opens_at,
            "closes_at": spec.closes_at,
            "cutoff_at": spec.cutoff_at,
            "works_saturday": spec.works_saturday,
            "observes_cuti_bersama": spec.observes_cuti_bersama,
            "is_active": spec.is_active,
        }
        unit = self.state.units.get((agency_spec.slug, spec.slug))
        if unit is None:
            self._count("unit", "created")
            if not self.write:
                return None
            assert agency is not None
            return _call(loc, create_service_unit, agency, actor=None, slug=spec.slug, **values)
        if not _changed_fields(unit, values):
            self._count("unit", "unchanged")
            return unit
        self._count("unit", "updated")
        return _call(loc, update_service_unit, unit, actor=None, **values) if self.write else unit

    def _promise(self, unit: ServiceUnit | None, spec: UnitIn, loc: Loc) -> None:
        promise = spec.service_promise
        if promise is None:
            return
        content = (promise.text, promise.signatory_name, promise.signatory_title, promise.signed_on)
        if unit is not None and content in self.state.promises.get(unit.pk, set()):
            self._count("service_promise", "unchanged")
            return
        self._count("service_promise", "created")
        if self.write:
            assert unit is not None
            _call(
                (*loc, "service_promise"),
                catalog_actions.set_service_promise,
                unit,
                actor=None,
                text=promise.text,
                signatory_name=promise.signatory_name,
                signatory_title=promise.signatory_title,
                signed_on=promise.signed_on,
            )

    def _service(self, unit: ServiceUnit | None, spec: ServiceIn, loc: Loc) -> None:
        existing = self.state.services.get(spec.slug)
        service = existing
        events = sorted(set(spec.life_events))
        if existing is None:
            self._count("service", "created")
            if self.write:
                assert unit is not None
                service = _call(
                    loc,
                    catalog_actions.create_service,
                    unit,
                    actor=None,
                    slug=spec.slug,
                    name=spec.name,
                    summary=spec.summary,
                    channel=spec.channel,
                    keywords=spec.keywords,
                    counter_location=spec.counter_location,
                    life_events=events,
                    is_active=spec.is_active,
                )
        else:
            wanted: ServiceChanges = {
                "name": spec.name,
                "summary": spec.summary,
                "keywords": spec.keywords,
                "channel": spec.channel,
                "counter_location": spec.counter_location,
                "is_active": spec.is_active,
            }
            changes = cast(
                ServiceChanges,
                {key: value for key, value in wanted.items() if getattr(existing, key) != value},
            )
            if unit is None or existing.unit_id != unit.pk:
                changes["unit"] = unit  # type: ignore[typeddict-item]
            new_events = events if sorted(tag.event for tag in existing.life_events.all()) != events else None
            if changes or new_events is not None:
                self._count("service", "updated")
                if self.write:
                    service = _call(
                        loc,
                        catalog_actions.update_service,
                        existing,
                        actor=None,
                        life_events=new_events,
                        **changes,
                    )
            else:
                self._count("service", "unchanged")
        if spec.standard is not None:
            self._standard(service if self.write else None, existing, spec.standard, (*loc, "standard"))

    def _standard(
        self, service: Service | None, existing: Service | None, spec: StandardIn, loc: Loc
    ) -> None:
        """``service``: the one to write to (None in a dry run); ``existing``: as it was loaded."""
        if _standard_is_current(existing, spec):
            self._count("standard", "unchanged")
            return
        had_one = existing is not None and existing.adopted_standard_id is not None
        self._count("standard", "updated" if had_one else "created")
        if service is None:
            return
        draft = _call(loc, catalog_actions.start_standard_draft, service, actor=None)
        draft = _call(
            loc,
            catalog_actions.update_standard_draft,
            draft,
            actor=None,
            published=spec.published_json(),
            internal=spec.internal_values(),
            change_note=spec.change_note,
        )
        _call(
            loc,
            catalog_actions.adopt_standard,
            draft,
            actor=None,
            decree_number=spec.decree_number,
            decree_date=spec.decree_date,
        )


_P = ParamSpec("_P")
_T = TypeVar("_T")


def _call(loc: Loc, action: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """Run an action; its refusal becomes an ``ImportApplyError`` that names the place in the file."""
    try:
        return action(*args, **kwargs)
    except ValidationError as error:
        raise ImportApplyError(loc, " ".join(error.messages)) from error
    except PermissionDenied as error:
        raise ImportApplyError(loc, str(error) or "permission denied") from error


def import_catalog(
    catalog: CatalogFile,
    *,
    document: ParsedDocument | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Bring the database to what ``catalog`` says (see the module docstring), in one transaction.

    Raises ``CatalogFileError`` (nothing written) when the database forbids a change, and
    ``ImportApplyError`` (everything rolled back) when an action refuses one. ``document`` gives
    the line numbers of those errors. ``dry_run`` counts what would change and writes nothing.
    """
    with transaction.atomic():
        state = _load_state(catalog)
        errors = _database_errors(catalog, document, state)
        if errors:
            raise CatalogFileError(errors)
        return _Importer(catalog, state, write=not dry_run, progress=progress).run()


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


class UnknownAgencyError(LookupError):
    """``export_catalog(agency=...)`` names no agency."""


def _clock(value: datetime.time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _standard_document(standard: ServiceStandard) -> dict[str, Any]:
    assert standard.decree_date is not None
    document: dict[str, Any] = {
        "decree_number": standard.decree_number,
        "decree_date": standard.decree_date,
        "change_note": standard.change_note,
    }
    published = _stored_published(standard)
    if isinstance(published, dict):
        document.update(published)
    document["internal"] = {name: getattr(standard, name) for name in INTERNAL_COMPONENTS}
    return document


def _service_document(service: Service, life_events: list[str]) -> dict[str, Any]:
    standard = service.adopted_standard
    return {
        "slug": service.slug,
        "name": service.name,
        "summary": service.summary,
        "keywords": service.keywords,
        "channel": service.channel,
        "counter_location": service.counter_location,
        "life_events": life_events,
        "is_active": service.is_active,
        "standard": _standard_document(standard) if standard is not None else None,
    }


def _promise_document(promise: ServicePromise | None) -> dict[str, Any] | None:
    if promise is None:
        return None
    return {
        "text": promise.text,
        "signatory_name": promise.signatory_name,
        "signatory_title": promise.signatory_title,
        "signed_on": promise.signed_on,
    }


def export_catalog(*, agency: str = "") -> dict[str, Any]:
    """The whole catalog (or one agency's) as a catalog document, in a deterministic order.

    Five queries whatever the size (agencies, units, promises, services with their adopted
    standard, life events), grouped here rather than by ``prefetch_related``, which copies a
    queryset per row.
    """
    agencies = Agency.objects.order_by("slug")
    if agency:
        agencies = agencies.filter(slug=agency)
    agency_list = list(agencies)
    if agency and not agency_list:
        raise UnknownAgencyError(agency)
    units = ServiceUnit.objects.filter(agency__in=agencies).order_by("agency_id", "slug")
    services = Service.objects.filter(unit__agency__in=agencies).select_related("adopted_standard")

    units_by_agency: dict[int, list[ServiceUnit]] = {}
    for unit in units:
        units_by_agency.setdefault(unit.agency_id, []).append(unit)
    promise_in_force: dict[int, ServicePromise] = {}
    for promise in ServicePromise.objects.filter(unit__agency__in=agencies).order_by(
        "unit_id", "-signed_on", "-id"
    ):
        promise_in_force.setdefault(promise.unit_id, promise)
    events: dict[int, list[str]] = {}
    for service_id, event in (
        ServiceLifeEvent.objects.filter(service__unit__agency__in=agencies)
        .order_by("service_id", "event")
        .values_list("service_id", "event")
    ):
        events.setdefault(service_id, []).append(event)
    services_by_unit: dict[int, list[dict[str, Any]]] = {}
    for service in services.order_by("slug"):
        services_by_unit.setdefault(service.unit_id, []).append(
            _service_document(service, events.get(service.pk, []))
        )

    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "agencies": [
            {
                "slug": item.slug,
                "name": item.name,
                "short_name": item.short_name,
                "kind": item.kind,
                "region": item.region_id,
                "duties": item.duties,
                "website": item.website,
                "is_active": item.is_active,
                "units": [
                    {
                        "slug": unit.slug,
                        "name": unit.name,
                        "region": unit.region_id,
                        "address": unit.address,
                        "opens_at": _clock(unit.opens_at),
                        "closes_at": _clock(unit.closes_at),
                        "cutoff_at": _clock(unit.cutoff_at),
                        "works_saturday": unit.works_saturday,
                        "observes_cuti_bersama": unit.observes_cuti_bersama,
                        "is_active": unit.is_active,
                        "service_promise": _promise_document(promise_in_force.get(unit.pk)),
                        "services": services_by_unit.get(unit.pk, []),
                    }
                    for unit in units_by_agency.get(item.pk, [])
                ],
            }
            for item in agency_list
        ],
    }


class _CatalogDumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """Block style, multi-line text as literal blocks, and quotes wherever a YAML 1.2 reader
    (this importer) would otherwise read text as a number, boolean or null."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _resolve_yaml_1_1(dumper: yaml.SafeDumper, value: str) -> str:
    resolve: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = dumper.resolve
    return resolve(yaml.ScalarNode, value, (True, False))


_LOOKS_NUMERIC = re.compile(r"[-+]?[0-9][-+0-9_.:]*")


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar(_STR_TAG, value, style="|")
    needs_quotes = (
        not value
        or _resolve_plain(value) != _STR_TAG  # YAML 1.2 (this importer)
        or _resolve_yaml_1_1(dumper, value) != _STR_TAG  # other readers (PyYAML and YAML 1.1)
        or _LOOKS_NUMERIC.fullmatch(value) is not None  # times, region codes: "08:00", "33.02"
    )
    return dumper.represent_scalar(_STR_TAG, value, style='"' if needs_quotes else None)


_CatalogDumper.add_representer(str, _represent_text)


def _json_default(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def dump_catalog(document: Mapping[str, Any], *, fmt: Literal["yaml", "json"] = "yaml") -> str:
    """The text of a catalog file (UTF-8, ends with a newline)."""
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    header = "# Layanan service catalog: format described in docs/catalog-format.md\n"
    return header + yaml.dump(
        document, Dumper=_CatalogDumper, allow_unicode=True, sort_keys=False, width=100, indent=2
    )


# ---------------------------------------------------------------------------------------------
# SIPPN CSV
# ---------------------------------------------------------------------------------------------

SIPPN_COLUMNS: tuple[str, ...] = (
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
)


def _numbered(lines: Iterable[str]) -> str:
    return "\n".join(f"{number}. {line}" for number, line in enumerate(lines, start=1))


def _requirement_line(item: Requirement) -> str:
    line = f"{item.name} ({DOCUMENT_FORM_LABELS[item.form]})"
    if item.issued_by:
        line += f"; {_('Issued by:')} {item.issued_by}"
    if item.condition:
        line += f"; {_('Only if')} {condition_text(item.condition)}"
    if item.note:
        line += f"; {item.note}"
    return line


def _fee_text(fee: Fee) -> str:
    if fee.is_free:
        lines = [str(_("Free of charge"))]
    else:
        lines = [
            _numbered(
                f"{item.label}: {rupiah(item.amount)} ({_('Legal basis:')} {item.legal_basis})"
                for item in fee.items
            )
        ]
    if fee.legal_basis:
        lines.append(f"{_('Legal basis:')} {fee.legal_basis}")
    if fee.note:
        lines.append(fee.note)
    return "\n".join(lines)


def _completion_text(time: CompletionTime) -> str:
    if time.starts_when_complete:
        counted = _("Counted from the day your application is complete.")
    else:
        counted = _("Counted from the day your application is received.")
    return f"{duration(time)}. {counted}"


def _product_line(product: Product) -> str:
    line = product.name
    if product.description:
        line += f" - {product.description}"
    if product.is_electronic:
        line += f" ({DOCUMENT_FORM_LABELS[DocumentForm.ELECTRONIC]})"
    return line


def _complaint_line(channel: ComplaintChannel) -> str:
    label = str(COMPLAINT_CHANNEL_LABELS[channel.kind])
    return f"{label}: {channel.detail}" if channel.detail else label


def sippn_rows(*, agency: str = "", language: str = "id") -> Iterator[list[str]]:
    """The header, then one row per published service with an adopted standard (SIPPN layout).

    Published: the service, its unit and its agency are active. Lists are numbered lines; texts
    (labels, connecting words) are in ``language``. Two queries.
    """
    services = (
        Service.objects.filter(
            is_active=True,
            unit__is_active=True,
            unit__agency__is_active=True,
            adopted_standard__isnull=False,
        )
        .select_related("unit__agency", "adopted_standard")
        .order_by("unit__agency__name", "unit__agency__slug", "unit__name", "unit__slug", "name", "slug")
    )
    if agency:
        if not Agency.objects.filter(slug=agency).exists():
            raise UnknownAgencyError(agency)
        services = services.filter(unit__agency__slug=agency)
    yield list(SIPPN_COLUMNS)
    with translation.override(language):
        for service in services:
            standard = service.adopted_standard
            assert standard is not None
            components = standard.components()
            if components is None:  # an adopted standard is always complete; be safe anyway
                continue
            yield [
                service.unit.agency.name,
                service.unit.name,
                service.name,
                _numbered(_requirement_line(item) for item in components.requirements),
                _numbered(
                    f"{STEP_ACTOR_LABELS[step.actor]}: {step.description}" for step in components.procedure
                ),
                _completion_text(components.completion_time),
                _fee_text(components.fee),
                _numbered(_product_line(product) for product in components.products),
                _numbered(_complaint_line(channel) for channel in components.complaint_channels),
                standard.decree_number,
                standard.decree_date.isoformat() if standard.decree_date else "",
            ]
