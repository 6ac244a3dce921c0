"""Complaint pages: the citizen's (``/pengaduan/``), the staff's (``/petugas/pengaduan/``) and the
public's (``/laporan/``)."""

from django.urls import include, path

app_name = "complaints"

urlpatterns = [
    path("", include("layanan.complaints.urls_citizen")),
    # Before ``urls_staff``: its ``petugas/pengaduan/<complaint>/`` would take these paths.
    path("", include("layanan.complaints.urls_staff_intake")),
    path("", include("layanan.complaints.urls_staff_policy")),
    path("", include("layanan.complaints.urls_staff")),
    path("", include("layanan.complaints.urls_public")),
]
