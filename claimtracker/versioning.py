"""Optimistic locking for records editors change: a save never silently overwrites a newer one."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils import timezone, translation


class StaleEditError(Exception):
    """The record changed since the editor read it; nothing was written."""

    def __init__(self, record: models.Model, expected_version: int, current_version: int) -> None:
        self.record = record
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(
            f"“{record}” was changed by someone else while you were editing it "
            f"(you started from version {expected_version}; it is now at version {current_version})."
        )


# simple_history's history_change_reason column; PostgreSQL refuses a longer value outright.
HISTORY_REASON_LENGTH = 100


def fit_history_reason(text: str) -> str:
    """``text`` on one line, cut with an ellipsis to fit the history's reason column."""
    text = " ".join(text.split())
    return text if len(text) <= HISTORY_REASON_LENGTH else text[: HISTORY_REASON_LENGTH - 1] + "…"


def record_history(
    instance: models.Model, *, changed_by: AbstractBaseUser | None = None, reason: str = "", created: bool = False
) -> None:
    """Write the instance's current state to its history table, for writes that bypass save()."""
    history = getattr(type(instance), "history", None)
    if history is None:
        return
    user = changed_by if changed_by is not None and changed_by.is_authenticated else None
    history.bulk_history_create(
        [instance], update=not created, default_user=user, default_change_reason=fit_history_reason(reason)
    )


def save_versioned(
    instance: models.Model,
    *,
    expected_version: int | None = None,
    changed_by: AbstractBaseUser | None = None,
    reason: str = "",
) -> None:
    """Insert ``instance``, or update it only if its stored version is still ``expected_version``.

    The check and the write are one conditional UPDATE, so two concurrent saves from the same
    version cannot both succeed. On success the instance carries its new version and its
    history has a new entry saying who changed it.
    """
    # A versioned model (``version``, mostly ``updated_at``); simple_history reads _history_user
    # and _change_reason from the instance. models.Model declares none of them.
    record = cast(Any, instance)
    if changed_by is not None and changed_by.is_authenticated:
        record._history_user = changed_by
    if reason:
        record._change_reason = fit_history_reason(reason)
    if instance.pk is None:
        instance.save()
        return
    model = type(instance)
    version = record.version if expected_version is None else expected_version
    now = timezone.now()
    # Every column as it is, translations included (django-modeltranslation): read in the default
    # language so a translated field's own column keeps the desk's text, and written without the
    # library's rewriting of ``summary`` into the active language's column.
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            field.attname: getattr(instance, field.attname)
            for field in model._meta.concrete_fields
            if not field.primary_key and field.attname not in {"created_at", "version"}
        }
    if "updated_at" in values:
        values["updated_at"] = now
    values["version"] = version + 1
    rows = model._default_manager.filter(pk=instance.pk, version=version)
    if hasattr(rows, "rewrite"):
        rows = rows.rewrite(False)
    if rows.update(**values) != 1:
        current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        raise StaleEditError(instance, version, current or 0)
    record.version = version + 1
    if "updated_at" in values:
        record.updated_at = now
    record_history(instance, changed_by=changed_by, reason=reason)
