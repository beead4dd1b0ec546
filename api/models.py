"""Partner API keys: created and revoked by admins, stored as a SHA-256 hash."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

# A key is used at most this often as a write: ``last_used_at`` is only refreshed once it is older.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True, owner__is_active=True)


class ApiKey(models.Model):
    """A partner's key. Only a short public prefix and the hash of the whole key are stored."""

    name = models.CharField(
        verbose_name=gettext_lazy("name"),
        max_length=100,
        help_text=gettext_lazy("Who uses the key and for what, e.g. “Daily Planet mirror”."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("owner"),
        on_delete=models.CASCADE,
        related_name="api_keys",
        help_text=gettext_lazy("The key acts as this user. Owners in the Editors group may write through the API."),
    )
    prefix = models.CharField(
        verbose_name=gettext_lazy("prefix"),
        max_length=16,
        unique=True,
        editable=False,
        help_text=gettext_lazy("Public part, used for look-up."),
    )
    hashed_key = models.CharField(verbose_name=gettext_lazy("hashed key"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(
        verbose_name=gettext_lazy("last used at"), null=True, blank=True, editable=False
    )
    revoked_at = models.DateTimeField(verbose_name=gettext_lazy("revoked at"), null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = gettext_lazy("api keys")
        verbose_name = gettext_lazy("API key")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(name__gt=""), name="apikey_name_not_blank"),
            models.CheckConstraint(condition=Q(hashed_key__regex=r"^[0-9a-f]{64}$"), name="apikey_hash_is_sha256"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def needs_last_used_refresh(self, now: datetime.datetime) -> bool:
        return self.last_used_at is None or now - self.last_used_at >= LAST_USED_RESOLUTION
