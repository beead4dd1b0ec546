"""Helpers shared by the partner API tests (tests/test_api_*.py): what a partner does, over HTTP
only, with the API and with the webhooks it receives."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from api.keys import api_key_create
from claims import services
from claims.models import Claim, Status, StatusUpdate
from tests import factories
from tests.factories import record_status


def key_for(user: AbstractBaseUser, name: str = "Daily Planet mirror") -> str:
    """A fresh plain API key owned by ``user``."""
    return api_key_create(name=name, owner=user)[1]


def partner_client(user: AbstractBaseUser | None = None) -> Client:
    """A client sending a partner key: a viewer's unless ``user`` is given."""
    raw_key = key_for(user or factories.ViewerFactory())
    return Client(headers={"Authorization": f"Api-Key {raw_key}"})


def editor_client() -> tuple[Client, AbstractBaseUser]:
    editor = factories.EditorFactory()
    return partner_client(editor), editor


def record(
    claim: Claim,
    slug: str,
    *,
    by: AbstractBaseUser | None = None,
    days_after: int = 1,
    evidence: int | None = None,
    corrects: StatusUpdate | None = None,
) -> StatusUpdate:
    """Record a published status update through the service, with ``evidence`` new sources.

    Without ``evidence``, a verdict gets one new source (verdicts need evidence) and "not yet
    rated" none.
    """
    return record_status(
        claim=claim,
        status=Status.objects.get(scale=claim.scale, slug=slug),
        effective_on=claim.made_on + datetime.timedelta(days=days_after),
        rationale=f"Rated {slug} on the evidence.",
        recorded_by=by or factories.EditorFactory(),
        evidence=None if evidence is None else factories.SourceFactory.create_batch(evidence),
        corrects=corrects,
    )


def published_claim(*, by: AbstractBaseUser | None = None, **fields: Any) -> Claim:
    """A published claim created through the service, so the change log records it."""
    defaults: dict[str, Any] = {
        "claimant": fields.pop("claimant", None) or factories.PersonFactory(),
        "kind": "pledge",
        "quote": "We will build ten new bridges.",
        "summary": "Ten new bridges",
        "made_on": timezone.localdate() - datetime.timedelta(days=60),
        "visibility": "published",
    }
    defaults.update(fields)
    return services.claim_create(created_by=by or factories.EditorFactory(), **defaults)


def results(response: Any) -> list[dict]:
    return response.json()["results"]


def error_of(response: Any) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == response.status_code
    return body["error"]


def claim_body(**fields: Any) -> dict[str, Any]:
    """A valid body for POST /api/v1/claims; ``fields`` replace its values. The source URL carries a
    tracking parameter and capitals, which the service normalises."""
    body: dict[str, Any] = {
        "claimant": factories.PersonFactory(slug="ada").slug,
        "kind": "pledge",
        "quote": "We will plant a million trees.",
        "summary": "A million trees",
        "made_on": "2026-01-15",
        "topics": [factories.TopicFactory(slug="environment").slug],
        "appearances": [
            {
                "source": {"url": "https://News.example/trees?utm_source=x", "title": "Trees"},
                "is_first_appearance": True,
            }
        ],
        "visibility": "published",
    }
    body.update(fields)
    return body


# --- A partner's mirror, kept through the change feed ---------------------------------------------


def sync(partner: Client, mirror: dict[int, dict], cursor: str, *, page_size: int = 7) -> str:
    """Apply every change after ``cursor`` to ``mirror``, as docs/api.md's recipe does; return the cursor to store."""
    while True:
        page = partner.get("/api/v1/changes", {"after": cursor, "page_size": page_size}).json()
        for change in page["results"]:
            for claim in [change["claim"], *change["related"]]:
                if claim.get("deleted"):
                    mirror.pop(claim["id"], None)
                else:
                    mirror[claim["id"]] = claim
        cursor = page["cursor"]
        if not page["has_more"]:
            return cursor


def full_walk(partner: Client, *, page_size: int = 4) -> dict[int, dict]:
    """Every published claim, by id, from following /api/v1/claims page by page."""
    claims, url = {}, f"/api/v1/claims?page_size={page_size}"
    while url:
        page = partner.get(url).json()
        claims.update({claim["id"]: claim for claim in page["results"]})
        url = page["next"]
    return claims


# --- A partner's webhook endpoint (the ``receiver`` fixture in tests/conftest.py serves one) -----


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A partner's endpoint: records each POST and answers with the next queued status code."""

    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    delay: float = 0.0

    def events(self) -> list[str]:
        return [request.json["event"] for request in self.received]


def verify(*, secret: str, request: Received) -> bool:
    """What a partner does: the Standard Webhooks library checks the headers against the raw body."""
    try:
        Webhook(secret).verify(request.body, request.headers, json_parse=False)
    except WebhookVerificationError:
        return False
    return True
