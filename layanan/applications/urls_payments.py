from django.urls import path

from layanan.applications.views import payments

urlpatterns = [
    path("akun/permohonan/<str:reference>/bayar/", payments.pay, name="pay"),
    path("akun/permohonan/<str:reference>/kuitansi/", payments.receipt, name="receipt"),
    path("simulator-pembayaran/<str:billing_code>/", payments.simulator, name="simulator"),
    path("pembayaran/callback/", payments.payment_callback, name="payment-callback"),
]
