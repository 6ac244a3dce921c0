from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "layanan.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"
