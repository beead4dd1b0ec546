from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = gettext_lazy("Partner webhooks")

    def ready(self) -> None:
        from webhooks import checks  # noqa: F401  (registers the deploy check)
