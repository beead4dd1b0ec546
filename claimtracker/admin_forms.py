"""Admin form support shared by the apps whose records carry a version number."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


class VersionedAdminMixin(forms.ModelForm):
    """Carries the version the editor started from, and refuses a save from a stale form.

    The check here gives the editor a form error; the conditional UPDATE in
    ``claimtracker.versioning.save_versioned`` closes the gap between this check and the write.
    """

    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["edited_version"].initial = self.instance.version

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
                    "Someone else saved this record while you were editing it (you started from version "
                    "%(started)s; it is now at version %(current)s). Open it again in a new tab to see their "
                    "changes, then re-apply yours.",
                    code="stale_edit",
                    params={"started": started_from, "current": current},
                )
        return cleaned
