"""Which language a request is answered in, and the header that says so.

Pages, feeds and cards carry their language in their address: English without a prefix, the
others under ``/uk/`` and ``/ru/`` (``i18n_patterns`` in claimtracker/urls.py). Each address has
one language, so a shared cache keys them by URL alone and they never vary on Accept-Language.
The admin and the API have one address for every language. The admin answers in the language the
editor chose with its switcher (the language cookie, set by Django's ``set_language``), else the
browser's Accept-Language; the API in the one its ``lang`` parameter names, else Accept-Language
(api/views/http_caching.py refuses a ``lang`` it does not serve). Both say ``Vary: Accept-Language``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

# Addresses shared by every language, where the language is negotiated rather than in the path.
NEGOTIATED_PATH_PREFIXES = ("/admin/", "/accounts/", "/i18n/", "/api/")
# The API's explicit choice of language, which wins over Accept-Language.
LANGUAGE_PARAMETER = "lang"


API_PATH_PREFIX = "/api/"


def negotiated_language(request: HttpRequest) -> str:
    """The API's ``lang`` when it names a language we serve, else Accept-Language; the admin's cookie first."""
    if not request.path_info.startswith(API_PATH_PREFIX):
        return translation.get_language_from_request(request)
    asked = request.GET.get(LANGUAGE_PARAMETER, "")
    if asked in {code for code, _name in settings.LANGUAGES}:
        return asked
    # Not the language cookie: an API answer depends on its URL and Accept-Language only.
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activates the language the address names and answers with Content-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        negotiated = request.path_info.startswith(NEGOTIATED_PATH_PREFIXES)
        if negotiated:
            language = negotiated_language(request)
        else:
            language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        try:
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", translation.get_language())
            if negotiated:
                patch_vary_headers(response, ("Accept-Language",))
        finally:
            # Nothing after the request (a test, a thread reused by the server) inherits its language.
            translation.deactivate()
        return response
