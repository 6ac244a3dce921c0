from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


class ComplaintsConfig(AppConfig):
    name = "layanan.complaints"
    label = "complaints"
    verbose_name = "Pengaduan"

    def ready(self) -> None:
        from layanan.complaints.checks import check_lapor_gateway

        checks.register(check_lapor_gateway)
        post_migrate.connect(_seed_defaults, sender=self)


def _seed_defaults(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """The default categories and the national policy after every ``migrate`` (and every flush,
    which tests do), creating only what is missing: an agency's edits are kept."""
    from layanan.complaints.categories import ensure_defaults

    ensure_defaults(using=using)
