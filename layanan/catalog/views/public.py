"""The public service catalog: search and browse, a service's standard, its print version.

Every page works without JavaScript and answers GET only. Bad filter values never fail: the form
says what is wrong and the page shows what the other criteria find.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from layanan.accounts.models import Agency, ServiceUnit
from layanan.catalog.models import Service
from layanan.catalog.permissions import get_service_for_user
from layanan.catalog.queries import (
    agencies_with_service_counts,
    current_promise,
    life_event_counts,
    public_agency,
    public_services,
    public_services_by_rank,
)
from layanan.catalog.search import search_services
from layanan.catalog.standard import PublishedComponents
from layanan.catalog.templatetags.catalog_format import clock, duration, opening_hours, rupiah

SEARCH_LIMIT = 30
"""Search shows the best matches only: past these, more words find more than scrolling does."""
PAGE_SIZE = 40
QUERY_MAX_LENGTH = 200


class CatalogSearchForm(forms.Form):
    """The catalog's GET form: ``?q=`` words, ``?instansi=`` agency slug, ``?peristiwa=`` life event.

    Any combination works; an invalid value is reported and left out, the others still apply.
    """

    q = forms.CharField(
        label=gettext_lazy("What do you need?"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        help_text=gettext_lazy("Use your own words, for example: akta kelahiran, perpanjang SIM."),
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search", "spellcheck": "true"}),
        error_messages={"max_length": gettext_lazy("Use 200 characters or fewer.")},
    )
    instansi = forms.ChoiceField(
        label=gettext_lazy("Agency"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose an agency from the list.")},
    )
    peristiwa = forms.ChoiceField(
        label=gettext_lazy("Life event"),
        required=False,
        choices=[("", gettext_lazy("All life events")), *Service.LifeEvent.choices],
        error_messages={"invalid_choice": gettext_lazy("Choose a life event from the list.")},
    )

    def __init__(self, data: Any = None, *, agencies: Iterable[Agency] = ()) -> None:
        super().__init__(data)
        instansi = self.fields["instansi"]
        assert isinstance(instansi, forms.ChoiceField)
        instansi.choices = [("", _("All agencies")), *((agency.slug, agency.name) for agency in agencies)]

    def criteria(self) -> tuple[str, str, str]:
        """The valid ``(words, agency slug, life event key)``; an invalid one is ``""``."""
        if not self.is_bound:
            return "", "", ""
        self.is_valid()
        data = self.cleaned_data
        return str(data.get("q") or ""), str(data.get("instansi") or ""), str(data.get("peristiwa") or "")


def _page(request: HttpRequest, items: Any) -> Page[Any]:
    """One page of ``items``; a missing or impossible ``?page=`` shows the nearest page."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    agencies = agencies_with_service_counts()
    form = CatalogSearchForm(request.GET or None, agencies=agencies)
    query, agency, life_event = form.criteria()
    agency_names = {item.slug: item.name for item in agencies}
    context: dict[str, Any] = {
        "form": form,
        "query": query,
        "agency_name": agency_names.get(agency, ""),
        "life_event_label": Service.LifeEvent(life_event).label if life_event else "",
        "searching": bool(query or agency or life_event),
        "filters_open": bool(agency or life_event or form.errors),
        "services": [],
        "page_obj": None,
        "search_limit": SEARCH_LIMIT,
    }
    if query:
        ids = search_services(query, agency=agency, life_event=life_event, limit=SEARCH_LIMIT)
        context["services"] = public_services_by_rank(ids, agency=agency, life_event=life_event)
    elif agency or life_event:
        page_obj = _page(
            request, public_services(agency=agency, life_event=life_event).order_by("name", "pk")
        )
        context.update(page_obj=page_obj, services=page_obj.object_list, total=page_obj.paginator.count)
    if not context["services"]:
        # The landing page, and the page that found nothing, offer browsing instead.
        context.update(life_events=life_event_counts(), agencies=agencies)
    return render(request, "catalog/public/service_list.html", context)


@require_GET
def life_event(request: HttpRequest, key: str) -> HttpResponse:
    try:
        event = Service.LifeEvent(key)
    except ValueError as error:
        raise Http404(key) from error
    page_obj = _page(request, public_services(life_event=event.value))
    context = {
        "event": event,
        "page_obj": page_obj,
        "services": page_obj.object_list,
        "life_events": life_event_counts(),
        "form": CatalogSearchForm(),
    }
    return render(request, "catalog/public/life_event_detail.html", context)


@require_GET
def agency_services(request: HttpRequest, slug: str) -> HttpResponse:
    agency = public_agency(slug)
    if agency is None:
        raise Http404(slug)
    units = [unit for unit in agency.public_units if unit.public_services]  # type: ignore[attr-defined]
    for unit in units:
        unit.info_rows = _unit_rows(unit)
    context = {
        "agency": agency,
        "units": units,
        "service_count": sum(len(unit.public_services) for unit in units),
        "form": CatalogSearchForm(),
    }
    return render(request, "catalog/public/agency_detail.html", context)


@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_service_for_user(request.user, slug)
    return render(request, "catalog/public/service_detail.html", _standard_context(request, service))


@require_GET
def service_print(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_service_for_user(request.user, slug)
    return render(request, "catalog/public/service_print.html", _standard_context(request, service))


# --- The service page and its print version ---------------------------------------------------------


def _standard_context(request: HttpRequest, service: Service) -> dict[str, Any]:
    """What the service page and its print version show (the same facts, laid out twice)."""
    standard = service.adopted_standard
    components = standard.components() if standard is not None else None
    if components is None:
        standard = None  # an adopted standard that no longer validates is not shown half-read
    page_url = request.build_absolute_uri(service.get_absolute_url())
    context: dict[str, Any] = {
        "service": service,
        "unit": service.unit,
        "agency": service.unit.agency,
        "standard": standard,
        "components": components,
        "promise": current_promise(service.unit),
        "life_events": list(service.life_events.all()),
        "page_url": page_url,
        "crumbs": [
            {"label": _("Services"), "href": reverse("catalog:service-list")},
            {
                "label": service.unit.agency.name,
                "href": reverse("catalog:agency-services", args=[service.unit.agency.slug]),
            },
        ],
        "glance_rows": _glance_rows(service, components),
        "where_rows": _where_rows(service),
        "structured_data": _structured_data(request, service, components),
    }
    if components is not None and standard is not None:
        context.update(
            always_needed=[item for item in components.requirements if not item.condition],
            needed_if=[item for item in components.requirements if item.condition],
            fee_rows=[
                {
                    "label": item.label,
                    "value": format_html(
                        "<strong>{}</strong><br>{} {}",
                        rupiah(item.amount),
                        _("Legal basis:"),
                        item.legal_basis,
                    ),
                }
                for item in components.fee.items
            ],
            about_rows=[
                {"label": _("Adopted by decree"), "value": standard.decree_number},
                {"label": _("Date of the decree"), "value": _date(standard.decree_date)},
                {"label": _("Last changed"), "value": _date(standard.adopted_at)},
                {"label": _("Version"), "value": standard.version},
            ],
        )
    return context


def _date(value: Any) -> str:
    return str(date_filter(value, "j F Y")) if value else ""


def _fee_summary(components: PublishedComponents) -> Any:
    fee = components.fee
    if fee.is_free:
        return format_html("<strong>{}</strong>", _("Free of charge"))
    if len(fee.items) == 1:
        return rupiah(fee.items[0].amount)
    return format_html_join("; ", "{} ({})", ((rupiah(item.amount), item.label) for item in fee.items))


def _glance_rows(service: Service, components: PublishedComponents | None) -> list[dict[str, Any]]:
    agency = service.unit.agency
    rows: list[dict[str, Any]] = [
        {
            "label": _("Agency"),
            "value": format_html(
                '<a href="{}">{}</a>', reverse("catalog:agency-services", args=[agency.slug]), agency.name
            ),
        },
        {"label": _("Service unit"), "value": service.unit.name},
        *([{"label": _("Also called"), "value": service.keywords}] if service.keywords else []),
        {"label": _("How to apply"), "value": service.get_channel_display()},
    ]
    if components is not None:
        rows += [
            {"label": _("Completion time"), "value": duration(components.completion_time)},
            {"label": _("Fee"), "value": _fee_summary(components)},
            {
                "label": _("What you receive"),
                "value": ", ".join(product.name for product in components.products),
            },
        ]
    return rows


def _unit_rows(unit: ServiceUnit) -> list[dict[str, Any]]:
    """The address and opening hours of a unit, as summary-list rows."""
    return [
        *([{"label": _("Office address"), "value": unit.address}] if unit.address else []),
        {"label": _("Opening hours"), "value": opening_hours(unit)},
        {"label": _("Saturday"), "value": _("Open, same hours") if unit.works_saturday else _("Closed")},
    ]


def _where_rows(service: Service) -> list[dict[str, Any]]:
    unit = service.unit
    agency = unit.agency
    rows = _unit_rows(unit)
    if agency.website:
        rows.append(
            {
                "label": _("Agency website"),
                "value": format_html('<a href="{}" rel="external">{}</a>', agency.website, agency.website),
            }
        )
    return rows


def _iso_duration(components: PublishedComponents) -> str:
    """The completion time as an ISO 8601 duration (working days counted as days)."""
    time = components.completion_time
    return {"minutes": f"PT{time.value}M", "hours": f"PT{time.value}H"}.get(str(time.unit), f"P{time.value}D")


def _structured_data(
    request: HttpRequest, service: Service, components: PublishedComponents | None
) -> dict[str, Any]:
    """schema.org ``GovernmentService`` for search engines and assistants (JSON-LD)."""
    unit = service.unit
    agency = unit.agency
    page_url = request.build_absolute_uri(service.get_absolute_url())
    events = [str(tag.get_event_display()) for tag in service.life_events.all()]
    processing = {"processingTime": _iso_duration(components)} if components is not None else {}
    channels: list[dict[str, Any]] = []
    if service.is_at_counter:
        place: dict[str, Any] = {
            "@type": "Place",
            "name": service.counter_location or unit.name,
            "openingHoursSpecification": [
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
                    + (["Saturday"] if unit.works_saturday else []),
                    "opens": clock(unit.opens_at).replace(".", ":"),
                    "closes": clock(unit.closes_at).replace(".", ":"),
                }
            ],
        }
        if unit.address:
            place["address"] = unit.address
        channels.append(
            {
                "@type": "ServiceChannel",
                "name": str(Service.Channel.COUNTER.label),
                "servicePhysicalLocation": place,
                **processing,
            }
        )
    if service.is_online:
        channels.append(
            {
                "@type": "ServiceChannel",
                "name": str(Service.Channel.ONLINE.label),
                "serviceUrl": agency.website or page_url,
                **processing,
            }
        )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": service.name,
        "description": service.summary,
        "url": page_url,
        "serviceType": ", ".join(events) or service.name,
        "provider": {
            "@type": "GovernmentOrganization",
            "name": agency.name,
            "url": agency.website
            or request.build_absolute_uri(reverse("catalog:agency-services", args=[agency.slug])),
        },
        "areaServed": {"@type": "AdministrativeArea", "name": agency.region.name},
        "availableChannel": channels,
    }
    if components is not None:
        fee = components.fee
        if fee.is_free:
            offers: list[dict[str, Any]] = [
                {
                    "@type": "Offer",
                    "price": "0",
                    "priceCurrency": "IDR",
                    "description": str(_("Free of charge")),
                }
            ]
        else:
            offers = [
                {
                    "@type": "Offer",
                    "name": item.label,
                    "price": str(item.amount),
                    "priceCurrency": "IDR",
                    "description": item.legal_basis,
                }
                for item in fee.items
            ]
        data.update(
            offers=offers,
            serviceOutput=[{"@type": "Thing", "name": product.name} for product in components.products],
            termsOfService=request.build_absolute_uri(reverse("catalog:service-print", args=[service.slug])),
        )
    return data
