from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "layanan.vault"
    label = "vault"
    verbose_name = "Brankas dokumen"
