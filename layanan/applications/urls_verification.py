from django.urls import path

from layanan.applications.views import verification

urlpatterns = [
    path("verifikasi/", verification.verify_form, name="verify-form"),
    path("verifikasi/<str:document_id>/", verification.verify, name="verify"),
    path(
        "akun/permohonan/<str:reference>/hasil/<str:document_id>/",
        verification.output_download,
        name="output-download",
    ),
    path(
        "petugas/permohonan/<str:reference>/hasil/<str:document_id>/cabut/",
        verification.staff_revoke,
        name="staff-revoke",
    ),
]
