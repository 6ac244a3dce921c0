"""Layanan's URLconf plus the two bare bench views (bench settings only)."""

from django.urls import path

from appbench import views
from layanan.urls import handler400, handler403, handler404, handler500
from layanan.urls import urlpatterns as layanan_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

urlpatterns = [
    path("bench/bare-insert", views.bare_insert),
    path("bench/bare-select/<str:tracking_number>", views.bare_select),
    *layanan_urlpatterns,
]
