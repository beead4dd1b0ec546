"""The API's OpenAPI schema as a contract, checked on every request the API tests make.

``check_exchange`` is called for each request the Django test client sends to ``/api/v1/`` from a
``tests/test_api_*.py`` module (see ``tests/conftest.py``), with openapi-core:

- a response to a documented operation must match the schema: a documented status code, its
  content type and body, its headers;
- a request the schema says is invalid must be refused (4xx): the API may be stricter than its
  schema (an unknown slug), never looser.

Redirects (308 to the other trailing-slash convention or the old slug address), the schema and docs
pages themselves and undocumented paths (the JSON 404) are not operations of the schema.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound, ServerNotFound
from openapi_core.templating.responses.exceptions import ResponseNotFound

API_PREFIX = "/api/v1/"
NOT_OPERATIONS = ("/api/v1/schema/", "/api/v1/docs/")
_UNDOCUMENTED = (PathNotFound, OperationNotFound, ServerNotFound)


@functools.cache
def openapi() -> OpenAPI:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return OpenAPI.from_dict(json.loads(OpenApiJsonRenderer().render(schema, renderer_context={})))


class ContractViolation(AssertionError):
    pass


class ApiRequest(DjangoOpenAPIRequest):
    """Django's ``<int:pk>`` is the schema's ``{id}`` (drf-spectacular's name for a primary key)."""

    def __init__(self, request: Any) -> None:
        super().__init__(request)
        path = self.parameters.path
        self.parameters.path = {("id" if name == "pk" else name): value for name, value in path.items()}

    @property
    def path_pattern(self) -> str | None:
        pattern = super().path_pattern
        return pattern.replace("{pk}", "{id}") if pattern else pattern


def check_exchange(response: HttpResponse) -> None:
    request = getattr(response, "wsgi_request", None)
    if request is None or not request.path.startswith(API_PREFIX) or request.path.startswith(NOT_OPERATIONS):
        return
    if response.status_code in (301, 302, 307, 308):
        return
    spec = openapi()
    openapi_request = ApiRequest(request)
    try:
        request_errors: list[BaseException] = []
        spec.validate_request(openapi_request)
    except _UNDOCUMENTED:
        return
    except Exception as error:
        request_errors = [error]
    if request_errors and not 400 <= response.status_code < 500:
        raise ContractViolation(
            f"{request.method} {request.get_full_path()} is invalid by the schema ({_describe(request_errors[0])}) "
            f"but the API answered {response.status_code}"
        )
    try:
        spec.validate_response(openapi_request, _readable(response))
    except ResponseNotFound as error:
        raise ContractViolation(
            f"{request.method} {request.get_full_path()}: status {response.status_code} is not documented"
        ) from error
    except _UNDOCUMENTED:
        return
    except Exception as error:
        raise ContractViolation(
            f"{request.method} {request.get_full_path()} -> {response.status_code} strays from the schema: "
            f"{_describe(error)}"
        ) from error


def _describe(error: BaseException) -> str:
    causes = [str(error)]
    cause: Any = error.__cause__
    while cause is not None:
        causes.append(str(cause))
        schema_errors = getattr(cause, "schema_errors", None)
        if schema_errors:
            causes.extend(f"{list(e.absolute_path)}: {e.message}" for e in schema_errors[:3])
        cause = cause.__cause__
    return " / ".join(causes)[:2000]


def _readable(response: HttpResponse) -> DjangoOpenAPIResponse:
    if isinstance(response, StreamingHttpResponse):
        # Read the stream once and hand the test the same bytes again.
        content = b"".join(response.streaming_content)
        response.streaming_content = [content]
        copy = HttpResponse(content, status=response.status_code, content_type=response["Content-Type"])
        return DjangoOpenAPIResponse(copy)
    return DjangoOpenAPIResponse(response)
