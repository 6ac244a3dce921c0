"""Reads for Open311: the services (complaint categories) and the public service requests.

Only public reports are ever read here: not confidential (*rahasia*), not the protected channel
(*pungli*), and verified by a coordinator (``Complaint.is_public``). A report the public may not
see does not exist for Open311: it is never listed, and asking for it answers 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Q, QuerySet

from layanan.complaints.models import Complaint, ComplaintCategory
from layanan.complaints.queries_public import public_reports
from layanan.open311.models import Open311Client

# Internal states that Open311 reports as ``closed``; every other state is ``open``.
CLOSED_STATES = frozenset({"resolved", "closed", "archived", "rerouted"})
# How deep the address goes up from the report's region: village, district, regency, province.
_REGION_CHAIN = "region__parent__parent__parent"
_REGION_FIELDS = tuple(
    f"{prefix}__{column}"
    for prefix in ("region", "region__parent", "region__parent__parent", "region__parent__parent__parent")
    for column in ("code", "name", "postal_code", "parent")
)
# The columns a service request is built from: the report's public fields, never the reporter's.
RESPONSE_FIELDS = (
    "id",
    "reference",
    "kind",
    "body",
    "state",
    "is_open",
    "due_date",
    "state_entered_at",
    "submitted_at",
    "updated_at",
    "resolved_at",
    "closed_at",
    "location_text",
    "latitude",
    "longitude",
    "region",
    *_REGION_FIELDS,
    "category",
    "category__slug",
    "category__name",
    "category__name_en",
    "agency",
    "agency__name",
)


def open311_services() -> QuerySet[ComplaintCategory]:
    """The categories offered as Open311 services: active, and not the protected channel."""
    return ComplaintCategory.objects.filter(is_active=True, is_protected=False).order_by("sort_order", "name")


def get_service(code: str) -> ComplaintCategory | None:
    return open311_services().filter(slug=code).first()


def services_changed_at() -> datetime | None:
    """When a service (category) last changed: the discovery document's ``changeset``."""
    latest: datetime | None = ComplaintCategory.objects.aggregate(latest=Max("updated_at"))["latest"]
    return latest


def public_requests() -> QuerySet[Complaint]:
    """Every report Open311 may show, newest first, with what a response needs in one query.

    The same reports as the public pages (``queries_public.public_reports``: the one rule of what
    is public), and only the columns of ``RESPONSE_FIELDS``: never a reporter column."""
    return (
        public_reports()
        .select_related("category", "agency", _REGION_CHAIN)
        .only(*RESPONSE_FIELDS)
        .order_by("-submitted_at", "-id")
    )


def in_region(code: str) -> Q:
    """Reports located in the region ``code`` or below it."""
    return Q(region_id=code) | Q(region__code__startswith=code + ".")


@dataclass(frozen=True)
class RequestFilter:
    """The arguments of ``GET requests``, already checked (``layanan.open311.params``)."""

    references: Sequence[str] = ()
    service_codes: Sequence[str] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: Sequence[str] = ()
    jurisdiction: str = ""
    offset: int = 0
    limit: int = 1000


def find_requests(query: RequestFilter) -> list[Complaint]:
    """The public reports matching ``query`` (``service_request_id`` overrides the rest)."""
    found = public_requests()
    if query.jurisdiction:
        found = found.filter(in_region(query.jurisdiction))
    if query.references:
        return list(found.filter(reference__in=query.references)[: query.limit])
    if query.service_codes:
        found = found.filter(category__slug__in=query.service_codes)
    if query.start is not None:
        found = found.filter(submitted_at__gte=query.start)
    if query.end is not None:
        found = found.filter(submitted_at__lte=query.end)
    if set(query.statuses) == {"open"}:
        found = found.exclude(state__in=CLOSED_STATES)
    elif set(query.statuses) == {"closed"}:
        found = found.filter(state__in=CLOSED_STATES)
    return list(found[query.offset : query.offset + query.limit])


def get_public_request(reference: str, *, jurisdiction: str = "") -> Complaint | None:
    found = public_requests().filter(reference=reference)
    if jurisdiction:
        found = found.filter(in_region(jurisdiction))
    return found.first()


def clients_for_admin() -> QuerySet[Open311Client]:
    """Every client, newest first, with its jurisdiction and creator (the admin list)."""
    return Open311Client.objects.select_related("region", "created_by").order_by("-created_at", "-id")
