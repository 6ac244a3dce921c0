from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "layanan.workdays"
    label = "workdays"
    verbose_name = "Hari kerja"
