"""One JSON shape for every error the API returns.

``{"error": {"status": 404, "code": "not_found", "message": "…", "fields": {...}}}`` — ``fields``
only on validation errors, keyed by parameter or body field.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core import signals
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from claimtracker.versioning import StaleEditError

logger = logging.getLogger(__name__)


class InvalidFilter(exceptions.ValidationError):
    default_code = "invalid_filter"
    error_code = "invalid_filter"


class InvalidHeader(exceptions.ValidationError):
    default_code = "invalid_header"
    error_code = "invalid_header"


class InvalidCursor(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = gettext_lazy("The cursor is not valid: use one the API returned.")
    default_code = "invalid_cursor"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    # Translators: If-Match is an HTTP header name; keep it as it is.
    default_detail = gettext_lazy("The claim has changed since the version you sent in If-Match.")
    default_code = "stale_version"


def error_body(*, status_code: int, code: str, message: str, fields: dict | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"status": status_code, "code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def _messages(detail: Any, path: str = "") -> list[str]:
    """Every message under ``detail``, prefixed with where it sits inside the field (``0.source.title``)."""
    if isinstance(detail, dict):
        return [message for key, value in detail.items() for message in _messages(value, _join(path, key))]
    if isinstance(detail, list):
        nested = any(isinstance(item, dict | list) for item in detail)
        return [
            message
            for index, item in enumerate(detail)
            for message in _messages(item, _join(path, str(index)) if nested else path)
        ]
    return [f"{path}: {detail}" if path else str(detail)]


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _flatten(detail: dict[str, Any]) -> dict[str, list[str]]:
    """Messages by top-level field, always a list of strings, as the schema promises.

    An error deep inside a field (the title of an appearance's source) stays under that field, its
    message saying where: ``{"appearances": ["0.source.title: This field is required."]}``.
    """
    return {str(key): _messages(value) for key, value in detail.items()}


def _first_message(fields: dict[str, list[str]]) -> str:
    for name, messages in fields.items():
        label = "" if name == "non_field_errors" else f"{name}: "
        if not messages:
            # Translators: %(field)s is the name of a request parameter or body field, e.g. "status".
            return gettext("%(field)s is not valid.") % {"field": name}
        return f"{label}{messages[0]}"
    return gettext("The request is not valid.")


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StaleEditError):
        exc = PreconditionFailed(str(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = exception_handler(exc, context)
    if response is None:
        # Not an API error: log it, tell Django's machinery (and the test client), answer in our shape.
        request = context.get("request")
        logger.exception("Unexpected error in the API", exc_info=exc)
        signals.got_request_exception.send(sender=None, request=getattr(request, "_request", request))
        body = error_body(status_code=500, code="server_error", message=gettext("Something went wrong on our side."))
        return Response(body, status=500)
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = _flatten(detail)
        code = getattr(exc, "error_code", "invalid")
        response.data = error_body(
            status_code=response.status_code, code=code, message=_first_message(fields), fields=fields
        )
        return response
    if isinstance(exc, Http404):
        code, message = "not_found", gettext("Not found.")
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        message = str(exc.detail)
    else:
        code, message = "error", str(exc)
    response.data = error_body(status_code=response.status_code, code=code, message=message)
    return response


@csrf_exempt  # An API path takes no session: a POST here must get the JSON 404, not the HTML CSRF page.
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Unknown paths under /api/v1/ answer in the API's error shape, not with an HTML page.

    A path that exists in the other trailing-slash convention (``/claims/``, ``/schema``) is
    redirected there with 308, which keeps the method, the body and the query.
    """
    other = _other_slash_convention(request.path_info)
    if other is not None:
        query = request.META.get("QUERY_STRING", "")
        location = f"{request.META.get('SCRIPT_NAME', '')}{other}{'?' + query if query else ''}"
        return HttpResponsePermanentRedirect(location, preserve_request=True)
    return JsonResponse(
        error_body(status_code=404, code="not_found", message=gettext("There is no such API endpoint.")), status=404
    )


def _other_slash_convention(path: str) -> str | None:
    candidate = path[:-1] if path.endswith("/") else f"{path}/"
    if candidate in ("", "/") or candidate == path:
        return None
    try:
        match = resolve(candidate)
    except Resolver404:
        return None
    return None if match.func is not_found else candidate
