"""The API's addresses and parameters: an index, one trailing-slash convention, JSON errors everywhere."""

import pytest
from django.http import HttpResponse
from django.test import Client

from claims.models import Claim
from tests import factories
from tests.api_support import editor_client, error_of, published_claim

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_the_resources_the_schema_and_the_docs(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    body = response.json()
    assert body["resources"]["claims"] == "http://testserver/api/v1/claims"
    assert body["resources"]["claim_by_slug"] == "http://testserver/api/v1/claims/by-slug/{slug}"
    assert body["schema"] == "http://testserver/api/v1/schema/"
    assert body["docs"] == "http://testserver/api/v1/docs/"
    for link in body["resources"].values():
        if "{" not in link:
            assert client.get(link.removeprefix("http://testserver")).status_code == 200, link


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/api/v1/claims/?kind=pledge&page_size=2", "/api/v1/claims?kind=pledge&page_size=2"),
        ("/api/v1/statuses/", "/api/v1/statuses"),
        ("/api/v1/people/", "/api/v1/people"),
        ("/api/v1/schema?format=json", "/api/v1/schema/?format=json"),
        ("/api/v1/docs", "/api/v1/docs/"),
        ("/api/v1", "/api/v1/"),
    ],
)
def test_the_other_trailing_slash_convention_is_redirected_permanently_keeping_the_query(client, path, location):
    response = client.get(path)

    assert response.status_code == 308
    assert response["Location"] == location


def test_a_claim_detail_with_a_trailing_slash_is_redirected_to_the_claim(client):
    claim = published_claim()

    response = client.get(f"/api/v1/claims/{claim.pk}/", follow=True)

    assert response.redirect_chain == [(f"/api/v1/claims/{claim.pk}", 308)]
    assert response.json()["id"] == claim.pk


def test_a_write_to_the_other_convention_is_redirected_with_308_so_the_method_and_body_are_kept():
    editor, _ = editor_client()

    response = editor.post("/api/v1/claims/", {}, content_type="application/json")

    assert response.status_code == 308
    assert response["Location"] == "/api/v1/claims"


def test_a_post_to_an_unknown_api_path_is_a_json_404_not_the_csrf_page():
    browser = Client(enforce_csrf_checks=True)

    response = browser.post("/api/v1/no-such-thing", {"a": "b"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_an_unknown_method_is_a_json_405(method):
    editor, _ = editor_client()
    for path in ["/api/v1/claims", "/api/v1/statuses", "/api/v1/", "/api/v1/schema/"]:
        response = getattr(editor, method)(path)

        assert response.status_code == 405, path
        assert response["Content-Type"].startswith("application/json"), path
        assert error_of(response)["code"] == "method_not_allowed"


def test_the_old_slug_address_of_an_unknown_claim_is_a_json_404(client):
    response = client.get("/api/v1/claims/no-such-claim")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_the_old_slug_address_does_not_reveal_a_draft(client):
    draft = factories.DraftClaimFactory(slug="secret-draft")
    editor, _ = editor_client()

    assert client.get("/api/v1/claims/secret-draft").status_code == 404
    assert editor.get("/api/v1/claims/secret-draft").status_code == 308
    assert editor.get("/api/v1/claims/by-slug/secret-draft").json()["id"] == draft.pk


@pytest.mark.parametrize(
    ("path", "parameter", "value"),
    [
        ("/api/v1/claims", "kind", ""),
        ("/api/v1/claims", "kind", "AAA"),
        ("/api/v1/claims", "status", ""),
        ("/api/v1/claims", "claimant", ""),
        ("/api/v1/claims", "topic", ""),
        ("/api/v1/claims", "must_act", ""),
        ("/api/v1/claims", "parent", ""),
        ("/api/v1/claims", "top_level", ""),
        ("/api/v1/claims", "top_level", "1"),
        ("/api/v1/claims", "past_deadline", ""),
        ("/api/v1/claims", "format", "AAA"),
        ("/api/v1/claims", "format", ""),
        ("/api/v1/claims.csv", "format", "AAA"),
        ("/api/v1/claims.csv", "format", "json"),
        ("/api/v1/claims.csv", "kind", ""),
        ("/api/v1/claimreviews", "kind", ""),
        ("/api/v1/people", "kind", ""),
        ("/api/v1/people", "kind", "robot"),
        ("/api/v1/sources", "kind", ""),
        ("/api/v1/statuses", "scale", ""),
        ("/api/v1/statuses", "scale", "AAA"),
        ("/api/v1/statuses", "format", "csv"),
    ],
)
def test_an_empty_or_unknown_enum_value_is_a_400_naming_the_parameter(client, path, parameter, value):
    response = client.get(path, {parameter: value})

    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert list(error_of(response)["fields"]) == [parameter]


def test_the_csv_still_answers_format_csv_and_the_list_format_json(client):
    published_claim()

    assert client.get("/api/v1/claims.csv", {"format": "csv"}).status_code == 200
    assert client.get("/api/v1/claims", {"format": "json"}).status_code == 200


def post_a_status_update_with_if_match(claim: Claim, header: str) -> HttpResponse:
    editor, _ = editor_client()
    return editor.post(
        f"/api/v1/claims/{claim.pk}/status-updates",
        {"status": "in-the-works", "effective_on": str(claim.made_on), "rationale": "Started."},
        content_type="application/json",
        headers={"If-Match": header},
    )


@pytest.mark.parametrize("header", ["garbage", "12-3-abc", '"unterminated', "W/", ",", " ", 'W/"a" "b"'])
def test_a_malformed_if_match_is_a_400_naming_it(header):
    claim = published_claim()

    response = post_a_status_update_with_if_match(claim, header)

    assert response.status_code == 400, response.content
    assert error_of(response)["code"] == "invalid_header"
    assert list(error_of(response)["fields"]) == ["If-Match"]
    assert claim.status_updates.count() == 0


@pytest.mark.parametrize("header", ['"999999-1-abc"', '"someone-elses"', 'W/"0-0-00"'])
def test_a_well_formed_if_match_for_another_version_stays_a_412(header):
    claim = published_claim()

    response = post_a_status_update_with_if_match(claim, header)

    assert response.status_code == 412
    assert error_of(response)["code"] == "stale_version"


def test_an_error_deep_inside_a_body_is_a_list_of_strings_under_its_top_level_field():
    editor, _ = editor_client()
    body = {
        "claimant": factories.PersonFactory().slug,
        "kind": "pledge",
        "quote": "Q",
        "summary": "S",
        "made_on": "2026-01-15",
        "appearances": [{"source": {"url": "not a url"}}],
    }

    response = editor.post("/api/v1/claims", body, content_type="application/json")

    assert response.status_code == 400
    fields = error_of(response)["fields"]
    assert set(fields) == {"appearances"}
    assert all(isinstance(message, str) for message in fields["appearances"])
    assert "0.source.url: Enter a valid URL." in fields["appearances"]
    assert "0.source.title: This field is required." in fields["appearances"]
