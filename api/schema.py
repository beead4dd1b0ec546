"""How drf-spectacular describes the API-key authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
