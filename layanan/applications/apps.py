from django.apps import AppConfig
from django.core import checks


class ApplicationsConfig(AppConfig):
    name = "layanan.applications"
    label = "applications"
    verbose_name = "Permohonan"

    def ready(self) -> None:
        from layanan.applications.checks import check_payment_provider

        checks.register(check_payment_provider)
