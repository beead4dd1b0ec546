"""Admin support for records that carry a version: conflict detection, restorable history, and
service errors shown as form errors."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from claimtracker.versioning import StaleEditError

_FormT = TypeVar("_FormT", bound=forms.BaseForm)

# Bookkeeping fields that change on every save and say nothing to an editor.
UNINTERESTING_FIELDS = ["version", "updated_at", "created_at"]


def _shown(value: Any) -> str:
    # In full: two long values that differ only near the end must not read as the same text.
    return "—" if value in (None, "") else str(value)


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
        _("%(field)s: “%(old)s” → “%(new)s”")
        % {"field": _field_label(opts, change.field), "old": _shown(change.old), "new": _shown(change.new)}
        for change in delta.changes
    ]
    editors = {
        str(entry.history_user) for entry in entries.filter(version__gt=version) if entry.history_user is not None
    }
    who = ", ".join(sorted(editors))
    changes = "; ".join(parts)
    if not parts:
        if who:
            return _("It was saved again by %(editors)s, without changes to the fields on this form.") % {
                "editors": who
            }
        return _("It was saved again, without changes to the fields on this form.")
    if who:
        return _("Changed by %(editors)s: %(changes)s.") % {"editors": who, "changes": changes}
    return _("Changed: %(changes)s.") % {"changes": changes}


def _field_label(opts: Any, name: str) -> Any:
    # A history diff names only concrete fields of the record, never a reverse relation.
    return cast("models.Field[Any, Any]", opts.get_field(name)).verbose_name


def acting_user(request: HttpRequest) -> User:
    """The editor behind an admin request: the admin site lets only signed-in staff through."""
    return cast(User, request.user)


class ServiceErrorsForm(forms.BaseForm):
    """Mixed into an admin form class after a service refused the save: its errors join the form's.

    ``service_error`` is the service's ValidationError; errors naming a field of this form show at
    that field (``service_field_names`` maps a model field to a form field of another name), the
    rest at the top of the form.
    """

    service_error: ValidationError | None = None

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if self.service_error is not None:
            add_validation_error(self, self.service_error)


def add_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    renamed: dict[str, str] = getattr(form, "service_field_names", {})
    for field, field_errors in error.error_dict.items():
        field = renamed.get(field, field)
        form.add_error(field if field in form.fields else None, field_errors)


def with_service_error(form_class: type[_FormT], error: ValidationError) -> type[_FormT]:
    # A subclass of form_class, so it stands wherever form_class did (a formset's form, a ModelForm).
    return cast("type[_FormT]", type(form_class.__name__, (ServiceErrorsForm, form_class), {"service_error": error}))


class InlineServiceError(Exception):
    """A service refused what an inline form of the change page asked for."""

    def __init__(self, inline: type, error: ValidationError) -> None:
        self.inline = inline
        self.error = error
        super().__init__(str(error))


def pending_service_error(request: HttpRequest, target: object) -> ValidationError | None:
    """The error a service raised on this request's first attempt, if it belongs to ``target``."""
    pending = getattr(request, "_service_error", None)
    if pending is None or pending[0] is not target:
        return None
    return pending[1]


class ServiceErrorsAdminMixin:
    """A ValidationError from a service while saving is shown at the form field it names, never a 500.

    The first attempt runs in the admin's transaction, so the refusal rolls it back; the view then
    runs again on the same POST with the error attached to the form it belongs to (``get_form``
    for the main form, ``pending_service_error`` in an inline), which makes that form invalid and
    re-renders the page with the error at its field and the editor's input kept.
    """

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().changeform_view(request, *args, **kwargs)  # type: ignore[misc]
        except InlineServiceError as refused:
            return self._retry_with_error(request, refused.inline, refused.error, args, kwargs)
        except ValidationError as error:
            return self._retry_with_error(request, type(self), error, args, kwargs)

    def _retry_with_error(
        self, request: HttpRequest, target: object, error: ValidationError, args: tuple, kwargs: dict
    ) -> HttpResponse:
        if request.method != "POST" or getattr(request, "_service_error", None) is not None:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)  # type: ignore[attr-defined]
            return HttpResponseRedirect(request.path)
        request._service_error = (target, error)  # type: ignore[attr-defined]
        return super().changeform_view(request, *args, **kwargs)  # type: ignore[misc]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change, **kwargs)  # type: ignore[misc]
        error = pending_service_error(request, type(self))
        return with_service_error(form_class, error) if error is not None else form_class

    def render_change_form(self, request: HttpRequest, context: dict, *args: Any, **kwargs: Any) -> HttpResponse:
        context["error_summary"] = error_summary(context)
        return super().render_change_form(request, context, *args, **kwargs)  # type: ignore[misc]


def error_summary(context: dict) -> list[dict[str, Any]]:
    """Each form error on the page with the id of its field, so the top note can link straight to it."""
    # A message may be a lazy translation string, rendered as text by the template.
    found: list[dict[str, Any]] = []
    adminform = context.get("adminform")
    forms_on_page: list[tuple[str, forms.BaseForm]] = []
    if adminform is not None:
        forms_on_page.append(("", adminform.form))
    for inline in context.get("inline_admin_formsets", []):
        for form in inline.formset.forms:
            forms_on_page.append((str(inline.opts.verbose_name).capitalize(), form))
    for where, form in forms_on_page:
        if not form.is_bound:
            continue
        for name, field_errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else None
            label = str(label or (name.replace("_", " ") if name != "__all__" else "")).capitalize()
            anchor = form[name].auto_id if name in form.fields else ""
            place = f"{where}: {label}" if where and label else (where or label)
            for message in field_errors:
                found.append({"place": place, "message": message, "anchor": anchor or ""})
    return found


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
        # ModelForm.clean always returns cleaned_data, never None.
        cleaned = cast(dict[str, Any], super().clean())
        started_from = cleaned.get("edited_version")
        if self.instance.pk is not None and started_from is not None:
            model = type(self.instance)
            current = model._default_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if current is not None and current != started_from:
                raise ValidationError(
                    _(
                        "Someone else saved this record while you were editing it, so your changes were not saved. "
                        "%(changes)s Reload the page to see the current version, then re-apply your changes."
                    ),
                    code="stale_edit",
                    params={"changes": describe_changes_since(self.instance, started_from)},
                )
        return cleaned


class VersionedAdmin(ServiceErrorsAdminMixin, SimpleHistoryAdmin):
    """History and restore for every record, and no crash when two saves race."""

    def _refuse_stale(self, request: HttpRequest, error: StaleEditError) -> HttpResponse:
        changes = describe_changes_since(error.record, error.expected_version)
        self.message_user(
            request,
            _(
                "Your changes were not saved: someone else saved this record at the same moment. %(changes)s "
                "Check the current version below and re-apply your changes."
            )
            % {"changes": changes},
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
        except ValidationError as error:
            # Restoring a version the rules no longer allow (e.g. a published claim back to draft).
            self.message_user(
                request,
                _("This version was not restored: %(problems)s") % {"problems": "; ".join(error.messages)},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)

    def change_reason(self, request: HttpRequest) -> str:
        """Saves from a history page restore an earlier version; say which one in the history."""
        match = request.resolver_match
        if match is None or not match.url_name or not match.url_name.endswith("_simple_history"):
            return ""
        # simple_history's restore URL passes (object_id, version_id) positionally.
        version_id = match.kwargs.get("version_id") or (match.args[1] if len(match.args) > 1 else None)
        return restored_version_reason(self.model, version_id)


def restored_version_reason(model: type[models.Model], version_id: Any) -> str:
    entry = model.history.filter(pk=version_id).first() if version_id is not None else None  # type: ignore[attr-defined]
    if entry is None:
        return "Restored an earlier version"
    recorded = timezone.localtime(entry.history_date)
    by = f" by {entry.history_user}" if entry.history_user is not None else ""
    return f"Restored the version saved{by} on {recorded.day} {recorded:%B %Y at %H:%M} (history entry {entry.pk})"
