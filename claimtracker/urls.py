from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from api.exceptions import not_found as api_not_found

urlpatterns = [
    path("admin/", admin.site.urls),
    # The API's root without its slash: the API's 308 to /api/v1/ (method and query kept), not a 301.
    path("api/v1", api_not_found),
    path("api/v1/", include("api.urls")),
    # The admin's language switcher posts here; it sets the language cookie the admin reads.
    path("i18n/", include("django.conf.urls.i18n")),
]
# One address per language (claimtracker/languages.py): English unprefixed, then /uk/… and /ru/….
urlpatterns += i18n_patterns(
    path("", include("embeds.urls")),
    path("", include("public.urls")),
    path("", include("readers.urls")),
    prefix_default_language=False,
)
