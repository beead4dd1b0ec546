"""Which language a request is answered in, and the header that says so.

Pages, feeds and cards carry their language in their address: English without a prefix, the
others under ``/uk/`` and ``/ru/`` (``i18n_patterns`` in claimtracker/urls.py). Each address has
one language, so a shared cache keys them by URL alone and they never vary on Accept-Language.
The admin has one address for every language: it answers in the language the editor chose with its
switcher (the language cookie, set by Django's ``set_language``), else the browser's Accept-Language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

# Addresses shared by every language, where the language is negotiated rather than in the path.
NEGOTIATED_PATH_PREFIXES = ("/admin/", "/accounts/", "/i18n/")


class LanguageMiddleware:
    """Activates the language the address names and answers with Content-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        negotiated = request.path_info.startswith(NEGOTIATED_PATH_PREFIXES)
        if negotiated:
            language = translation.get_language_from_request(request)
        else:
            language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        try:
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", translation.get_language())
            if negotiated:
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
        finally:
            # Nothing after the request (a test, a thread reused by the server) inherits its language.
            translation.deactivate()
        return response
