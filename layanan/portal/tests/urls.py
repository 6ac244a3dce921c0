"""Test-only URL configuration: the project's URLs and error handlers, plus pages that fail on purpose
and a gallery of the shared components (never routed in production).

Use it with ``@pytest.mark.urls("layanan.portal.tests.urls")``.
"""

from __future__ import annotations

from typing import cast

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db.utils import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from layanan.portal.tests.gallery import component_gallery
from layanan.urls import handler400, handler403, handler404, handler500
from layanan.urls import urlpatterns as _project_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def bad_request(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("A test request the server refuses.")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def server_error(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("A test failure.")


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError("could not connect to server")


project_urlpatterns = cast("list[URLPattern | URLResolver]", _project_urlpatterns)
urlpatterns: list[URLPattern | URLResolver] = [
    path("uji/400/", bad_request),
    path("uji/403/", forbidden),
    path("uji/500/", server_error),
    path("uji/basis-data/", database_down),
    path("uji/komponen/", component_gallery, name="component-gallery"),
    *project_urlpatterns,
]
