from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "layanan.demo"
    label = "demo"
    verbose_name = "Demo"
