"""Hostile text in any API input is a 400 naming the field, never a 500 (SQLite and PostgreSQL)."""

import datetime

import pytest

from claims.models import Claim
from claims.search import MAX_SEARCH_CHARACTERS, MAX_TERMS
from tests.api_support import claim_body, editor_client, error_of, published_claim

pytestmark = pytest.mark.django_db

NUL = "a\x00b"


@pytest.mark.parametrize(
    "pathological",
    [
        "-" * 40,
        "-" * 5000,
        " ".join(["-x"] * 60),
        '"' * 300,
        " or ".join(f"w{i}" for i in range(40)),
        "x" * (MAX_SEARCH_CHARACTERS + 1),
        "!&|()<>:*" * 45,
    ],
)
def test_a_pathological_search_is_a_400_naming_q_or_an_answer_never_a_500(client, pathological):
    published_claim(summary="Fix every bridge")

    response = client.get("/api/v1/claims", {"q": pathological})

    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert "q" in error_of(response)["fields"]


def test_a_search_with_too_many_terms_is_a_400_with_the_rule_in_the_message(client):
    response = client.get("/api/v1/claims", {"q": " ".join(f"-w{i}" for i in range(MAX_TERMS + 1))})

    assert response.status_code == 400
    assert error_of(response)["fields"]["q"] == [f"A search can have at most {MAX_TERMS} words or phrases."]


def test_a_search_longer_than_the_limit_is_a_400_with_the_rule_in_the_message(client):
    response = client.get("/api/v1/claims", {"q": "-" * (MAX_SEARCH_CHARACTERS + 1)})

    assert response.status_code == 400
    assert error_of(response)["fields"]["q"] == [f"A search can be at most {MAX_SEARCH_CHARACTERS} characters long."]


def test_forty_dashes_are_a_search_for_nothing_not_a_server_error(client):
    published_claim(summary="Fix every bridge")

    response = client.get("/api/v1/claims", {"q": "-" * 40})

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    "pathological", ["-" * 40, "-" * 5000, " ".join(f"-w{i}" for i in range(40)), '"' * 300, "!&|()<>:*" * 45]
)
def test_the_public_list_explains_a_pathological_search_as_a_form_error(client, pathological):
    published_claim(summary="Fix every bridge")

    response = client.get("/claims/", {"q": pathological})

    assert response.status_code == 200
    page = response.content.decode()
    if len(pathological) > MAX_SEARCH_CHARACTERS or pathological.count("-w") > MAX_TERMS:
        assert "Some of the filters could not be used" in page
        assert "A search can" in page


def test_the_public_list_names_the_term_limit(client):
    page = client.get("/claims/", {"q": " ".join(f"w{i}" for i in range(MAX_TERMS + 1))}).content.decode()

    assert f"A search can have at most {MAX_TERMS} words or phrases." in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("claimant", NUL),
        ("topics", [NUL]),
        ("quote", NUL),
        ("summary", NUL),
        ("slug", NUL),
        ("original_text", NUL),
        ("original_language", NUL),
        ("kind", NUL),
        ("wording", NUL),
        ("visibility", NUL),
        ("made_on", NUL),
        ("parent", NUL),
        ("appearances", [{"source": {"url": "https://news.example/a", "title": NUL}}]),
        ("appearances", [{"source": {"url": "https://news.example/\x00", "title": "T"}}]),
        ("appearances", [{"source": {"url": "https://news.example/a", "title": "T", "publisher": NUL}}]),
        ("appearances", [{"source": {"url": "https://news.example/a", "title": "T", "author": NUL}}]),
        ("appearances", [{"source": {"url": "https://news.example/a", "title": "T"}, "excerpt": NUL}]),
        ("wording_source", {"url": "https://news.example/a", "title": NUL}),
        ("claimant", "x" * 5000),
        ("topics", ["x" * 5000]),
        ("topics", ["not a slug!"]),
        ("claimant", "not a slug!"),
        ("slug", "x" * 141),
        ("summary", "x" * 500),
        ("appearances", [{"source": {"url": "https://news.example/" + "a" * 1000, "title": "T"}}]),
        ("appearances", [{"source": {"url": "https://news.example/a", "title": "T" * 301}}]),
    ],
)
def test_a_hostile_text_in_a_claim_is_a_400_naming_the_field(field, value):
    editor, _ = editor_client()

    response = editor.post("/api/v1/claims", claim_body(**{field: value}), content_type="application/json")

    assert response.status_code == 400, response.content
    assert field in error_of(response)["fields"]
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", NUL),
        ("rationale", NUL),
        ("effective_on", NUL),
        ("corrects", NUL),
        ("evidence", [{"url": "https://news.example/a", "title": NUL}]),
        ("evidence", [{"url": "https://news.example/a", "title": "T", "publisher": NUL}]),
        ("status", "x" * 5000),
    ],
)
def test_a_hostile_text_in_a_status_update_is_a_400_naming_the_field(field, value):
    editor, _ = editor_client()
    claim = published_claim()
    body = {"status": "kept", "effective_on": str(datetime.date(2026, 1, 20)), "rationale": "Done.", field: value}

    response = editor.post(f"/api/v1/claims/{claim.pk}/status-updates", body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert field in error_of(response)["fields"]


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/claims", "claimant"),
        ("/api/v1/claims", "topic"),
        ("/api/v1/claims", "status"),
        ("/api/v1/claims", "must_act"),
        ("/api/v1/claims", "kind"),
        ("/api/v1/claims", "parent"),
        ("/api/v1/claims", "ordering"),
        ("/api/v1/claims", "as_of"),
        ("/api/v1/claims", "updated_since"),
        ("/api/v1/claims", "page_size"),
        ("/api/v1/claims", "cursor"),
        ("/api/v1/claims.csv", "claimant"),
        ("/api/v1/claimreviews", "topic"),
        ("/api/v1/people", "kind"),
        ("/api/v1/sources", "publisher"),
        ("/api/v1/sources", "kind"),
        ("/api/v1/statuses", "scale"),
        ("/api/v1/changes", "after"),
    ],
)
def test_a_nul_byte_in_a_query_parameter_is_a_400_naming_it(client, path, parameter):
    published_claim()

    response = client.get(path, {parameter: NUL})

    assert response.status_code == 400, response.content
    assert parameter in error_of(response).get("fields", {parameter: None}), error_of(response)
