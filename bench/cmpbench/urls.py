"""Layanan's URLconf, the bare insert view, and the complaints API router in front (on an API of
its own, so the benchmark runs whether or not ``layanan/api.py`` mounts it yet)."""

from appbench import views
from django.urls import path
from ninja import NinjaAPI

from layanan.complaints.api import router
from layanan.urls import handler400, handler403, handler404, handler500
from layanan.urls import urlpatterns as layanan_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

complaints_api = NinjaAPI(urls_namespace="cmpbench-api", docs_url=None, openapi_url=None)
complaints_api.add_router("/", router)

urlpatterns = [
    path("bench/bare-insert", views.bare_insert),
    path("api/v1/", complaints_api.urls),
    *layanan_urlpatterns,
]
