import datetime

import pytest
from django.test import Client

from claims.models import ChangeKind, Claim, ClaimChange, StatusUpdate
from tests import factories
from tests.api_support import claim_body, editor_client, error_of, partner_client, record

pytestmark = pytest.mark.django_db

EVIDENCE = [{"url": "https://news.example.org/report", "title": "The report"}]


def test_an_editors_key_creates_a_claim_through_the_service():
    editor, editor_user = editor_client()

    response = editor.post("/api/v1/claims", claim_body(), content_type="application/json")

    assert response.status_code == 201, response.content
    body = response.json()
    claim = Claim.objects.get(pk=body["id"])
    assert claim.created_by == editor_user
    assert claim.current_status.is_default
    assert response["Location"].endswith(f"/api/v1/claims/{claim.pk}")
    assert response["ETag"].startswith(f'"{claim.pk}-{claim.version}-')
    assert body["appearances"][0]["source"]["url"] == "https://news.example/trees"
    assert ClaimChange.objects.get(claim=claim).kind == ChangeKind.CREATED


def test_anonymous_clients_and_viewers_keys_cannot_write(client):
    body = claim_body()
    anonymous = client.post("/api/v1/claims", body, content_type="application/json")
    viewer = partner_client().post("/api/v1/claims", body, content_type="application/json")

    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Api-Key")
    assert error_of(anonymous)["code"] == "not_authenticated"
    assert viewer.status_code == 403
    assert error_of(viewer)["code"] == "permission_denied"
    assert not Claim.objects.exists()


def test_a_superusers_key_may_write():
    response = partner_client(factories.SuperuserFactory()).post(
        "/api/v1/claims", claim_body(), content_type="application/json"
    )
    assert response.status_code == 201


def test_an_invalid_claim_is_a_400_naming_the_fields():
    editor, _ = editor_client()
    plan_that_is_not_a_plan = factories.ClaimFactory()

    missing = editor.post("/api/v1/claims", {"kind": "pledge"}, content_type="application/json")
    bad_parent = editor.post(
        "/api/v1/claims", claim_body(parent=plan_that_is_not_a_plan.pk), content_type="application/json"
    )

    assert missing.status_code == 400
    assert {"claimant", "quote", "summary", "made_on"} <= set(error_of(missing)["fields"])
    assert bad_parent.status_code == 400
    assert error_of(bad_parent)["fields"] == {"parent": ["Only a plan can have components."]}
    assert Claim.objects.count() == 1


def test_an_editors_key_records_a_status_update_with_evidence():
    claim = factories.ClaimFactory()
    editor, editor_user = editor_client()
    etag = editor.get(f"/api/v1/claims/{claim.pk}")["ETag"]

    response = editor.post(
        f"/api/v1/claims/{claim.pk}/status-updates",
        {
            "status": "in-the-works",
            "effective_on": str(claim.made_on + datetime.timedelta(days=3)),
            "rationale": "The bill passed its first reading.",
            "evidence": [{"url": "https://parliament.example/bill/12", "title": "Bill 12"}],
        },
        content_type="application/json",
        headers={"If-Match": etag},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["current_status"]["slug"] == "in-the-works"
    assert body["timeline"][0]["evidence"][0]["url"] == "https://parliament.example/bill/12"
    assert StatusUpdate.objects.get().recorded_by == editor_user
    assert response["ETag"] != etag


def test_a_status_update_against_a_stale_etag_is_refused_with_412_and_not_applied():
    claim = factories.ClaimFactory()
    editor, _ = editor_client()
    stale_etag = editor.get(f"/api/v1/claims/{claim.pk}")["ETag"]
    record(claim, "kept")

    response = editor.post(
        f"/api/v1/claims/{claim.pk}/status-updates",
        {"status": "broken", "effective_on": str(claim.made_on), "rationale": "Abandoned."},
        content_type="application/json",
        headers={"If-Match": stale_etag},
    )

    assert response.status_code == 412
    assert error_of(response)["code"] == "stale_version"
    claim.refresh_from_db()
    assert claim.current_status.slug == "kept"
    assert StatusUpdate.objects.count() == 1


def test_a_correction_names_the_update_it_corrects():
    claim = factories.ClaimFactory()
    wrong = record(claim, "broken")
    editor, _ = editor_client()

    response = editor.post(
        f"/api/v1/claims/{claim.pk}/status-updates",
        {
            "status": "stalled",
            "effective_on": str(claim.made_on),
            "rationale": "Misread.",
            "corrects": wrong.pk,
            "evidence": EVIDENCE,
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    timeline = response.json()["timeline"]
    corrected = next(update for update in timeline if update["id"] == wrong.pk)
    correction = next(update for update in timeline if update["corrects"] == wrong.pk)
    assert corrected["corrected_by"] == correction["id"]
    assert response.json()["current_status"]["slug"] == "stalled"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "accurate", "effective_on": "2025-07-01", "rationale": "x", "evidence": EVIDENCE}, "status"),
        ({"status": "kept", "effective_on": "1900-01-01", "rationale": "x", "evidence": EVIDENCE}, "effective_on"),
        (
            {
                "status": "kept",
                "effective_on": "2025-07-01",
                "rationale": "x",
                "evidence": EVIDENCE,
                "corrects": 999999,
            },
            "corrects",
        ),
        ({"status": "kept", "effective_on": "not a date", "rationale": "x", "evidence": EVIDENCE}, "effective_on"),
    ],
)
def test_an_invalid_status_update_is_a_400_naming_the_field(body, field):
    claim = factories.ClaimFactory(made_on=datetime.date(2025, 6, 1))
    editor, _ = editor_client()

    response = editor.post(f"/api/v1/claims/{claim.pk}/status-updates", body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert field in error_of(response)["fields"]


def test_status_updates_need_an_editors_key(client):
    claim = factories.ClaimFactory()
    body = {"status": "kept", "effective_on": str(claim.made_on), "rationale": "Done."}

    assert client.post(f"/api/v1/claims/{claim.pk}/status-updates", body).status_code == 401
    assert (
        partner_client().post(f"/api/v1/claims/{claim.pk}/status-updates", body, content_type="application/json")
    ).status_code == 403
    assert Client().get(f"/api/v1/claims/{claim.pk}").json()["timeline"] == []
