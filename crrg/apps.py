from django.apps import AppConfig


class CrrgConfig(AppConfig):
    name = "crrg"
    verbose_name = "CRRG"
