"""The three roles, as groups. Superusers stand above them and alone may delete."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser

VIEWERS = "Viewers"
EDITORS = "Editors"
ADMINS = "Admins"
# Groups whose members may write content, in the admin and through an API key.
CONTENT_WRITERS = (EDITORS, ADMINS)


def two_factor_required(user: AbstractUser) -> bool:
    """Whether this account may use the admin only after a second factor."""
    return bool(user.is_superuser and settings.CLAIMTRACKER_REQUIRE_2FA_FOR_SUPERUSERS)
