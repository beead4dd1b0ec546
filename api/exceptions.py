"""One JSON shape for every error the API returns.

``{"error": {"status": 404, "code": "not_found", "message": "…", "fields": {...}}}`` — ``fields``
only on validation errors, keyed by parameter or body field.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core import signals
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from claimtracker.versioning import StaleEditError

logger = logging.getLogger(__name__)


class InvalidFilter(exceptions.ValidationError):
    default_code = "invalid_filter"
    error_code = "invalid_filter"


class InvalidCursor(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The cursor is not valid: use one the API returned."
    default_code = "invalid_cursor"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The claim has changed since the version you sent in If-Match."
    default_code = "stale_version"


def error_body(*, status_code: int, code: str, message: str, fields: dict | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"status": status_code, "code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        flat = [_flatten(item) for item in detail]
        return flat
    return str(detail)


def _first_message(fields: dict[str, Any]) -> str:
    for name, value in fields.items():
        while isinstance(value, list | dict):
            if not value:
                break
            value = value[0] if isinstance(value, list) else next(iter(value.values()))
        label = "" if name == "non_field_errors" else f"{name}: "
        return f"{label}{value}"
    return "The request is not valid."


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
        body = error_body(status_code=500, code="server_error", message="Something went wrong on our side.")
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
        code, message = "not_found", "Not found."
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        message = str(exc.detail)
    else:
        code, message = "error", str(exc)
    response.data = error_body(status_code=response.status_code, code=code, message=message)
    return response


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown paths under /api/v1/ answer in the API's error shape, not with an HTML page."""
    return JsonResponse(
        error_body(status_code=404, code="not_found", message="There is no such API endpoint."), status=404
    )
