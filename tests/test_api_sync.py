"""A partner mirrors the claims through the change feed and stays equal to the API."""

import pytest
from django.core.cache import cache
from django.test import Client

from claims import services
from tests import factories
from tests.api_support import published_claim, record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def sync(client: Client, mirror: dict[int, dict], cursor: str) -> str:
    """Apply every change after ``cursor`` to ``mirror``; return the cursor to store."""
    while True:
        page = client.get("/api/v1/changes", {"after": cursor, "page_size": 3}).json()
        for change in page["results"]:
            for claim in [change["claim"], *change["related"]]:
                if claim.get("deleted"):
                    mirror.pop(claim["id"], None)
                else:
                    mirror[claim["id"]] = claim
        cursor = page["cursor"]
        if not page["has_more"]:
            return cursor


def published_claims_from_the_api(client: Client) -> dict[int, dict]:
    claims, url = {}, "/api/v1/claims?page_size=2"
    while url:
        page = client.get(url).json()
        claims.update({claim["id"]: claim for claim in page["results"]})
        url = page["next"]
    return claims


def test_a_mirror_synced_from_its_cursor_equals_the_published_claims():
    editor = factories.EditorFactory()
    partner = Client()
    plan = published_claim(by=editor, kind="plan", summary="Housing plan")
    component = published_claim(by=editor, parent=plan, summary="Build homes")
    to_withdraw = published_claim(by=editor, summary="Lower rents")
    to_correct = published_claim(by=editor, summary="Cut taxes")
    draft = published_claim(by=editor, visibility="draft", summary="Not yet public")
    wrong = record(to_correct, "broken", by=editor)

    mirror: dict[int, dict] = {}
    cursor = sync(partner, mirror, "0")
    assert mirror == published_claims_from_the_api(partner)
    assert set(mirror) == {plan.pk, component.pk, to_withdraw.pk, to_correct.pk}

    record(component, "in-the-works", by=editor, evidence=2)
    record(plan, "stalled", by=editor)
    record(to_correct, "kept", by=editor, corrects=wrong)
    services.claim_set_visibility(claim=to_withdraw, visibility="withdrawn", changed_by=editor, reason="Misquoted.")
    services.claim_set_visibility(claim=draft, visibility="published", changed_by=editor)
    services.claim_set_visibility(claim=component, visibility="withdrawn", changed_by=editor, reason="Duplicate.")

    cursor = sync(partner, mirror, cursor)

    assert mirror == published_claims_from_the_api(partner)
    assert set(mirror) == {plan.pk, to_correct.pk, draft.pk}
    assert mirror[to_correct.pk]["current_status"]["slug"] == "kept"
    assert mirror[plan.pk]["components"] == []
    assert sync(partner, mirror, cursor) == cursor
