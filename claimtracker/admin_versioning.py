"""Admin support for records that carry a version: conflict detection and restorable history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from claimtracker.versioning import StaleEditError

# Bookkeeping fields that change on every save and say nothing to an editor.
UNINTERESTING_FIELDS = ["version", "updated_at", "created_at"]
VALUE_PREVIEW_LENGTH = 80


def _preview(value: Any) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= VALUE_PREVIEW_LENGTH else text[: VALUE_PREVIEW_LENGTH - 1] + "…"


def describe_changes_since(record: models.Model, version: int) -> str:
    """What changed in ``record`` after ``version``, and who changed it, as one sentence."""
    history = getattr(type(record), "history", None)
    if history is None:
        return ""
    entries = history.filter(id=record.pk).order_by("-history_date", "-history_id")
    latest = entries.first()
    started_from = entries.filter(version=version).first()
    if latest is None or started_from is None:
        return ""
    delta = latest.diff_against(started_from, excluded_fields=UNINTERESTING_FIELDS)
    opts = type(record)._meta
    parts = [
        f"{opts.get_field(change.field).verbose_name}: “{_preview(change.old)}” → “{_preview(change.new)}”"
        for change in delta.changes
    ]
    editors = {
        str(entry.history_user) for entry in entries.filter(version__gt=version) if entry.history_user is not None
    }
    who = f" by {', '.join(sorted(editors))}" if editors else ""
    if not parts:
        return f"It was saved again{who}, without changes to the fields on this form."
    return f"Changed{who}: " + "; ".join(parts) + "."


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the editor started from, and refuses a save from a stale form.

    The check here gives the editor a form error that lists what changed; the conditional
    UPDATE in ``claimtracker.versioning.save_versioned`` closes the gap between this check and
    the write (``VersionedAdmin`` turns a lost race into a message too).
    """

    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # The stored version, not the instance's: when restoring an old version from the
            # history, the instance holds that old version's values.
            model = type(self.instance)
            stored = model._default_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            self.fields["edited_version"].initial = stored

    def started_from_version(self) -> int | None:
        return self.cleaned_data.get("edited_version")

    def clean(self) -> dict:
        cleaned = super().clean()
        started_from = cleaned.get("edited_version")
        if self.instance.pk is not None and started_from is not None:
            model = type(self.instance)
            current = model._default_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if current is not None and current != started_from:
                raise ValidationError(
                    "Someone else saved this record while you were editing it, so your changes were not saved. "
                    "%(changes)s Reload the page to see the current version, then re-apply your changes.",
                    code="stale_edit",
                    params={"changes": describe_changes_since(self.instance, started_from)},
                )
        return cleaned


class VersionedAdmin(SimpleHistoryAdmin):
    """History and restore for every record, and no crash when two saves race."""

    def _refuse_stale(self, request: HttpRequest, error: StaleEditError) -> HttpResponse:
        changes = describe_changes_since(error.record, error.expected_version)
        self.message_user(
            request,
            f"Your changes were not saved: someone else saved this record at the same moment. {changes} "
            "Check the current version below and re-apply your changes.",
            messages.ERROR,
        )
        return HttpResponseRedirect(request.path)

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except StaleEditError as error:
            return self._refuse_stale(request, error)

    def history_form_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().history_form_view(request, *args, **kwargs)
        except StaleEditError as error:
            return self._refuse_stale(request, error)

    @staticmethod
    def change_reason(request: HttpRequest) -> str:
        """Saves from a history page restore an earlier version; say so in the history."""
        match = request.resolver_match
        if match is not None and match.url_name and match.url_name.endswith("_simple_history"):
            return f"Restored the version recorded as history entry {match.kwargs.get('version_id')}"
        return ""
