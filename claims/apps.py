from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Claims")

    def ready(self) -> None:
        import simple_history

        from claims.models import Claim, Status, StatusUpdate, Topic

        # Registered here rather than on the models: modeltranslation (earlier in INSTALLED_APPS,
        # so its ready() ran first) has added the translation columns by now, and the history
        # records every language's text — an edited translation is kept like any other edit.
        for model in (Status, Topic, Claim, StatusUpdate):
            simple_history.register(model)
