"""The admin entry point: upload a spreadsheet, read the dry-run preview, confirm.

Editors and Admins (anyone who may add claims) import; the list of past imports is the record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from claimtracker.admin_versioning import acting_user
from imports import spreadsheet
from imports.models import ImportRun, ImportState

SAMPLES = Path(__file__).resolve().parent / "samples"
# Rows shown in the preview; the counts cover the whole file.
PREVIEW_ROWS = 50


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy(
            "A .csv (UTF-8) or .xlsx file in the template's format: one row per person, claim, source or status."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORTS_MAX_BYTES:
            raise forms.ValidationError(spreadsheet.file_too_large(upload.size))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


def can_import(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.has_perm("claims.add_claim")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["file_name", "user", "state", "row_count", "error_count", "created", "created_at"]
    list_filter = ["state", "created_at"]
    list_select_related = ["user"]
    search_fields = ["file_name", "user__username"]
    fields = ["file_name", "file_sha256", "user", "state", "row_count", "error_count", "counts", "created_at"]
    readonly_fields = cast(list[str], fields)  # every field shown is read-only

    @admin.display(description=gettext_lazy("people / claims / sources / statuses"))
    def created(self, run: ImportRun) -> str:
        return " / ".join(str(run.counts.get(key, 0)) for key in ("people", "claims", "sources", "statuses"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_import(request)

    def has_change_permission(self, request: HttpRequest, obj: ImportRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ImportRun | None = None) -> bool:
        return request.user.is_superuser

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="imports_importrun_upload"),
            path("<int:pk>/preview/", wrap(self.preview_view), name="imports_importrun_preview"),
            path("template.csv", wrap(self.template_view), name="imports_importrun_template"),
            path("sample.csv", wrap(self.sample_view), name="imports_importrun_sample"),
            *super().get_urls(),
        ]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        # "Add import" is "Import from spreadsheet".
        return HttpResponseRedirect(reverse("admin:imports_importrun_upload"))

    def _context(self, request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **extra}

    def template_view(self, request: HttpRequest) -> FileResponse:
        if not can_import(request):
            raise PermissionDenied
        return FileResponse((SAMPLES / "template.csv").open("rb"), as_attachment=True, filename="claims-import.csv")

    def sample_view(self, request: HttpRequest) -> FileResponse:
        if not can_import(request):
            raise PermissionDenied
        return FileResponse((SAMPLES / "sample.csv").open("rb"), as_attachment=True, filename="claims-sample.csv")

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not can_import(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read(settings.IMPORTS_MAX_BYTES + 1)
            try:
                plan = spreadsheet.preview(file_name=upload.name, content=content)
            except spreadsheet.FileError as error:
                form.add_error("file", str(error))
            else:
                if not plan.rows:
                    form.add_error("file", nothing_to_import())
                else:
                    run = ImportRun.objects.create(
                        user=acting_user(request),
                        file_name=upload.name[:255],
                        file_sha256=hashlib.sha256(content).hexdigest(),
                        content=content,
                        rows=spreadsheet.rows_to_json(plan.rows),
                        row_count=len(plan.rows),
                        error_count=len(plan.errors),
                        counts=plan.counts,
                        errors=[error.as_dict() for error in plan.errors],
                    )
                    return HttpResponseRedirect(reverse("admin:imports_importrun_preview", args=[run.pk]))
        return TemplateResponse(
            request,
            "imports/upload.html",
            self._context(
                request,
                _("Import from spreadsheet"),
                form=form,
                max_mb=settings.IMPORTS_MAX_BYTES / 1_000_000,
                max_rows=settings.IMPORTS_MAX_ROWS,
                columns=spreadsheet.COLUMNS,
            ),
        )

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
        if not can_import(request):
            raise PermissionDenied
        run = get_object_or_404(ImportRun, pk=pk, user=request.user)
        if run.state != ImportState.PREVIEWED:
            return HttpResponseRedirect(reverse("admin:imports_importrun_change", args=[run.pk]))
        if request.method == "POST" and not run.errors:
            return self._confirm(request, run)
        try:
            rows = _stored_rows(run)
        except spreadsheet.FileError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:imports_importrun_upload"))
        return TemplateResponse(
            request,
            "imports/preview.html",
            self._context(
                request,
                _("Preview of %(file)s") % {"file": run.file_name},
                run=run,
                errors=run.errors,
                rows=[_preview_row(row) for row in rows[:PREVIEW_ROWS]],
                more_rows=max(len(rows) - PREVIEW_ROWS, 0),
            ),
        )

    def _confirm(self, request: HttpRequest, run: ImportRun) -> HttpResponse | StreamingHttpResponse:
        """Check again (the database may have changed since the preview), then import it all or nothing.

        A large file streams a page that shows the import's progress as it goes.
        """
        errors: list[spreadsheet.RowError]
        try:
            plan = spreadsheet.check(_stored_rows(run))
            if not plan.rows:
                raise spreadsheet.FileError(nothing_to_import())
            if not plan.errors and len(plan.rows) >= settings.IMPORTS_PROGRESS_ROWS:
                return self._confirm_showing_progress(request, run, plan)
            created = spreadsheet.apply(plan=plan, user=acting_user(request), reason=f"Imported from {run.file_name}")
        except spreadsheet.FileError as error:
            errors = [spreadsheet.RowError(1, "", str(error))]
        except spreadsheet.ImportFailed as failure:
            errors = failure.errors
        else:
            _record_imported(run, created)
            messages.success(request, _imported_message(created, run.file_name))
            return HttpResponseRedirect(reverse("admin:imports_importrun_changelist"))
        _record_failed(run, errors)
        messages.error(request, _failed_message(errors))
        return HttpResponseRedirect(reverse("admin:imports_importrun_change", args=[run.pk]))

    def _confirm_showing_progress(
        self, request: HttpRequest, run: ImportRun, plan: spreadsheet.ImportPlan
    ) -> StreamingHttpResponse:
        # The page is sent in pieces as rows are imported. If the reader closes it, the server
        # stops reading the steps and the import's transaction rolls back: nothing is imported.
        page = render_to_string(
            "imports/progress.html",
            {
                **self._context(request, _("Importing %(file)s") % {"file": run.file_name}),
                "run": run,
                "rows": len(plan.rows),
            },
            request=request,
        )
        head, tail = page.split(PROGRESS_MARKER)
        run_url = reverse("admin:imports_importrun_change", args=[run.pk])
        user = acting_user(request)

        # The pieces are made while the response streams, after the request's language is let go.
        language = translation.get_language()

        def pieces() -> Iterator[str]:
            with translation.override(language):
                yield from progress_pieces()

        def progress_pieces() -> Iterator[str]:
            yield head
            steps = spreadsheet.apply_in_steps(plan=plan, user=user, reason=f"Imported from {run.file_name}")
            try:
                # One line as each kind of record is written (people, sources, claims, statuses).
                for progress in steps:
                    yield format_html("<li>{}</li>\n", _progress_message(progress.done, progress.total))
            except spreadsheet.ImportFailed as failure:
                _record_failed(run, failure.errors)
                yield format_html(
                    '<li class="import-outcome import-outcome--failed"><strong>{}</strong> <a href="{}">{}</a>.</li>\n',
                    _failed_message(failure.errors),
                    run_url,
                    _("See which rows failed"),
                )
            else:
                _record_imported(run, progress.created)
                yield format_html(
                    '<li class="import-outcome"><strong>{}</strong> <a href="{}">{}</a>.</li>\n',
                    _imported_message(progress.created, run.file_name),
                    run_url,
                    _("See the import"),
                )
            yield tail

        response = StreamingHttpResponse(pieces(), content_type="text/html; charset=utf-8")
        response["Cache-Control"] = "no-store"
        response["X-Accel-Buffering"] = "no"  # ask nginx to pass each piece on at once
        return response


PROGRESS_MARKER = "<!-- import progress -->"


def nothing_to_import() -> str:
    return _("The file has no rows under the header: there is nothing to import.")


def _progress_message(done: int, total: int) -> str:
    return ngettext(
        "%(done)d of %(total)d row imported (%(percent)d%%)",
        "%(done)d of %(total)d rows imported (%(percent)d%%)",
        total,
    ) % {"done": done, "total": total, "percent": done * 100 // max(total, 1)}


def _imported_message(created: dict[str, int], file_name: str) -> str:
    return format_html(
        # Translators: four counts in one sentence, so no one plural form fits them all; a wording whose
        # nouns do not change with the number ("people: {people}, claims: {claims}, …") reads right.
        _("Imported {people} people, {claims} claims, {sources} sources and {statuses} status updates from {file}."),
        people=created["people"],
        claims=created["claims"],
        sources=created["sources"],
        statuses=created["statuses"],
        file=file_name,
    )


def _failed_message(errors: list[spreadsheet.RowError]) -> str:
    return ngettext(
        # Translators: the English singular keeps "row(s)" as the message has always read; use your singular.
        "Nothing was imported: %(count)d row(s) failed. Fix the file and upload it again.",
        "Nothing was imported: %(count)d rows failed. Fix the file and upload it again.",
        len(errors),
    ) % {"count": len(errors)}


def _preview_row(row: spreadsheet.Row) -> dict[str, Any]:
    # Worked out here, not in the template: a row lacks the columns it left empty (or a short CSV line never had).
    def first(*columns: str) -> str:
        return next((row.text(column) for column in columns if row.text(column)), "")

    return {
        "number": row.number,
        "type": row.type,
        "key": first("slug", "claim"),
        "label": first("name", "summary", "url", "status")[:200],
    }


def _stored_rows(run: ImportRun) -> list[spreadsheet.Row]:
    """The rows read at upload. An upload kept from before rows were stored is read once more, and they are kept."""
    if run.rows is None:
        run.rows = spreadsheet.rows_to_json(spreadsheet.read_rows(file_name=run.file_name, content=bytes(run.content)))
        run.save(update_fields=["rows"])
    return spreadsheet.rows_from_json(run.rows)


def _record_imported(run: ImportRun, created: dict[str, int]) -> None:
    run.state, run.counts, run.finished_at = ImportState.IMPORTED, created, timezone.now()
    run.content, run.rows = b"", None
    run.save(update_fields=["state", "counts", "content", "rows", "finished_at"])


def _record_failed(run: ImportRun, errors: list[spreadsheet.RowError]) -> None:
    run.state, run.finished_at = ImportState.FAILED, timezone.now()
    run.errors, run.error_count = [error.as_dict() for error in errors], len(errors)
    run.save(update_fields=["state", "finished_at", "errors", "error_count"])
