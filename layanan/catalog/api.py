"""Public catalog API (django-ninja), mounted at /api/v1/ by layanan/api.py.

Read-only and anonymous: what the public catalog pages show, as JSON.

* ``GET /api/v1/agencies``: active agencies with their active units.
* ``GET /api/v1/services?q=&agency=&life_event=&limit=&offset=``: published services (the service,
  its unit and its agency are active). ``q`` ranks by relevance (``search_services``, at most
  ``SEARCH_MAX_RESULTS`` results); without ``q`` the order is agency name, then service name.
* ``GET /api/v1/services/{slug}``: one published service with its adopted standard.

The standard in the API holds the decree and the **6 published components** only (requirements,
procedure, completion time, fee, products, complaint channels), the same as the public service
page. The 8 internal components (legal basis, facilities, staff competence, supervision, staff
count, guarantees, performance evaluation) are the *manufacturing* side of the standard in
Permen PANRB 15/2014: they are for the unit's management and its oversight, are not shown on the
public pages, and stay available to operators in the full catalog export (``export_catalog``).

Bad parameters are answered with 422 and ``{"detail": [{"loc": [...], "msg": ..., "type": ...}]}``
(the shape django-ninja uses for its own validation errors), an unknown slug with 404 and
``{"detail": "..."}``; never a 500.
"""

from __future__ import annotations

import datetime
from typing import Annotated

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BeforeValidator, Field

from layanan.accounts.models import Agency, ServiceUnit
from layanan.accounts.queries import public_agencies
from layanan.catalog.models import Service, ServicePromise
from layanan.catalog.queries import (
    current_promise,
    public_service_detail,
    public_services,
    public_services_by_rank,
)
from layanan.catalog.search import search_services
from layanan.catalog.standard import (
    ComplaintChannel,
    CompletionTime,
    Fee,
    ProcedureStep,
    Product,
    Requirement,
)

router = Router(tags=["catalog"])

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
SEARCH_MAX_RESULTS = 500
QUERY_MAX_LENGTH = 200


# --- Schemas --------------------------------------------------------------------------------------


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[ErrorItem]


class NotFoundOut(Schema):
    detail: str


class RegionOut(Schema):
    code: str = Field(description="Kemendagri region code, e.g. 33.02.")
    name: str


class UnitOut(Schema):
    slug: str
    name: str
    address: str
    opens_at: datetime.time
    closes_at: datetime.time
    cutoff_at: datetime.time = Field(
        description="Applications after this time count from the next working day."
    )
    works_saturday: bool


class AgencyOut(Schema):
    slug: str
    name: str
    short_name: str
    kind: Agency.Kind
    region: RegionOut
    website: str
    units: list[UnitOut]


class AgencyRef(Schema):
    slug: str
    name: str
    short_name: str


class UnitRef(Schema):
    slug: str
    name: str


class ServiceSummaryOut(Schema):
    slug: str
    name: str
    summary: str
    channel: Service.Channel
    agency: AgencyRef
    unit: UnitRef
    life_events: list[Service.LifeEvent]
    has_adopted_standard: bool
    url: str = Field(description="The public page of the service.")


class ServiceListOut(Schema):
    count: int = Field(description="Services matching the filters (search: at most 500).")
    limit: int
    offset: int
    items: list[ServiceSummaryOut]


class StandardOut(Schema):
    """The adopted standard: its decree and its 6 published components."""

    version: int
    decree_number: str
    decree_date: datetime.date
    adopted_at: datetime.datetime | None
    requirements: list[Requirement]
    procedure: list[ProcedureStep]
    completion_time: CompletionTime
    fee: Fee
    products: list[Product]
    complaint_channels: list[ComplaintChannel]


class ServicePromiseOut(Schema):
    """The unit's service promise (*maklumat pelayanan*) in force."""

    text: str
    signatory_name: str
    signatory_title: str
    signed_on: datetime.date


class UnitDetailOut(UnitOut):
    region: RegionOut
    service_promise: ServicePromiseOut | None


class ServiceDetailOut(Schema):
    slug: str
    name: str
    summary: str
    keywords: str
    channel: Service.Channel
    counter_location: str
    life_events: list[Service.LifeEvent]
    agency: AgencyRef
    unit: UnitDetailOut
    url: str
    updated_at: datetime.datetime
    standard: StandardOut | None = Field(description="Null while no version is adopted.")


def _empty_is_none(value: object) -> object:
    """``?life_event=`` (what an HTML form sends for "any") means no filter."""
    return None if value == "" else value


class ServiceFilters(Schema):
    q: Annotated[str, Field(max_length=QUERY_MAX_LENGTH, description="Words to search for.")] = ""
    agency: Annotated[str, Field(max_length=80, description="Agency slug.")] = ""
    life_event: Annotated[Service.LifeEvent | None, BeforeValidator(_empty_is_none)] = Field(
        None, description="Life event key."
    )
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    offset: Annotated[int, Field(ge=0)] = 0


# --- Helpers --------------------------------------------------------------------------------------


def _region(region_code: str, region_name: str) -> dict[str, str]:
    return {"code": region_code, "name": region_name}


def _unit(unit: ServiceUnit) -> dict[str, object]:
    return {
        "slug": unit.slug,
        "name": unit.name,
        "address": unit.address,
        "opens_at": unit.opens_at,
        "closes_at": unit.closes_at,
        "cutoff_at": unit.cutoff_at,
        "works_saturday": unit.works_saturday,
    }


def _agency_ref(agency: Agency) -> dict[str, str]:
    return {"slug": agency.slug, "name": agency.name, "short_name": agency.short_name}


def _summary(request: HttpRequest, service: Service) -> dict[str, object]:
    return {
        "slug": service.slug,
        "name": service.name,
        "summary": service.summary,
        "channel": service.channel,
        "agency": _agency_ref(service.unit.agency),
        "unit": {"slug": service.unit.slug, "name": service.unit.name},
        "life_events": sorted(tag.event for tag in service.life_events.all()),
        "has_adopted_standard": service.adopted_standard_id is not None,
        "url": request.build_absolute_uri(service.get_absolute_url()),
    }


def _promise(promise: ServicePromise | None) -> dict[str, object] | None:
    if promise is None:
        return None
    return {
        "text": promise.text,
        "signatory_name": promise.signatory_name,
        "signatory_title": promise.signatory_title,
        "signed_on": promise.signed_on,
    }


def _standard(service: Service) -> dict[str, object] | None:
    standard = service.adopted_standard
    components = standard.components() if standard is not None else None
    if standard is None or components is None or standard.decree_date is None:
        return None
    return {
        "version": standard.version,
        "decree_number": standard.decree_number,
        "decree_date": standard.decree_date,
        "adopted_at": standard.adopted_at,
        **components.model_dump(),
    }


# --- Endpoints ------------------------------------------------------------------------------------


@router.get("/agencies", response=list[AgencyOut], summary="Active agencies with their active units")
def list_agencies(request: HttpRequest) -> list[dict[str, object]]:
    """Every active agency (*instansi*), by name, with its active service units (two queries)."""
    return [
        {
            "slug": agency.slug,
            "name": agency.name,
            "short_name": agency.short_name,
            "kind": agency.kind,
            "region": _region(agency.region.code, agency.region.name),
            "website": agency.website,
            "units": [_unit(unit) for unit in agency.units.all()],
        }
        for agency in public_agencies()
    ]


@router.get(
    "/services",
    response={200: ServiceListOut, 422: ValidationErrorOut},
    summary="Published services, searched and filtered",
)
def list_services(
    request: HttpRequest, filters: Query[ServiceFilters]
) -> dict[str, object] | Status[dict[str, object]]:
    """Published services. ``q`` searches (best match first); ``agency`` (slug) and ``life_event``
    filter; ``limit`` (1-100) and ``offset`` page. A constant number of queries per page."""
    agency = filters.agency.strip()
    life_event = filters.life_event.value if filters.life_event is not None else ""
    if agency and not Agency.objects.filter(slug=agency, is_active=True).exists():
        message = f"No active agency has the slug {agency!r}."
        return Status(
            422, {"detail": [{"loc": ["query", "agency"], "msg": message, "type": "unknown_agency"}]}
        )
    query = filters.q.strip()
    window = slice(filters.offset, filters.offset + filters.limit)
    if query:
        ids = search_services(query, agency=agency, life_event=life_event, limit=SEARCH_MAX_RESULTS)
        count = len(ids)
        page = public_services_by_rank(ids[window])
        prefetch_related_objects(page, "life_events")
    else:
        services = public_services(life_event=life_event, agency=agency).order_by(
            "unit__agency__name", "unit__agency_id", "name", "pk"
        )
        count = services.count()
        page = list(services.prefetch_related("life_events")[window]) if filters.offset < count else []
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_summary(request, service) for service in page],
    }


@router.get(
    "/services/{slug}",
    response={200: ServiceDetailOut, 404: NotFoundOut},
    summary="One published service with its adopted standard",
)
def get_service(request: HttpRequest, slug: str) -> dict[str, object]:
    """A published service, its unit (opening hours, service promise) and its adopted standard
    (decree and the 6 published components). Three queries."""
    service = public_service_detail().select_related("unit__region").filter(slug=slug).first()
    if service is None:
        raise HttpError(404, f"No published service has the slug {slug!r}.")
    unit = service.unit
    return {
        "slug": service.slug,
        "name": service.name,
        "summary": service.summary,
        "keywords": service.keywords,
        "channel": service.channel,
        "counter_location": service.counter_location,
        "life_events": sorted(tag.event for tag in service.life_events.all()),
        "agency": _agency_ref(unit.agency),
        "unit": {
            **_unit(unit),
            "region": _region(unit.region.code, unit.region.name),
            "service_promise": _promise(current_promise(unit)),
        },
        "url": request.build_absolute_uri(service.get_absolute_url()),
        "updated_at": service.updated_at,
        "standard": _standard(service),
    }
