from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "layanan.portal"
    label = "portal"
    verbose_name = "Portal"
