"""How drf-spectacular describes the API-key authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": "A partner key, sent as `X-API-Key: <key>` or `Authorization: Api-Key <key>`. "
            "Reading needs no key; writing needs the key of an editor.",
        }


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `invalid_filter`, `not_found`.")
    message = serializers.CharField(help_text="A sentence for humans.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="On validation errors: messages by parameter or body field.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERROR_DESCRIPTIONS = {
    400: "A parameter or body field is not valid: `error.fields` names it.",
    401: "The API key is missing (for a write), unknown or revoked.",
    403: "The key's owner may not write.",
    404: "No such resource, or it is not published.",
    429: "Rate limited: retry after the `Retry-After` header's seconds.",
}
WRITE_ERROR_DESCRIPTIONS = {412: "The claim changed since the ETag sent in `If-Match`; nothing was written."}


class ApiAutoSchema(AutoSchema):
    """Every operation documents the shared error shape; reads need no key (empty security requirement)."""

    def get_auth(self) -> list[dict]:
        auths = super().get_auth()
        if self.method in ("GET", "HEAD") and {} not in auths:
            auths.append({})
        return auths

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        descriptions = dict(ERROR_DESCRIPTIONS)
        if self.method == "POST":
            descriptions.update(WRITE_ERROR_DESCRIPTIONS)
        for code, description in descriptions.items():
            responses.setdefault(
                str(code), {"description": description, "content": {"application/json": {"schema": error}}}
            )
        if self.method == "GET":
            responses.setdefault("304", {"description": "Not modified since the ETag sent in `If-None-Match`."})
        return responses
