from django.urls import path

from layanan.accounts.views import citizen_auth, public, staff, staff_auth

app_name = "accounts"

urlpatterns = [
    path("instansi/", public.agency_list, name="agency-list"),
    path("instansi/<slug:slug>/", public.agency_detail, name="agency-detail"),
    # Citizens: sign-up and sign-in with a one-time code, their account.
    path("daftar/", citizen_auth.signup, name="signup"),
    path("masuk/", citizen_auth.signin, name="signin"),
    path("masuk/kode/", citizen_auth.signin_code, name="signin-code"),
    path("masuk/kode/kirim-ulang/", citizen_auth.signin_code_resend, name="signin-code-resend"),
    path("keluar/", public.signout, name="signout"),
    path("akun/", public.profile, name="profile"),
    path("akun/ubah/", public.profile_edit, name="profile-edit"),
    # Staff: password, then TOTP; password reset; the workspace and staff management.
    path("petugas/masuk/", staff_auth.staff_signin, name="staff-signin"),
    path("petugas/masuk/otp/", staff_auth.staff_otp, name="staff-otp"),
    path("petugas/otp/daftar/", staff_auth.staff_otp_enrol, name="staff-otp-enrol"),
    path("petugas/sandi/lupa/", staff_auth.password_reset, name="password-reset"),
    path("petugas/sandi/lupa/terkirim/", staff_auth.password_reset_done, name="password-reset-done"),
    path("petugas/sandi/atur/selesai/", staff_auth.password_reset_complete, name="password-reset-complete"),
    path(
        "petugas/sandi/atur/<uidb64>/<token>/",
        staff_auth.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("petugas/", staff.dashboard, name="staff-dashboard"),
    path("petugas/staf/", staff.staff_list, name="staff-list"),
    path("petugas/staf/baru/", staff.staff_create, name="staff-create"),
    path(
        "petugas/staf/peran/<uuid:public_id>/nonaktifkan/",
        staff.membership_deactivate,
        name="membership-deactivate",
    ),
]
