"""Complaint pages (citizen), included by ``layanan.complaints.urls``: report (``/pengaduan/``),
the protected channel (``/pengaduan/pungli/``), tracking (``/pengaduan/lacak/``) and the signed-in
citizen's reports (``/akun/pengaduan/``)."""

from django.urls import path, re_path

from layanan.complaints.views import citizen, tracking

# A reference such as ``ADU-2026-000123-4`` (``layanan.core.references``): never a bare word, so
# the fixed paths below stay free.
COMPLAINT = r"(?P<complaint>[A-Z]{2,6}-\d{4}-\d{6,}-\d)"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

urlpatterns = [
    path("pengaduan/", citizen.new, name="new"),
    path("pengaduan/periksa/", citizen.check, name="new-check"),
    path("pengaduan/pungli/", citizen.new_protected, name="new-protected"),
    path("pengaduan/pungli/periksa/", citizen.check_protected, name="new-protected-check"),
    re_path(rf"^pengaduan/terkirim/{COMPLAINT}/$", citizen.sent, name="sent"),
    re_path(rf"^pengaduan/dukung/{COMPLAINT}/$", citizen.support, name="support"),
    path("pengaduan/lacak/", tracking.track, name="track"),
    re_path(rf"^pengaduan/lacak/{COMPLAINT}/$", tracking.tracked, name="tracked"),
    re_path(
        rf"^pengaduan/lacak/{COMPLAINT}/informasi/$", tracking.supply_information, name="tracked-supply-info"
    ),
    re_path(rf"^pengaduan/lacak/{COMPLAINT}/balas/$", tracking.reply, name="tracked-reply"),
    re_path(rf"^pengaduan/lacak/{COMPLAINT}/nilai/$", tracking.rate, name="tracked-rate"),
    re_path(
        rf"^pengaduan/lacak/{COMPLAINT}/lampiran/(?P<attachment>{UUID})/$",
        tracking.attachment,
        name="tracked-attachment",
    ),
    path("akun/pengaduan/", citizen.my_complaints, name="my-complaints"),
]
