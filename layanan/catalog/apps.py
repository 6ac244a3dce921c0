from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "layanan.catalog"
    label = "catalog"
    verbose_name = "Katalog layanan"
