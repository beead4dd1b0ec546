"""Creating, checking and revoking partner API keys.

A key reads ``ctk_<prefix>_<secret>``: the prefix (public, stored in clear) finds the row, and
the SHA-256 of the whole key must equal the stored hash. The secret has 256 bits of entropy, so
a fast hash is enough; the plain key exists only in the response that creates it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.roles import CONTENT_WRITERS
from api.models import ApiKey

KEY_SCHEME = "ctk"


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def split_key(raw_key: str) -> str | None:
    """The prefix of a well-formed key, or None."""
    parts = raw_key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_SCHEME or not parts[1] or not parts[2]:
        return None
    return parts[1]


@transaction.atomic
def api_key_create(*, name: str, owner: User) -> tuple[ApiKey, str]:
    """A new key for ``owner``. Returns the stored row and the plain key, which is never stored."""
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    raw_key = f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(name=name.strip(), owner=owner, prefix=prefix, hashed_key=hash_key(raw_key))
    key.full_clean()
    key.save()
    return key, raw_key


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=key.revoked_at)
    return key


def api_key_find(raw_key: str) -> ApiKey | None:
    """The key matching ``raw_key`` (revoked or not), its owner and ``owner_is_editor`` loaded in one query."""
    prefix = split_key(raw_key)
    if prefix is None:
        return None
    from django.contrib.auth import get_user_model

    memberships = get_user_model().groups.through.objects.filter(
        user_id=OuterRef("owner_id"), group__name__in=CONTENT_WRITERS
    )
    key = (
        ApiKey.objects.select_related("owner")
        .annotate(owner_in_editors=Exists(memberships))
        .filter(prefix=prefix)
        .first()
    )
    if key is None or not hmac.compare_digest(key.hashed_key, hash_key(raw_key.strip())):
        return None
    return key


def api_key_touch(*, key: ApiKey) -> None:
    """Record that the key was used, at most one write a minute per key."""
    now = timezone.now()
    if key.needs_last_used_refresh(now):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
