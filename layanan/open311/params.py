"""Parsing and checking of Open311 arguments: the filters of ``GET requests`` and the form body of
``POST requests``. Bad input raises ``Open311Error`` with the HTTP status the spec asks for and
messages in the request's language; an argument sent empty counts as absent (spec)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from layanan.accounts.contact import normalise_email, normalise_phone
from layanan.complaints.models import ComplaintCategory
from layanan.open311.models import Open311Client
from layanan.open311.queries import RequestFilter, get_service, open311_services
from layanan.regions.models import Region

MAX_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000
MAX_IDS = 100
DESCRIPTION_MAX = 4000
TITLE_LENGTH = 80
IDEMPOTENCY_KEY_MAX = 80
ACCOUNT_ID_MAX = 80
_ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
_MAX_LATITUDE, _MAX_LONGITUDE = 90, 180
_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


class Open311Error(Exception):
    """A request the endpoint cannot fulfil: ``status`` and one or more descriptions."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(status, descriptions)
        self.status = status
        self.descriptions = list(descriptions)


def argument(data: QueryDict, name: str) -> str:
    """The argument ``name``, stripped ("" when absent or sent empty)."""
    return str(data.get(name) or "").strip()


def jurisdiction(data: QueryDict) -> Region | None:
    """The region named by ``jurisdiction_id`` (a Kemendagri code), ``None`` if not given; 404 if
    no such region exists."""
    code = argument(data, "jurisdiction_id")
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Open311Error(404, _("jurisdiction_id %(code)s was not found.") % {"code": code[:20]})
    return region


def _datetime(data: QueryDict, name: str) -> datetime | None:
    raw = argument(data, name)
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None or timezone.is_naive(value):
        raise Open311Error(
            400,
            _("%(name)s must be a date and time with a time zone, like 2026-03-02T08:15:30+07:00.")
            % {"name": name},
        )
    return value


def _list(data: QueryDict, name: str) -> list[str]:
    return [part.strip() for part in argument(data, name).split(",") if part.strip()]


def _window(data: QueryDict, now: datetime) -> tuple[datetime, datetime]:
    start, end = _datetime(data, "start_date"), _datetime(data, "end_date")
    if start is not None and end is not None:
        if end < start:
            raise Open311Error(400, _("end_date must not be before start_date."))
        if end - start > MAX_WINDOW:
            raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
        return start, end
    if start is not None:
        return start, min(now, start + MAX_WINDOW)
    if end is not None:
        return end - MAX_WINDOW, end
    return now - MAX_WINDOW, now


def _positive(data: QueryDict, name: str, default: int, maximum: int) -> int:
    raw = argument(data, name)
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise Open311Error(
            400, _("%(name)s must be a whole number from 1 to %(max)d.") % {"name": name, "max": maximum}
        )
    return int(raw)


def request_filter(data: QueryDict, *, now: datetime) -> RequestFilter:
    """The filters of ``GET requests``; the default window is the last 90 days, 1,000 at most.
    ``page`` and ``page_size`` are the common pagination extension."""
    region = jurisdiction(data)
    page_size = _positive(data, "page_size", MAX_RESULTS, MAX_RESULTS)
    page = _positive(data, "page", 1, 1_000_000)
    area, offset = (region.code if region else ""), (page - 1) * page_size
    references = _list(data, "service_request_id")
    if references:
        if len(references) > MAX_IDS:
            raise Open311Error(
                400, _("Ask for at most %(max)d service_request_id at once.") % {"max": MAX_IDS}
            )
        return RequestFilter(references=references, jurisdiction=area, offset=offset, limit=page_size)
    codes = _list(data, "service_code")
    known = set(open311_services().filter(slug__in=codes).values_list("slug", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": unknown[0][:60]})
    statuses = _list(data, "status")
    if any(status not in {"open", "closed"} for status in statuses):
        raise Open311Error(400, _("status must be open, closed, or both separated by a comma."))
    start, end = _window(data, now)
    return RequestFilter(
        service_codes=codes,
        start=start,
        end=end,
        statuses=statuses,
        jurisdiction=area,
        offset=offset,
        limit=page_size,
    )


# --- POST requests --------------------------------------------------------------------------


@dataclass
class Submission:
    """A checked ``POST requests`` body, ready for ``submit_complaint``."""

    category: ComplaintCategory
    region: Region
    title: str
    description: str
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    reporter_details: dict[str, str] = field(default_factory=dict)
    account_id: str = ""
    is_anonymous: bool = False
    is_confidential: bool = False


def title_from(description: str) -> str:
    """The report's title: the description's first line, cut after a word at about 80 characters."""
    first_line = " ".join(description.strip().splitlines()[0].split()) if description.strip() else ""
    if len(first_line) <= TITLE_LENGTH:
        return first_line
    cut = first_line[:TITLE_LENGTH].rsplit(" ", 1)[0] or first_line[:TITLE_LENGTH]
    return cut.rstrip(" ,.;:-") + "…"


def attributes_of(data: QueryDict) -> dict[str, Any]:
    """``attribute[code]=v`` and ``attribute[code][]=v1&attribute[code][]=v2`` (a list)."""
    answers: dict[str, Any] = {}
    for key in data:
        match = _ATTRIBUTE_KEY.match(key)
        if match is None:
            continue
        values = [str(v).strip() for v in data.getlist(key) if str(v).strip()]
        if not values:
            continue
        answers[match.group(1)] = values if match.group(2) or len(values) > 1 else values[0]
    return answers


def _known_attributes(category: ComplaintCategory, answers: dict[str, Any]) -> dict[str, Any]:
    """Only the answers to the service's own attributes are kept."""
    kept: dict[str, Any] = {}
    for attribute in category.attributes or []:
        code = str(attribute.get("code"))
        if code not in answers:
            continue
        value = answers[code]
        # ``attribute[code][]`` with one value for a single-value list, and the reverse.
        if attribute.get("datatype") == "multivaluelist" and not isinstance(value, list):
            value = [value]
        elif attribute.get("datatype") != "multivaluelist" and isinstance(value, list) and len(value) == 1:
            value = value[0]
        kept[code] = value
    return kept


def _flag(data: QueryDict, name: str) -> bool:
    raw = argument(data, name).lower()
    if raw in _TRUE:
        return True
    if not raw or raw in _FALSE:
        return False
    raise Open311Error(400, _("%(name)s must be true or false.") % {"name": name})


def _coordinates(data: QueryDict) -> tuple[Decimal | None, Decimal | None]:
    lat, lon = argument(data, "lat"), argument(data, "long")
    if bool(lat) != bool(lon):
        raise Open311Error(400, _("Send lat and long together."))
    if not lat:
        return None, None
    try:
        latitude, longitude = Decimal(lat), Decimal(lon)
    except InvalidOperation:
        latitude = longitude = Decimal("NaN")
    if not (
        latitude.is_finite()
        and longitude.is_finite()
        and abs(latitude) <= _MAX_LATITUDE
        and abs(longitude) <= _MAX_LONGITUDE
    ):
        raise Open311Error(400, _("lat and long must be decimal degrees (WGS84), like -7.4245 and 109.2302."))
    return latitude, longitude


def _region(data: QueryDict, client: Open311Client) -> Region:
    """Where the report is: ``address_id`` (a village or district code), else ``jurisdiction_id``,
    else the client's own jurisdiction."""
    named = jurisdiction(data)
    address_id = argument(data, "address_id")
    region = named
    if address_id:
        region = Region.objects.filter(code=address_id).first()
        if region is None:
            raise Open311Error(400, _("address_id must be the code of a village or district."))
        if named is not None and not (region.code + ".").startswith(named.code + "."):
            raise Open311Error(400, _("address_id is not inside jurisdiction_id."))
    if region is None and client.region is not None:
        region = client.region
    if region is None:
        raise Open311Error(400, _("Send jurisdiction_id: the code of the regency or city of the report."))
    if region.level < Region.Level.REGENCY:
        raise Open311Error(400, _("jurisdiction_id must be a regency or city code, or a region below one."))
    if not client.covers(region):
        raise Open311Error(403, _("This api_key may not submit reports in this jurisdiction."))
    return region


def _reporter(data: QueryDict) -> dict[str, str]:
    details: dict[str, str] = {}
    name = " ".join(f"{argument(data, 'first_name')} {argument(data, 'last_name')}".split())
    if name:
        details["name"] = name[:150]
    try:
        if argument(data, "email"):
            details["email"] = normalise_email(argument(data, "email"))
        if argument(data, "phone"):
            details["phone"] = normalise_phone(argument(data, "phone"))
    except ValidationError as error:
        raise Open311Error(400, *error.messages) from None
    return details


def submission(data: QueryDict, client: Open311Client) -> Submission:
    """Check a ``POST requests`` body. Open311 names the fields; the messages say which one."""
    code = argument(data, "service_code")
    if not code:
        raise Open311Error(400, _("Send service_code (see services.json)."))
    category = get_service(code)
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code[:60]})
    region = _region(data, client)
    latitude, longitude = _coordinates(data)
    address = argument(data, "address_string")
    if latitude is None and not address and not argument(data, "address_id"):
        raise Open311Error(400, _("Send the location: lat and long, address_string, or address_id."))
    description = str(data.get("description") or "").strip()
    if not description:
        raise Open311Error(400, _("Send a description of the problem."))
    if len(description) > DESCRIPTION_MAX:
        raise Open311Error(400, _("description may have at most 4,000 characters."))
    details = _reporter(data)
    account_id = argument(data, "account_id")[:ACCOUNT_ID_MAX]
    if account_id:
        details["open311_account_id"] = account_id
    return Submission(
        category=category,
        region=region,
        title=title_from(description),
        description=description,
        address=address,
        latitude=latitude,
        longitude=longitude,
        attributes=_known_attributes(category, attributes_of(data)),
        reporter_details=details,
        account_id=account_id,
        is_anonymous=_flag(data, "anonymous"),
        is_confidential=_flag(data, "confidential"),
    )


# Fields of ``submit_complaint``'s errors, by their Open311 names.
OPEN311_FIELDS: Mapping[str, str] = {
    "title": "description",
    "body": "description",
    "region": "jurisdiction_id",
    "location": "lat/long",
    "category": "service_code",
}
