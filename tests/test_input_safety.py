"""Hostile text in every field an editor can fill reaches no page or response as live markup."""

import pytest
from django.db import connection
from django.urls import reverse

from claims import services
from claims.models import Claim, Status
from tests import factories
from tests.factories import record_status

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xss')</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{ 7|add:7 }}{% now 'Y' %}"
SQL = "'; DROP TABLE claims_claim; --"
PAYLOAD = f"{SCRIPT}{IMAGE}{TEMPLATE}{SQL}"
LIVE_MARKUP = ["<script>alert(", "<img src=x", "onerror=alert(1)>"]


def hostile(label: str) -> str:
    return f"{label} {PAYLOAD}"


@pytest.fixture
def hostile_world():
    editor = factories.EditorFactory(first_name=hostile("First"), last_name=hostile("Last"))
    person = factories.PersonFactory(
        name=hostile("Name"), role=hostile("Role"), country=hostile("C")[:100], bio=hostile("Bio"), slug="someone"
    )
    source = factories.SourceFactory(title=hostile("Title"), publisher=hostile("Publisher"), author=hostile("Author"))
    topic = factories.TopicFactory(name=hostile("Topic")[:80], slug="hostile-topic")
    plan = factories.PlanFactory(claimant=person, summary=hostile("Plan")[:120], quote=hostile("Plan quote"))
    claim = factories.ClaimFactory(
        claimant=person, parent=plan, summary=hostile("Summary")[:120], quote=hostile("Quote"), slug="the-claim"
    )
    claim.topics.add(topic)
    factories.ClaimAppearanceFactory(claim=claim, source=source, excerpt=hostile("Excerpt"))
    Status.objects.filter(scale="promise", slug="stalled").update(
        label=hostile("Label")[:60], meaning=hostile("Meaning")
    )
    first = record_status(
        claim=claim,
        status=Status.objects.get(scale="promise", slug="stalled"),
        effective_on=claim.made_on,
        rationale=hostile("Rationale"),
        evidence=[source],
        recorded_by=editor,
    )
    record_status(
        claim=claim,
        status=Status.objects.get(scale="promise", slug="kept"),
        effective_on=claim.made_on,
        rationale=hostile("Correction"),
        corrects=first,
        recorded_by=editor,
    )
    return {"claim": Claim.objects.get(pk=claim.pk), "person": person, "source": source, "plan": plan}


def assert_no_live_markup(body: str, where: str) -> None:
    for marker in LIVE_MARKUP:
        assert marker not in body, f"{marker!r} reached {where} unescaped"
    assert "&lt;script&gt;" in body or "DROP TABLE" in body, f"the hostile text never reached {where}"


def test_public_pages_and_feeds_show_hostile_text_only_as_text(client, hostile_world):
    claim, person = hostile_world["claim"], hostile_world["person"]
    for path in [
        "/",
        "/claims/",
        f"/claims/?q={SQL}",
        claim.get_absolute_url(),
        hostile_world["plan"].get_absolute_url(),
        person.get_absolute_url(),
        "/methodology/",
        "/feeds/updates/",
        f"/claims/{claim.slug}/feed/",
        f"/people/{person.slug}/feed/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_live_markup(response.content.decode(), path)
    claim_page = client.get(claim.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(" in claim_page
    assert "{{ 7|add:7 }}" in claim_page  # template syntax in data is never evaluated


def test_admin_pages_show_hostile_text_only_as_text(client, hostile_world):
    client.force_login(factories.SuperuserFactory())
    claim = hostile_world["claim"]
    for url in [
        reverse("admin:claims_claim_changelist"),
        reverse("admin:claims_claim_change", args=[claim.pk]),
        reverse("admin:claims_claim_history", args=[claim.pk]),
        reverse("admin:claims_statusupdate_changelist"),
        reverse("admin:claims_source_changelist"),
        reverse("admin:people_person_changelist"),
        reverse("admin:people_person_change", args=[hostile_world["person"].pk]),
        reverse("admin:claims_status_changelist"),
        f"{reverse('admin:claims_claim_changelist')}?q={SQL}",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_live_markup(response.content.decode(), url)


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in strings_in(item)]
    return []


def test_api_responses_carry_hostile_text_as_json_strings(client, hostile_world):
    claim = hostile_world["claim"]
    for path in [
        "/api/v1/claims",
        f"/api/v1/claims/{claim.pk}",
        f"/api/v1/claims/{claim.pk}/claimreview",
        "/api/v1/people",
        "/api/v1/sources",
        "/api/v1/changes",
        f"/api/v1/claims?q={SQL}",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith(("application/json", "application/ld+json")), path
        assert response["X-Content-Type-Options"] == "nosniff"
        assert any(PAYLOAD in text for text in strings_in(response.json())), path


def test_a_search_made_of_sql_finds_nothing_and_harms_nothing(client, hostile_world):
    # Search is full text in websearch syntax, so "x' OR '1'='1" would honestly find the claims
    # holding the words "x" or "1"; words the data lacks show the injection matches nothing.
    injection = "nowhere' OR 'zz'='zz"
    assert client.get("/claims/", {"q": injection}).status_code == 200
    assert client.get("/api/v1/claims", {"q": injection}).json()["results"] == []
    assert "claims_claim" in connection.introspection.table_names()
    assert Claim.objects.count() == 2


@pytest.mark.parametrize(
    "address",
    ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://files.example/a"],
)
def test_only_web_addresses_are_accepted_as_sources(client, address):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.source_get_or_create(url=address, title="A source")

    client.force_login(factories.EditorFactory())
    response = client.post(reverse("admin:claims_source_add"), {"url": address, "title": "A source", "kind": "article"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"]
