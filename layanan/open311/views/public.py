"""The endpoint's own page (``/open311/v2/``): what it is and where to start, for people."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from layanan.open311.views.api import endpoint_url


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "open311/public/index.html", {"endpoint": endpoint_url()})
