from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = gettext_lazy("Partner API")

    def ready(self) -> None:
        # Registers the OpenAPI description of the API-key authentication with drf-spectacular.
        from api import schema  # noqa: F401
