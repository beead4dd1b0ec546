"""Rate limits: a modest one per IP address for anonymous clients, a higher one per partner key.

Rates are read at request time (``DEFAULT_THROTTLE_RATES``), so settings overrides apply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiKey
from claimtracker.client_address import client_address

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        # The stubs type the rates as numbers; DRF holds them as text such as "60/minute".
        rates = cast("dict[str | None, str | None]", api_settings.DEFAULT_THROTTLE_RATES)
        return rates.get(self.scope)

    def get_ident(self, request: Request) -> str:
        # DRF's own reading trusts X-Forwarded-For unless NUM_PROXIES is set; ours is the one rule.
        return client_address(request) or ""


class AnonymousThrottle(_SettingsRateThrottle):
    scope = "anonymous"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ApiKeyThrottle(_SettingsRateThrottle):
    scope = "api_key"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
