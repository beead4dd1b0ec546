"""``manage.py check --deploy``: the development allowance for loopback endpoints stays off."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def insecure_localhost_is_off(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.WEBHOOKS_ALLOW_INSECURE_LOCALHOST:
        return []
    return [
        Error(
            "WEBHOOKS_ALLOW_INSECURE_LOCALHOST is on: admins could aim webhooks at this machine.",
            hint="Unset it (or set it to 0) in production; it is for development and tests only.",
            id="webhooks.E001",
        )
    ]
