from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy
from rest_framework import permissions

from api.models import ApiKey

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


def has_editor_key(request: Request) -> bool:
    """The request carries a valid key whose owner is an editor (or a superuser)."""
    key = request.auth
    if not isinstance(key, ApiKey):
        return False
    return bool(key.owner.is_superuser or getattr(key, "owner_in_editors", False))


class ReadOnlyUnlessEditorKey(permissions.BasePermission):
    """Anyone may read; writing needs the key of an editor."""

    message = gettext_lazy("Writing needs an API key whose owner is an editor.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return has_editor_key(request)
