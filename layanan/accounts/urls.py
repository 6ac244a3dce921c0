from django.urls import path

from layanan.accounts.views import public, staff

app_name = "accounts"

urlpatterns = [
    path("instansi/", public.agency_list, name="agency-list"),
    path("instansi/<slug:slug>/", public.agency_detail, name="agency-detail"),
    path("masuk/", public.signin, name="signin"),
    path("keluar/", public.signout, name="signout"),
    path("akun/", public.profile, name="profile"),
    path("petugas/", staff.dashboard, name="staff-dashboard"),
]
