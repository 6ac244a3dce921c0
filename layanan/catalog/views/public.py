from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from layanan.catalog.forms import ServiceFilterForm
from layanan.catalog.models import Service
from layanan.catalog.permissions import get_service_for_user
from layanan.catalog.queries import public_services


@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    form = ServiceFilterForm(request.GET or None)
    life_event = form.life_event() if form.is_bound else ""
    context = {
        "form": form,
        "services": list(public_services(life_event=life_event)),
        "life_event_label": Service.LifeEvent(life_event).label if life_event else "",
    }
    return render(request, "catalog/public/service_list.html", context)


@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_service_for_user(request.user, slug)
    return render(request, "catalog/public/service_detail.html", {"service": service})
