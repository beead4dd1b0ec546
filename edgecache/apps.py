from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class EdgeCacheConfig(AppConfig):
    name = "edgecache"
    verbose_name = gettext_lazy("Edge cache purges")
