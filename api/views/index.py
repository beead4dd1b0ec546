"""The API root (``/api/v1/``) and the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.renderers import OrjsonRenderer
from api.views.http_caching import ApiViewMixin


@extend_schema(exclude=True)
class ApiIndexView(ApiViewMixin, APIView):
    """``/api/v1/``: where each resource, the schema and the documentation are."""

    renderer_classes = [OrjsonRenderer]

    def get(self, request: Request) -> Response:
        def link(name: str) -> str:
            return request.build_absolute_uri(reverse(name))

        return Response(
            {
                "name": "Claim Tracker API",
                "version": "v1",
                "resources": {
                    "claims": link("api:claim-list"),
                    "claims_csv": link("api:claim-csv"),
                    "claim": link("api:claim-list") + "/{id}",
                    "claim_by_slug": link("api:claim-list") + "/by-slug/{slug}",
                    "claimreviews": link("api:claimreview-list"),
                    "changes": link("api:change-list"),
                    "people": link("api:person-list"),
                    "person_scorecard": link("api:person-list") + "/{slug}/scorecard",
                    "terms": link("api:term-list"),
                    "term": link("api:term-list") + "/{id}",
                    "term_scorecard": link("api:term-list") + "/{id}/scorecard",
                    "scorecard": link("api:scorecard"),
                    "sources": link("api:source-list"),
                    "statuses": link("api:status-list"),
                },
                "schema": link("api:schema"),
                "docs": link("api:docs"),
            }
        )


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema; its errors (a 405) in the API's JSON error shape, not in YAML."""

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        return response
