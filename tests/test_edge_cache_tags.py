"""Every answer an HTTP accelerator may keep names what it shows (claimtracker/cache_tags.py): pages,
feeds, cards, oEmbed, the sitemap and anonymous API answers, in the configured header, from the URL
alone; nothing else is tagged. ``EDGE_CACHE_MAX_AGE`` lets the edge keep them long."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.cache import patch_cache_control

from claimtracker.cache_tags import NEVER, TAG_RULES, response_tags, tags_header
from people.models import Term

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parent.parent


def tags_of(response) -> list[str] | None:
    value = response.headers.get("xkey")
    return None if value is None else value.split(" ")


@pytest.fixture
def term(world) -> Term:
    term = Term.objects.create(
        person=world.mayor, office="Mayor of Exampleton", starts_on=datetime.date(2024, 1, 1), ends_on=None
    )
    world.pledge.term = term
    world.pledge.save(update_fields=["term"])
    return term


PAGES = [
    ("/", ["lists", "site"]),
    ("/claims/", ["lists", "site"]),
    ("/claims/?status=stalled&sort=deadline", ["lists", "site"]),
    ("/claims/build-10000-homes/", ["claim:build-10000-homes", "site"]),
    ("/uk/claims/build-10000-homes/", ["claim:build-10000-homes", "site"]),
    ("/claims/roads-plan/", ["claim:roads-plan", "site"]),
    ("/claims/build-10000-homes/feed/", ["claim:build-10000-homes", "site"]),
    ("/people/ada-mayor/", ["person:ada-mayor", "site"]),
    ("/ru/people/ada-mayor/", ["person:ada-mayor", "site"]),
    ("/people/ada-mayor/feed/", ["person:ada-mayor", "site"]),
    ("/people/ada-mayor/scorecard/", ["person:ada-mayor", "site"]),
    ("/scorecards/", ["lists", "site"]),
    ("/methodology/", ["site"]),
    ("/feeds/updates/", ["lists", "site"]),
    ("/corrections/", ["lists", "site"]),
    ("/corrections/feed/", ["lists", "site"]),
    ("/sitemap.xml", ["lists", "site"]),
    ("/robots.txt", ["site"]),
    ("/embed/claims/build-10000-homes/", ["claim:build-10000-homes", "site"]),
    ("/share/claims/build-10000-homes.png", ["claim:build-10000-homes", "site"]),
    ("/embed/people/ada-mayor/scorecard/", ["person:ada-mayor", "site"]),
    ("/oembed?url=http://testserver/claims/build-10000-homes/", ["claim:build-10000-homes", "site"]),
    ("/oembed?url=http://testserver/uk/people/ada-mayor/scorecard/", ["person:ada-mayor", "site"]),
    ("/api/v1/claims", ["lists", "site"]),
    ("/api/v1/claims/by-slug/build-10000-homes", ["claim:build-10000-homes", "site"]),
    ("/api/v1/changes", ["lists", "site"]),
    ("/api/v1/people/ada-mayor", ["person:ada-mayor", "site"]),
    ("/api/v1/statuses", ["site"]),
]


@pytest.mark.parametrize(("path", "expected"), PAGES)
def test_each_kind_of_public_answer_names_what_it_shows(client, world, path, expected):
    response = client.get(path)

    assert response.status_code == 200, path
    assert tags_of(response) == expected


def test_an_answer_by_id_names_the_claim_by_id_and_a_term_its_term(client, world, term):
    pledge = world.pledge
    for path in (
        f"/api/v1/claims/{pledge.pk}",
        f"/api/v1/claims/{pledge.pk}/claimreview",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert tags_of(response) == [f"claim-id:{pledge.pk}", "site"], path
    for path in (f"/terms/{term.pk}/", f"/api/v1/terms/{term.pk}", f"/embed/terms/{term.pk}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert tags_of(response) == [f"term:{term.pk}", "site"], path


def test_a_304_carries_the_tags_too(client, world):
    first = client.get("/claims/build-10000-homes/")
    again = client.get("/claims/build-10000-homes/", headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert tags_of(again) == ["claim:build-10000-homes", "site"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("Surrogate-Key", "claim:build-10000-homes site"), ("Cache-Tag", "claim:build-10000-homes,site")],
)
def test_the_tags_come_in_the_configured_format(client, world, settings, header, expected):
    settings.EDGE_CACHE_TAGS_HEADER = header

    response = client.get("/claims/build-10000-homes/")

    assert response[header] == expected
    assert "xkey" not in response.headers


def test_an_unknown_format_is_refused_with_the_settings_name(settings):
    settings.EDGE_CACHE_TAGS_HEADER = "X-Tags"

    with pytest.raises(ImproperlyConfigured, match="EDGE_CACHE_TAGS_HEADER"):
        tags_header()


def test_an_unknown_format_in_the_environment_stops_start_up():
    environment = {
        **os.environ,
        "EDGE_CACHE_TAGS_HEADER": "X-Tags",
        "DJANGO_SETTINGS_MODULE": "claimtracker.settings.dev",
    }

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "EDGE_CACHE_TAGS_HEADER must be xkey, Surrogate-Key or Cache-Tag; got 'X-Tags'" in result.stderr


def test_by_default_the_edge_keeps_pages_as_long_as_browsers_and_the_api_not_at_all(client, world):
    page = client.get("/claims/build-10000-homes/")
    api = client.get("/api/v1/claims")

    assert page["Cache-Control"] == "public, max-age=300"
    assert "Cache-Control" not in api.headers
    assert tags_of(api) == ["lists", "site"]


def test_with_a_long_edge_max_age_the_edge_keeps_tagged_answers_for_hours_and_browsers_for_minutes(
    client, world, settings
):
    settings.EDGE_CACHE_MAX_AGE = 6 * 3600

    page = client.get("/claims/build-10000-homes/")
    api = client.get("/api/v1/claims")
    sitemap = client.get("/sitemap.xml")
    uncached = client.get("/alerts/")

    assert set(page["Cache-Control"].split(", ")) == {"public", "max-age=300", "s-maxage=21600"}
    # The API and the sitemap sent no Cache-Control: clients still revalidate every time, the edge keeps them.
    assert set(api["Cache-Control"].split(", ")) == {"public", "max-age=0", "s-maxage=21600"}
    assert set(sitemap["Cache-Control"].split(", ")) == {"public", "max-age=0", "s-maxage=21600"}
    assert "s-maxage" not in uncached["Cache-Control"]


def test_nothing_else_is_tagged(client, world, editor_client, partner, settings):
    settings.EDGE_CACHE_MAX_AGE = 3600
    answers = {
        "admin": editor_client.get("/admin/"),
        "alerts": client.get("/alerts/"),
        "suggest a claim": client.get("/suggest-a-claim/"),
        "a draft (404)": client.get("/claims/secret-draft/"),
        "a withdrawn claim (410)": client.get("/claims/withdrawn-claim/"),
        "an unknown person": client.get("/people/nobody/"),
        "a POST": client.post("/api/v1/claims", {}),
        "the API with a key": partner.get("/api/v1/claims"),
        "the API with a key header": Client(headers={"X-API-Key": "not-checked-here"}).get("/api/v1/statuses"),
        "an API 404": client.get(f"/api/v1/claims/{world.draft.pk}"),
        "the CSV export": client.get("/api/v1/claims.csv"),
        "a static file": client.get("/static/css/site.css"),
        "a health probe": client.get("/healthz"),
    }

    tagged = {name: response.headers.get("xkey") for name, response in answers.items() if "xkey" in response.headers}
    assert tagged == {}
    kept_at_the_edge = {name for name, response in answers.items() if "s-maxage" in response.get("Cache-Control", "")}
    assert kept_at_the_edge == set()


def test_an_answer_that_sets_a_cookie_is_never_tagged(rf: RequestFactory):
    request = rf.get("/claims/build-10000-homes/")
    request.resolver_match = resolve("/claims/build-10000-homes/")
    response = HttpResponse("page")
    patch_cache_control(response, public=True, max_age=300)
    assert response_tags(request, response) == ["claim:build-10000-homes", "site"]

    response.set_cookie("csrftoken", "secret")

    assert response_tags(request, response) == []


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            names |= _url_names(pattern, inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_public_embed_and_api_address_has_a_rule_and_every_rule_an_address():
    names = {name for name in _url_names(get_resolver()) if name.split(":")[0] in {"public", "embeds", "api"}}

    assert names - set(TAG_RULES) == set(), "add the new URL names to TAG_RULES in claimtracker/cache_tags.py"
    assert set(TAG_RULES) - names == set(), "remove the rules of URL names that are gone"
    assert TAG_RULES["api:claim-csv"] is NEVER
