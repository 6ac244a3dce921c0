"""Complaint pages (staff), under ``/petugas/pengaduan/``; included by ``layanan.complaints.urls``.

``ekspor.csv`` has no trailing slash, so it never meets ``<complaint>/`` (a reference such as
``ADU-2026-000001``)."""

from django.urls import URLPattern, URLResolver, path

from layanan.complaints.views import staff

CASE = "petugas/pengaduan/<str:complaint>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("petugas/pengaduan/", staff.queue, name="staff-queue"),
    path("petugas/pengaduan/ekspor.csv", staff.export, name="staff-export"),
    path(CASE, staff.case, name="staff-case"),
    path(f"{CASE}langkah/<slug:transition>/", staff.case_transition, name="staff-transition"),
    path(f"{CASE}disposisi/", staff.case_dispose, name="staff-dispose"),
    path(f"{CASE}disposisi/saran/", staff.case_confirm_suggestion, name="staff-confirm-suggestion"),
    path(f"{CASE}pelapor/", staff.case_reveal, name="staff-reveal"),
    path(f"{CASE}lampiran/<uuid:attachment>/", staff.case_attachment, name="staff-attachment"),
]
