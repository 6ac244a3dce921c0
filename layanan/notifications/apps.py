from django.apps import AppConfig
from django.core import checks


class NotificationsConfig(AppConfig):
    name = "layanan.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"

    def ready(self) -> None:
        from layanan.notifications.checks import check_sms_backend, check_whatsapp_backend

        checks.register(check_sms_backend)
        checks.register(check_whatsapp_backend)
