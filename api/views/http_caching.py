"""HTTP caching for every API view (ETag, Last-Modified, 304s) and the claim list's stored answers."""

from __future__ import annotations

import contextvars
import hashlib
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.schemas.inspectors import ViewInspector
from rest_framework.views import APIView

from api import caching as api_caching
from api.exceptions import InvalidFilter
from api.permissions import has_editor_key
from api.renderers import CSVRenderer
from api.representations import translations_wanted
from api.schema import ApiAutoSchema
from claims.models import TEXT_LANGUAGES, Claim
from claimtracker.languages import LANGUAGE_PARAMETER

# Every translated text with all its languages (api/representations.py, ``translations``).
TRANSLATIONS_PARAMETER = "translations"

if TYPE_CHECKING:
    # The mixins only ever sit in front of an APIView: let mypy see its attributes and its super() methods.
    _ViewBase = APIView
else:
    _ViewBase = object


class ApiViewMixin(_ViewBase):
    """Conditional GET (ETag, Last-Modified, 304), ``Vary`` on the key, errors always as JSON."""

    # Set by a view to make its ETag "<claim id>-<version>-<digest>", usable in If-Match.
    etag_claim: Claim | None = None
    last_modified: Any = None
    schema: ViewInspector | None = ApiAutoSchema()

    # Resets ``translations_wanted`` when the answer is made (set by ``check_language_parameters``).
    _translations_token: contextvars.Token[bool] | None = None

    def include_unpublished(self) -> bool:
        return has_editor_key(self.request)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Checked before content negotiation, which would answer an unknown format with a bare 404
        # (or, where the route fixes the format, ignore it).
        self.check_format_parameter(request)
        self.check_language_parameters(request)
        super().initial(request, *args, **kwargs)

    def check_language_parameters(self, request: Request) -> None:
        """``lang`` names a language we serve (claimtracker/languages.py has chosen it); ``translations`` is a boolean."""
        languages = list(TEXT_LANGUAGES)
        if any(value not in languages for value in request.query_params.getlist(LANGUAGE_PARAMETER)):
            raise InvalidFilter(
                {LANGUAGE_PARAMETER: [gettext("Use one of: %(languages)s.") % {"languages": ", ".join(languages)}]}
            )
        wanted = request.query_params.get(TRANSLATIONS_PARAMETER, "false")
        if wanted not in ("true", "false"):
            raise InvalidFilter({TRANSLATIONS_PARAMETER: [gettext("Use true or false.")]})
        self._translations_token = translations_wanted.set(wanted == "true")

    def check_format_parameter(self, request: Request) -> None:
        if "format" not in request.query_params:
            return
        formats = sorted({renderer.format for renderer in self.renderer_classes})
        if kwargs_format := self.kwargs.get("format"):
            formats = [kwargs_format]
        if any(value not in formats for value in request.query_params.getlist("format")):
            # Translators: %(formats)s lists the formats allowed, e.g. "csv, json".
            raise InvalidFilter({"format": [gettext("Use one of: %(formats)s.") % {"formats": ", ".join(formats)}]})

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        token = getattr(self, "_translations_token", None)
        if token is not None:
            translations_wanted.reset(token)
            self._translations_token = None
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization", "X-API-Key", "Accept-Language"])
        if not isinstance(response, Response):
            return response
        if response.status_code >= 400 and isinstance(getattr(response, "accepted_renderer", None), CSVRenderer):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        if response.status_code not in (200, 201):
            return response
        response.render()
        digest = hashlib.sha256(response.content).hexdigest()[:20]
        claim = self.etag_claim
        etag = quote_etag(f"{claim.pk}-{claim.version}-{digest}" if claim is not None else digest)
        response["ETag"] = etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified.timestamp())
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            not_modified = get_conditional_response(
                request._request, etag=etag, last_modified=self.last_modified_timestamp(), response=response
            )
            if not_modified is not None and not_modified.status_code == 304:
                return not_modified
        return response

    def last_modified_timestamp(self) -> int | None:
        return int(self.last_modified.timestamp()) if self.last_modified is not None else None


class StoredAnswerMixin(_ViewBase):
    """Stored answers (api.caching): a stored one is served, or a 304, without rebuilding it; a 200 is stored.

    Before ApiViewMixin in a view's bases, so the answer is stored with the ETag that mixin gives it.
    """

    cache_key: str | None = None

    def cached_response(self, request: Request, content: bytes, etag: str, last_modified: str | None) -> HttpResponse:
        """The stored answer, or a 304 when the client already holds it: no queries beyond the version."""
        timestamp = parse_http_date_safe(last_modified) if last_modified else None
        response = get_conditional_response(request._request, etag=etag, last_modified=timestamp)
        if response is None:
            response = HttpResponse(content, content_type="application/json")
        response["ETag"] = etag
        if last_modified:
            response["Last-Modified"] = last_modified
        return response

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.cache_key and isinstance(response, Response) and response.status_code == 200:
            api_caching.store(self.cache_key, response.content, response["ETag"], response.get("Last-Modified"))
        return response
