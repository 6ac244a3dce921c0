"""Complaint pages (public), included by ``layanan.complaints.urls``: the list of public reports
with the agencies' answers, the statistics per agency, and one report."""

from django.urls import path

from layanan.complaints.views import public

urlpatterns = [
    path("laporan/", public.report_list, name="public-list"),
    path("laporan/statistik/", public.report_statistics, name="public-stats"),
    path("laporan/<str:complaint>/", public.report_detail, name="public-detail"),
]
