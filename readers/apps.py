from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ReadersConfig(AppConfig):
    name = "readers"
    verbose_name = gettext_lazy("Readers: tips and email alerts")
