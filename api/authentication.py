"""``Authorization: Api-Key <key>`` (or ``X-API-Key: <key>``) authentication."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext
from rest_framework import authentication, exceptions

from api.keys import api_key_find, api_key_touch
from api.models import ApiKey

if TYPE_CHECKING:
    from rest_framework.request import Request

AUTHORIZATION_KEYWORD = "Api-Key"


def raw_key_from(request: Request) -> str | None:
    header = authentication.get_authorization_header(request).decode("latin-1")
    if header:
        keyword, _, value = header.partition(" ")
        if keyword.lower() == AUTHORIZATION_KEYWORD.lower():
            return value.strip()
        return None
    return request.META.get("HTTP_X_API_KEY", "").strip() or None


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """A partner key authenticates as its owner; ``request.auth`` is the ``ApiKey``."""

    def authenticate(self, request: Request) -> tuple[AbstractBaseUser, ApiKey] | None:
        raw_key = raw_key_from(request)
        if raw_key is None:
            return None
        key = api_key_find(raw_key)
        if key is None:
            raise exceptions.AuthenticationFailed(gettext("This API key is not valid."), code="invalid_api_key")
        if key.is_revoked:
            raise exceptions.AuthenticationFailed(gettext("This API key has been revoked."), code="revoked_api_key")
        if not key.owner.is_active:
            raise exceptions.AuthenticationFailed(gettext("This API key's owner is inactive."), code="inactive_owner")
        api_key_touch(key=key)
        return key.owner, key

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to a write without a key.
        return f'{AUTHORIZATION_KEYWORD} realm="api"'
