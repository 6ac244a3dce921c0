from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "layanan.applications"
    label = "applications"
    verbose_name = "Permohonan"
