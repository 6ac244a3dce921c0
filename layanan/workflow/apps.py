from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "layanan.workflow"
    label = "workflow"
    verbose_name = "Alur kerja"
