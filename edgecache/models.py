"""The purge outbox: what the HTTP accelerator must drop after each write, and how far the worker has read.

``manage.py purge_edge_cache`` reads the claim change log (and the history of the rating scales,
topics and terms) after a stored cursor, stores one ``Purge`` per change with the tags it affects
(``edgecache.tags``), and sends the due ones to every accelerator node. Editors' saves never wait
on a cache.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models import ClaimChange


class PurgeState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PurgeQuerySet(models.QuerySet["Purge"]):
    def due(self, now: datetime.datetime | None = None) -> PurgeQuerySet:
        """Pending purges whose next try has come (a leased one has not), oldest first."""
        return self.filter(state=PurgeState.PENDING, next_attempt_at__lte=now or timezone.now()).order_by(
            "next_attempt_at", "id"
        )


class Purge(models.Model):
    """The tags one change affects, to be purged from every accelerator node, and the outcome of the tries."""

    State = PurgeState

    tags = models.TextField(verbose_name=_("tags"), help_text=_("Space-separated cache tags."))
    # The change it stands for; none for a change to the rating scales, topics or terms.
    change = models.ForeignKey(
        ClaimChange,
        verbose_name=_("claim change"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        verbose_name=_("state"), max_length=20, choices=PurgeState.choices, default=PurgeState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(verbose_name=_("attempts"), default=0)
    # Also the lease: a worker sending the purge moves it past the try's longest duration.
    next_attempt_at = models.DateTimeField(verbose_name=_("next attempt at"), default=timezone.now)
    last_error = models.CharField(verbose_name=_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)
    done_at = models.DateTimeField(verbose_name=_("done at"), null=True, blank=True)

    objects = PurgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("cache purge")
        verbose_name_plural = _("cache purges")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=PurgeState.values), name="purge_state_valid"),
            models.CheckConstraint(condition=Q(tags__gt=""), name="purge_tags_not_blank"),
            models.CheckConstraint(
                condition=Q(state=PurgeState.DONE, done_at__isnull=False)
                | (~Q(state=PurgeState.DONE) & Q(done_at__isnull=True)),
                name="purge_done_is_dated",
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="purge_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_state_display()}: {self.tags[:80]}"


class PurgeCursor(models.Model):
    """How far the purge worker has read the claim change log and the histories that purge more.

    One row, named ``claim_changes``. The migration that adds it starts it at the end of what is
    recorded then: the cache of a site that starts purging holds nothing older worth purging.
    """

    name = models.CharField(verbose_name=_("name"), max_length=40, unique=True)
    last_change_id = models.BigIntegerField(verbose_name=_("last change id"), default=0)
    # The newest history rows seen of the statuses and topics (a change purges the whole site) and
    # of terms (a change purges the term's pages and the lists).
    last_status_history_id = models.BigIntegerField(verbose_name=_("last status history id"), default=0)
    last_topic_history_id = models.BigIntegerField(verbose_name=_("last topic history id"), default=0)
    last_term_history_id = models.BigIntegerField(verbose_name=_("last term history id"), default=0)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("purge cursor")
        verbose_name_plural = _("purge cursors")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_change_id__gte=0)
                & Q(last_status_history_id__gte=0)
                & Q(last_topic_history_id__gte=0)
                & Q(last_term_history_id__gte=0),
                name="purgecursor_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} at {self.last_change_id}"
