"""The back office of the catalog, under ``/petugas/`` (included by ``layanan.catalog.urls``)."""

from django.urls import URLPattern, URLResolver, path

from layanan.catalog.views import staff

VERSION = "petugas/katalog/<slug:slug>/versi/<int:version>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("petugas/katalog/", staff.service_list, name="staff-service-list"),
    path("petugas/katalog/<slug:slug>/", staff.service_detail, name="staff-service-detail"),
    path("petugas/katalog/<slug:slug>/draf-baru/", staff.draft_start, name="staff-draft-start"),
    path(VERSION, staff.standard_detail, name="staff-standard-detail"),
    path(f"{VERSION}ubah/", staff.standard_edit, name="staff-standard-edit"),
    path(f"{VERSION}beda/", staff.standard_diff, name="staff-standard-diff"),
    path(f"{VERSION}konsultasi/", staff.standard_consult, name="staff-standard-consult"),
    path(f"{VERSION}kembali-ke-draf/", staff.standard_return, name="staff-standard-return"),
    path(f"{VERSION}tetapkan/", staff.standard_adopt, name="staff-standard-adopt"),
    path("petugas/maklumat/", staff.promise_list, name="staff-promise-list"),
    path("petugas/maklumat/<slug:agency>/<slug:unit>/ubah/", staff.promise_edit, name="staff-promise-edit"),
]
