from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "layanan.survey"
    label = "survey"
    verbose_name = "Survei Kepuasan Masyarakat"
