from django.apps import AppConfig


class QueueingConfig(AppConfig):
    name = "layanan.queueing"
    label = "queueing"
    verbose_name = "Antrean"
