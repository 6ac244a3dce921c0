"""The back office of applications, under ``/petugas/`` (included by ``layanan.applications.urls``).

``beban-kerja/`` comes before ``<reference>/``: no reference can be that word (references are
``PREFIX-YEAR-NUMBER``)."""

from django.urls import URLPattern, URLResolver, path

from layanan.applications.views import staff

CASE = "petugas/permohonan/<str:reference>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("petugas/permohonan/", staff.queue, name="staff-queue"),
    path("petugas/permohonan/beban-kerja/", staff.workload_view, name="staff-workload"),
    path(CASE, staff.case, name="staff-case"),
    path(f"{CASE}langkah/<slug:transition>/", staff.case_transition, name="staff-transition"),
    path(f"{CASE}penugasan/", staff.case_assign, name="staff-assign"),
    path(f"{CASE}data/<slug:field>/", staff.case_reveal, name="staff-reveal"),
    path(f"{CASE}dokumen/<uuid:document>/", staff.case_document, name="staff-document"),
    path("petugas/layanan/<slug:slug>/alur/", staff.workflow_edit, name="staff-workflow"),
]
