from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "layanan.regions"
    label = "regions"
    verbose_name = "Wilayah"
