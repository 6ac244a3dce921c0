from django.urls import URLPattern, URLResolver, path

from layanan.audit import views

app_name = "audit"

urlpatterns: list[URLPattern | URLResolver] = [
    path("petugas/audit/", views.event_list, name="event-list"),
    path("petugas/audit/verifikasi/", views.chain_verify, name="verify-chain"),
    path("petugas/audit/<int:stream>-<int:sequence>/", views.event_detail, name="event-detail"),
]
