"""The Open311 documents as plain data, for ``layanan.open311.formats`` to render.

Nothing here reads personal data into a response: a service request carries the report's public
fields only (no name, e-mail, phone or account; the reporter columns are not even selected, see
``layanan.open311.queries``), and its ``description`` is scrubbed of anything that looks like a NIK,
a phone number or an e-mail address (``layanan.core.logging.redact``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from layanan.complaints.models import Complaint, ComplaintCategory
from layanan.core.logging import redact
from layanan.open311.queries import CLOSED_STATES
from layanan.regions.models import Region
from layanan.workflow.defaults import COMPLAINT_WORKFLOW, INFORMATION_REQUEST_WORKFLOW

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
DESCRIPTION_MAX = 4000  # the spec's limit
_ATTRIBUTE_DATATYPES = frozenset(
    {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
)


def w3c(moment: datetime | None) -> str | None:
    """``2026-03-02T08:15:30+07:00``: the W3C date-time with its mandatory time zone."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _keywords(category: ComplaintCategory) -> str | None:
    words = list(dict.fromkeys(category.keywords.split()))
    return ", ".join(words) if words else None


def service_entry(category: ComplaintCategory, language: str) -> dict[str, Any]:
    """One entry of ``GET services``."""
    return {
        "service_code": category.slug,
        "service_name": category.display_name(language),
        "description": category.description or None,
        "metadata": bool(category.attributes),
        "type": "realtime",
        "keywords": _keywords(category),
        "group": None,
    }


def _attribute(raw: Mapping[str, Any], position: int) -> dict[str, Any]:
    datatype = str(raw.get("datatype", "string"))
    values = raw.get("values") or []
    return {
        "variable": bool(raw.get("variable", True)),
        "code": str(raw.get("code", "")),
        "datatype": datatype if datatype in _ATTRIBUTE_DATATYPES else "string",
        "required": bool(raw.get("required", False)),
        "datatype_description": str(raw.get("datatype_description") or "") or None,
        "order": int(raw.get("order") or position),
        "description": str(raw.get("description", "")),
        "values": [{"key": str(v.get("key", "")), "name": str(v.get("name", ""))} for v in values],
    }


def service_definition(category: ComplaintCategory) -> dict[str, Any]:
    """``GET services/{service_code}``: the attributes a request of this service answers."""
    attributes = [_attribute(raw, n) for n, raw in enumerate(category.attributes or [], start=1)]
    return {"service_code": category.slug, "attributes": attributes}


def status_of(complaint: Complaint) -> str:
    return "closed" if complaint.state in CLOSED_STATES else "open"


def status_notes(complaint: Complaint) -> str:
    """The report's state in words, in the request's language (the detail behind open/closed)."""
    for definition in (COMPLAINT_WORKFLOW, INFORMATION_REQUEST_WORKFLOW):
        if definition.has_state(complaint.state):
            return gettext(definition.state(complaint.state).label)
    return complaint.state


def _regions(region: Region | None) -> list[Region]:
    """The region and up to three parents (what ``queries.public_requests`` selected)."""
    chain: list[Region] = []
    while region is not None:
        chain.append(region)
        if len(chain) == 4:
            break
        region = region.parent
    return chain


def _address(complaint: Complaint, chain: list[Region]) -> str:
    parts = [complaint.location_text, *(r.name for r in chain)]
    return ", ".join(part for part in parts if part)


def _expected(complaint: Complaint) -> str | None:
    if status_of(complaint) == "closed" or not complaint.has_due_date:
        return None
    due = datetime.combine(complaint.due_date, time(23, 59, 59), tzinfo=timezone.get_current_timezone())
    return w3c(due)


def _updated(complaint: Complaint) -> datetime:
    if status_of(complaint) == "closed":
        return complaint.closed_at or complaint.resolved_at or complaint.state_entered_at
    return complaint.updated_at


def _description(complaint: Complaint) -> str:
    text = redact(complaint.body)
    if len(text) > DESCRIPTION_MAX:
        text = text[: DESCRIPTION_MAX - 1].rstrip() + "…"
    return text


def request_entry(complaint: Complaint, language: str) -> dict[str, Any]:
    """One service request of ``GET requests``: public fields only, in the spec's order."""
    chain = _regions(complaint.region)
    return {
        "service_request_id": complaint.reference,
        "status": status_of(complaint),
        "status_notes": status_notes(complaint),
        "service_name": complaint.category.display_name(language),
        "service_code": complaint.category.slug,
        "description": _description(complaint),
        "agency_responsible": complaint.agency.name if complaint.agency else None,
        "service_notice": None,
        "requested_datetime": w3c(complaint.submitted_at),
        "updated_datetime": w3c(_updated(complaint)),
        "expected_datetime": _expected(complaint),
        "address": _address(complaint, chain) or None,
        "address_id": complaint.region_id,
        "zipcode": next((r.postal_code for r in chain if r.postal_code), None),
        "lat": float(complaint.latitude) if complaint.latitude is not None else None,
        "long": float(complaint.longitude) if complaint.longitude is not None else None,
        "media_url": None,
    }
