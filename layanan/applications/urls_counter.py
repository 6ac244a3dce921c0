from django.urls import path

from layanan.applications.views import counter

urlpatterns = [
    path("petugas/loket/", counter.counter_start, name="counter-start"),
    path("petugas/loket/warga/", counter.counter_citizen, name="counter-citizen"),
    path("petugas/loket/formulir/", counter.counter_form, name="counter-form"),
    path("petugas/loket/batal/", counter.counter_cancel, name="counter-cancel"),
    path("petugas/loket/tanda-terima/<str:reference>/", counter.counter_receipt, name="counter-receipt"),
    path("akun/permohonan/klaim/", counter.claim, name="claim"),
]
