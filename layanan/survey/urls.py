from django.urls import path

from layanan.survey.views import public, respond, staff

app_name = "survey"

PERIOD = "<str:period_key>"
UNIT = "<slug:agency_slug>/<slug:unit_slug>"

urlpatterns = [
    # Answering (no account).
    path("survei/kode/", respond.enter_code, name="code"),
    path("survei/kiosk/", respond.kiosk, name="kiosk"),
    path("survei/terima-kasih/", respond.thanks, name="thanks"),
    path(f"survei/unit/{UNIT}/", respond.unit_link, name="unit-link"),
    path("survei/<str:token>/", respond.answer, name="answer"),
    # Published reports.
    path("skm/", public.report_list, name="public-list"),
    path(f"skm/{UNIT}/{PERIOD}/", public.report_detail, name="public-detail"),
    path(f"skm/{UNIT}/{PERIOD}/laporan.pdf", public.report_pdf, name="public-pdf"),
    # Back office.
    path("petugas/skm/", staff.overview, name="staff-overview"),
    # Before the unit's routes: ".../rencana/<uuid>/hapus/" would otherwise be read as a unit's
    # period page (agency "rencana", unit "<uuid>", period "hapus").
    path("petugas/skm/rencana/<uuid:public_id>/", staff.update_follow_up, name="staff-follow-up-update"),
    path(
        "petugas/skm/rencana/<uuid:public_id>/hapus/", staff.remove_follow_up, name="staff-follow-up-remove"
    ),
    path("petugas/skm/saran/<uuid:public_id>/", staff.moderate, name="staff-moderate"),
    path(f"petugas/skm/{UNIT}/kode/", staff.issue_code, name="staff-issue-code"),
    path(f"petugas/skm/{UNIT}/kode/baru/", staff.code_shown, name="staff-code-shown"),
    path(f"petugas/skm/{UNIT}/{PERIOD}/", staff.unit_period, name="staff-unit-period"),
    path(f"petugas/skm/{UNIT}/{PERIOD}/pengaturan/", staff.save_settings, name="staff-settings"),
    path(f"petugas/skm/{UNIT}/{PERIOD}/rencana/", staff.add_follow_up, name="staff-follow-up-add"),
    path(f"petugas/skm/{UNIT}/{PERIOD}/terbitkan/", staff.publish, name="staff-publish"),
    path(f"petugas/skm/{UNIT}/{PERIOD}/jawaban.csv", staff.export_csv, name="staff-export"),
]
