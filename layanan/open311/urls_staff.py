"""Open311 client management for platform administrators (``/petugas/open311/``).

Included at the site root by ``layanan/urls.py``: ``path("", include("layanan.open311.urls_staff"))``.
"""

from django.urls import URLPattern, path

from layanan.open311.views import staff

app_name = "open311-staff"

urlpatterns: list[URLPattern] = [
    path("petugas/open311/", staff.client_list, name="client-list"),
    path("petugas/open311/baru/", staff.client_create, name="client-create"),
    path("petugas/open311/cabut/", staff.client_revoke, name="client-revoke"),
]
