"""How drf-spectacular describes the API-key authentication."""

import re

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction
from rest_framework import serializers

from api.representations import LANGUAGE_CODES


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    # Either header carries the key: two schemes, each enough on its own.
    name = ["ApiKeyAuth", "ApiKeyAuthorization"]

    def get_security_requirement(self, auto_schema):
        return [{name: []} for name in self.name]  # either one (OR), not both

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "X-API-Key",
                "description": "A partner key, sent as `X-API-Key: <key>`. Reading needs no key; writing needs "
                "the key of an editor.",
            },
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "The same key sent as `Authorization: Api-Key <key>`.",
            },
        ]


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `invalid_filter`, `not_found`.")
    message = serializers.CharField(help_text="A sentence for humans.")
    # The stubs see Serializer.fields here; DRF's metaclass moves a declared field out of the class.
    fields = serializers.DictField(  # type: ignore[assignment]
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

    def _get_response_bodies(self, direction: Direction = "response") -> dict:
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


# --- Post-processing: a schema every standard validator and client generator accepts ------------

# One short summary per operation, for generated clients' method docs and the docs' menus.
SUMMARIES = {
    "claims_list": "List claims",
    "claims_create": "Create a claim",
    "claims_csv_retrieve": "Export claims as CSV",
    "claims_retrieve": "Get a claim by id",
    "claims_by_slug_retrieve": "Get a claim by its slug",
    "claims_status_updates_create": "Record a status update",
    "claims_claimreview_retrieve": "Get a claim's ClaimReview",
    "claimreviews_list": "List ClaimReviews",
    "changes_retrieve": "Read the change feed",
    "people_list": "List people and organisations",
    "people_retrieve": "Get a person or organisation",
    "sources_list": "List sources",
    "sources_retrieve": "Get a source",
    "statuses_list": "List the statuses of both scales",
    "terms_list": "List terms of office",
    "terms_retrieve": "Get a term of office",
    "scorecards_retrieve": "Get the tracker's scorecard",
    "people_scorecard_retrieve": "Get a person's scorecard",
    "terms_scorecard_retrieve": "Get a term's scorecard",
}

# Tags of the operations added since the settings' SPECTACULAR_SETTINGS["TAGS"] were written: each
# operation's tag is defined in the document (linters and tests/test_api_contract.py check it).
TAGS = [
    {"name": "terms", "description": "Terms of office of the people whose claims are tracked."},
    {
        "name": "scorecards",
        "description": "How the pledges of the tracker, a topic, a person or a term stand, now or as of a day, "
        "and week by week.",
    },
]

# What drf-spectacular writes for a field that may also be blank: two branches a blank value matches both
# of (a URI validator need not reject ""), so ``oneOf`` would refuse it; ``anyOf`` says what is meant.
_BLANK_BRANCH = {"type": "string", "maxLength": 0}


# Every read answers in a language (claimtracker/languages.py, api/representations.py).
LANGUAGE_PARAMETERS = [
    {
        "in": "query",
        "name": "lang",
        "required": False,
        "schema": {"type": "string", "enum": list(LANGUAGE_CODES)},
        "description": "The language of the texts the desk translates (summaries, rationales, status labels, "
        "topic names) and of error messages. Wins over `Accept-Language`. Each text says its language in "
        "`<field>_language`: a text with no translation into the language asked for is given in English.",
    },
    {
        "in": "header",
        "name": "Accept-Language",
        "required": False,
        "schema": {"type": "string"},
        "description": "The languages the client reads, as in HTTP (e.g. `uk, en;q=0.5`), used when `lang` "
        "is not given. Answers say `Vary: Accept-Language`.",
    },
    {
        "in": "query",
        "name": "translations",
        "required": False,
        "schema": {"type": "boolean", "default": False},
        "description": "With `true`, every object with a translated text carries `translations`: each of "
        "its texts in every language, null where the desk has no translation.",
    },
]
CONTENT_LANGUAGE_HEADER = {
    "description": "The language the answer was made in (`lang`, else `Accept-Language`, else `en`).",
    "schema": {"type": "string", "enum": list(LANGUAGE_CODES)},
}


def postprocess_schema(result: dict, generator: object, request: object, public: bool) -> dict:
    """Fix what drf-spectacular writes that OpenAPI 3.0.3 validators and linters refuse."""
    defined = {tag["name"] for tag in result.get("tags", [])}
    result.setdefault("tags", []).extend(tag for tag in TAGS if tag["name"] not in defined)
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            operation.setdefault("summary", SUMMARIES.get(operation["operationId"], _summary(operation["operationId"])))
            if method == "get":
                _document_languages(operation)
    _walk(result.get("components", {}))
    _walk(result.get("paths", {}))
    schemas = result.get("components", {}).get("schemas", {})
    if "NullEnum" in schemas and "#/components/schemas/NullEnum" not in repr(result["paths"]) + repr(schemas):
        del schemas["NullEnum"]
    return result


def _document_languages(operation: dict) -> None:
    names = {(parameter.get("in"), parameter.get("name")) for parameter in operation.get("parameters", [])}
    operation.setdefault("parameters", []).extend(
        parameter for parameter in LANGUAGE_PARAMETERS if (parameter["in"], parameter["name"]) not in names
    )
    for code, response in operation.get("responses", {}).items():
        if code.startswith("2"):
            response.setdefault("headers", {})["Content-Language"] = CONTENT_LANGUAGE_HEADER


def _summary(operation_id: str) -> str:
    return operation_id.replace("_", " ").capitalize()


def _walk(node: object) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item)
        return
    if not isinstance(node, dict):
        return
    _fix_schema(node)
    for value in node.values():
        _walk(value)


_NULL_ENUM = {"$ref": "#/components/schemas/NullEnum"}


def _fix_schema(node: dict) -> None:
    # A nullable choice (``rationale_language`` of a removed update): "this enum, or null", with the
    # null branch typed, since 3.0.3 wants ``type`` beside ``nullable``.
    if "oneOf" in node and _NULL_ENUM in node["oneOf"] and "type" not in node:
        node["oneOf"] = [
            {"type": "string", "nullable": True, "enum": [None]} if branch == _NULL_ENUM else branch
            for branch in node["oneOf"]
        ]
        node.pop("nullable", None)
    # ``nullable`` beside ``allOf`` with no ``type`` is meaningless in 3.0.3: say "this object, or null".
    if node.get("nullable") and "allOf" in node and "type" not in node and len(node["allOf"]) == 1:
        node["oneOf"] = [node.pop("allOf")[0], {"type": "object", "nullable": True, "enum": [None]}]
        node.pop("nullable")
    if "oneOf" in node and _BLANK_BRANCH in node["oneOf"]:
        node["anyOf"] = node.pop("oneOf")
    # A default the field's own pattern refuses (a blank slug meaning "make one from the summary").
    if node.get("default") == "" and "pattern" in node and not re.match(node["pattern"], ""):
        node.pop("default")
        node["pattern"] = node["pattern"].replace("]+$", "]*$")
    # DRF's pagination example is not a URI (it ends in a quote).
    example = node.get("example")
    if node.get("format") == "uri" and isinstance(example, str) and '"' in example:
        node["example"] = example.replace('"', "")
