from django.urls import path

from layanan.vault.views import public

app_name = "vault"

urlpatterns = [
    path("akun/dokumen/", public.document_list, name="list"),
    path("akun/dokumen/unggah/", public.upload, name="upload"),
    path("akun/dokumen/<uuid:document>/", public.document_file, name="document"),
    path("akun/dokumen/<uuid:document>/hapus/", public.remove, name="remove"),
]
