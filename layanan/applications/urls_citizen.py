"""The citizen's pages: apply online, drafts, the citizen's applications, corrections."""

from django.urls import path, re_path

from layanan.applications.views import citizen

# A reference such as ``KK-2026-000123-8`` (``layanan.core.references``): never a bare word, so
# ``/akun/permohonan/klaim/`` and the other fixed paths below stay free.
REFERENCE = r"(?P<reference>[A-Z]{2,6}-\d{4}-\d{6,}-\d)"

urlpatterns = [
    path("layanan/<slug:slug>/ajukan/", citizen.start, name="start"),
    path("akun/permohonan/", citizen.my_applications, name="my-applications"),
    path("akun/permohonan/draf/<uuid:draft>/", citizen.resume, name="resume"),
    path("akun/permohonan/draf/<uuid:draft>/periksa/", citizen.check, name="check"),
    path("akun/permohonan/draf/<uuid:draft>/hapus/", citizen.discard, name="discard-draft"),
    path("akun/permohonan/draf/<uuid:draft>/halaman/<slug:page>/", citizen.form_page, name="form-page"),
    re_path(rf"^akun/permohonan/{REFERENCE}/$", citizen.detail, name="detail"),
    re_path(rf"^akun/permohonan/{REFERENCE}/terkirim/$", citizen.confirmation, name="confirmation"),
    re_path(rf"^akun/permohonan/{REFERENCE}/perbaiki/$", citizen.correct, name="correct"),
]
