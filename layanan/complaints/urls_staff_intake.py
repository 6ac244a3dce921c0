"""A report recorded by an officer (telephone or walk-in), under ``/petugas/pengaduan/catat/``;
included by ``layanan.complaints.urls`` *before* ``urls_staff`` (whose ``<str:complaint>/`` would
otherwise take ``catat/``)."""

from django.urls import URLPattern, URLResolver, path

from layanan.complaints.views import staff_intake

urlpatterns: list[URLPattern | URLResolver] = [
    path("petugas/pengaduan/catat/", staff_intake.new, name="staff-new"),
    path("petugas/pengaduan/catat/tanda-terima/", staff_intake.receipt, name="staff-new-receipt"),
]
