"""A record of each spreadsheet import: who, when, which file, what it held and how it ended."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy


class ImportState(models.TextChoices):
    PREVIEWED = "previewed", gettext_lazy("Previewed")
    IMPORTED = "imported", gettext_lazy("Imported")
    FAILED = "failed", gettext_lazy("Failed")


class ImportRun(models.Model):
    """One upload. Kept after the import; the file's bytes are dropped once it is imported."""

    State = ImportState

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("user"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    file_name = models.CharField(verbose_name=gettext_lazy("file name"), max_length=255, editable=False)
    file_sha256 = models.CharField(gettext_lazy("SHA-256 of the file"), max_length=64, editable=False)
    # The upload, held between preview and confirm (capped by IMPORTS_MAX_BYTES).
    content = models.BinaryField(verbose_name=gettext_lazy("content"), editable=False)
    # The rows as read from it, [[row number, {column: text}], ...]: the preview and the confirmation
    # use these, so a file is parsed once, at upload. Dropped with the file once it is imported.
    rows = models.JSONField(verbose_name=gettext_lazy("rows"), null=True, blank=True, editable=False)
    state = models.CharField(
        verbose_name=gettext_lazy("state"),
        max_length=20,
        choices=ImportState.choices,
        default=ImportState.PREVIEWED,
        editable=False,
    )
    row_count = models.PositiveIntegerField(verbose_name=gettext_lazy("row count"), default=0, editable=False)
    error_count = models.PositiveIntegerField(verbose_name=gettext_lazy("error count"), default=0, editable=False)
    # {"people": n, "claims": n, "sources": n, "statuses": n}: what the file holds, then what was created.
    counts = models.JSONField(verbose_name=gettext_lazy("counts"), default=dict, editable=False)
    errors = models.JSONField(verbose_name=gettext_lazy("errors"), default=list, editable=False)
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(verbose_name=gettext_lazy("finished at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name_plural = gettext_lazy("import runs")
        verbose_name = gettext_lazy("spreadsheet import")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ImportState.values), name="importrun_state_valid"),
            models.CheckConstraint(
                condition=Q(state=ImportState.PREVIEWED) | Q(finished_at__isnull=False),
                name="importrun_finished_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display().lower()}, {self.created_at:%Y-%m-%d %H:%M})"
