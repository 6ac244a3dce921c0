from django.urls import path

from layanan.queueing.views import analytics as analysis
from layanan.queueing.views import booking, events, public, staff

app_name = "queueing"

COUNTER = "petugas/antrean/<slug:site_slug>/<int:number>/"

urlpatterns = [
    path("antrean/", public.site_list, name="sites"),
    path("antrean/tiket/<uuid:public_id>/", public.ticket, name="ticket"),
    path("antrean/pesanan/", booking.my_bookings, name="my-bookings"),
    path("antrean/pesanan/<uuid:public_id>/", booking.booking_detail, name="booking"),
    path("antrean/pesanan/<uuid:public_id>/batal/", booking.cancel, name="booking-cancel"),
    path("antrean/<slug:site_slug>/", public.site_status, name="status"),
    path("antrean/<slug:site_slug>/status.json", public.site_status_json, name="status-json"),
    path("antrean/<slug:site_slug>/ambil/", public.take, name="take"),
    path("antrean/<slug:site_slug>/kios/", public.kiosk, name="kiosk"),
    path("antrean/<slug:site_slug>/kios/check-in/", booking.check_in, name="check-in"),
    path("antrean/<slug:site_slug>/pesan/", booking.book, name="book"),
    path("antrean/<slug:site_slug>/layar/", public.display, name="display"),
    path("antrean/<slug:site_slug>/layar.json", public.display_json, name="display-json"),
    path("antrean/<slug:site_slug>/layar/events", events.board_events, name="display-events"),
    path("petugas/antrean/", staff.counter_list, name="counters"),
    path("petugas/antrean/<slug:site_slug>/penyambut/", staff.greeter, name="greeter"),
    path(COUNTER, staff.console, name="counter"),
    path(f"{COUNTER}buka/", staff.open_counter, name="counter-open"),
    path(f"{COUNTER}tutup/", staff.close_counter, name="counter-close"),
    path(f"{COUNTER}panggil/", staff.call_next, name="counter-call"),
    path(f"{COUNTER}tiket/<uuid:ticket_id>/<slug:step>/", staff.ticket_step, name="ticket-step"),
    path("petugas/antrean/<slug:site_slug>/analitik/", analysis.analytics, name="analytics"),
    path("petugas/antrean/<slug:site_slug>/analitik.csv", analysis.analytics_csv, name="analytics-csv"),
]
