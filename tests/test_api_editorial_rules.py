"""The API keeps the editorial rules: no future verdicts, evidence for verdicts, a second editor's
approval when required, removals and withdrawals with a public reason, and no deletions."""

import datetime

import pytest
from django.test import Client

from claims import services
from claims.dates import newsroom_today
from claims.models import Claim, StatusUpdate
from tests import factories
from tests.api_support import editor_client, error_of, published_claim, record, results

pytestmark = pytest.mark.django_db

EVIDENCE = [{"url": "https://parliament.example/bill/12", "title": "Bill 12 passes"}]


def post_update(client: Client, claim: Claim, **fields) -> object:
    body = {"status": "kept", "effective_on": str(claim.made_on), "rationale": "Bill 12 passed.", **fields}
    return client.post(f"/api/v1/claims/{claim.pk}/status-updates", body, content_type="application/json")


def test_a_status_update_taking_effect_after_today_is_a_400_naming_effective_on():
    claim = factories.ClaimFactory()
    editor, _ = editor_client()
    tomorrow = newsroom_today() + datetime.timedelta(days=1)

    response = post_update(editor, claim, effective_on=str(tomorrow), evidence=EVIDENCE)

    assert response.status_code == 400
    assert "future" in error_of(response)["fields"]["effective_on"][0]
    assert not StatusUpdate.objects.exists()


def test_a_verdict_without_evidence_is_a_400_naming_evidence():
    claim = factories.ClaimFactory()
    editor, _ = editor_client()

    response = post_update(editor, claim)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"evidence"}
    assert not StatusUpdate.objects.exists()


def test_every_problem_with_a_status_update_is_named_at_once():
    claim = factories.ClaimFactory()
    editor, _ = editor_client()

    no_evidence_and_unknown_update = post_update(editor, claim, corrects=999999)

    assert set(error_of(no_evidence_and_unknown_update)["fields"]) == {"evidence", "corrects"}


def test_not_yet_rated_and_drafts_need_no_evidence():
    claim = factories.ClaimFactory()
    editor, _ = editor_client()

    assert post_update(editor, claim, status="not-yet-rated").status_code == 201
    assert post_update(editor, claim, publish=False).status_code == 201


def test_with_approval_required_a_verdict_is_accepted_but_not_public_until_a_second_editor_approves(settings):
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = True
    claim = published_claim()
    editor, author = editor_client()
    anonymous = Client()
    feed_before = anonymous.get("/api/v1/changes").json()["results"]

    response = post_update(editor, claim, evidence=EVIDENCE)

    assert response.status_code == 202
    body = response.json()
    assert body["state"] == "awaiting_approval"
    update = StatusUpdate.objects.get(pk=body["status_update"])
    assert update.is_awaiting_approval
    assert body["claim"]["timeline"] == []
    assert body["claim"]["current_status"]["slug"] == "not-yet-rated"
    for reader in (anonymous, editor):
        assert reader.get(f"/api/v1/claims/{claim.pk}").json()["timeline"] == []
        assert results(reader.get("/api/v1/claims", {"status": "kept"})) == []
    assert anonymous.get("/api/v1/changes").json()["results"] == feed_before

    services.status_update_approve(update=update, approved_by=factories.EditorFactory())

    shown = anonymous.get(f"/api/v1/claims/{claim.pk}", HTTP_CACHE_CONTROL="no-cache").json()
    assert [entry["id"] for entry in shown["timeline"]] == [update.pk]
    assert shown["timeline"][0]["approved_at"] is not None
    assert shown["current_status"]["slug"] == "kept"
    assert [change["kind"] for change in anonymous.get("/api/v1/changes").json()["results"]][-1] == "status_recorded"
    assert author.pk != update.approved_by_id


def test_a_removed_update_leaves_a_dated_note_in_the_timeline_and_a_tombstone_with_its_reason_in_the_feed():
    claim = published_claim()
    kept = record(claim, "kept", days_after=3)
    client = Client()
    cursor = client.get("/api/v1/changes").json()["cursor"]

    services.status_update_remove(
        update=kept, removed_by=factories.SuperuserFactory(), reason="Removed on a court order."
    )

    change = client.get("/api/v1/changes", {"after": cursor}).json()["results"]
    assert [(entry["kind"], entry["status_update"], entry["reason"]) for entry in change] == [
        ("status_removed", kept.pk, "Removed on a court order.")
    ]
    assert change[0]["claim"]["current_status"]["slug"] == "not-yet-rated"
    (entry,) = client.get(f"/api/v1/claims/{claim.pk}").json()["timeline"]
    assert entry["id"] == kept.pk
    assert entry["effective_on"] == kept.effective_on.isoformat()
    assert (entry["status"], entry["rationale"], entry["evidence"]) == (None, None, [])
    assert entry["removal_reason"] == "Removed on a court order."
    assert entry["removed_at"] is not None


def test_a_removed_update_cannot_be_corrected_through_the_api():
    claim = published_claim()
    kept = record(claim, "kept")
    services.status_update_remove(update=kept, removed_by=factories.SuperuserFactory(), reason="Privacy.")
    editor, _ = editor_client()

    response = post_update(editor, claim, status="broken", evidence=EVIDENCE, corrects=kept.pk)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"corrects"}


def test_the_api_never_deletes_a_published_record():
    claim = published_claim()
    update = record(claim, "kept")
    editor, _ = editor_client()

    for path in (
        f"/api/v1/claims/{claim.pk}",
        f"/api/v1/claims/{claim.slug}",
        f"/api/v1/claims/{claim.pk}/status-updates",
    ):
        assert editor.delete(path).status_code == 405

    assert Claim.objects.filter(pk=claim.pk).exists()
    assert StatusUpdate.objects.filter(pk=update.pk).exists()


def claim_body(**fields) -> dict:
    return {
        "claimant": factories.PersonFactory().slug,
        "kind": "statement",
        "quote": "Wages rose faster than prices.",
        "summary": "Wages beat inflation",
        "made_on": "2025-09-14",
        "visibility": "published",
        **fields,
    }


QUOTED_FROM = {"url": "https://radio.example/interview", "title": "Morning interview", "publisher": "City Radio"}


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"wording": "verbatim"}, "wording_source"),
        ({"wording": "translation", "wording_source": QUOTED_FROM}, "original_language"),
        (
            {"wording": "translation", "wording_source": QUOTED_FROM, "original_language": "not a tag!"},
            "original_language",
        ),
        ({"wording": "sarcasm"}, "wording"),
        ({"made_on_precision": "range"}, "made_until"),
        ({"made_on_precision": "range", "made_until": "2025-09-01"}, "made_until"),
        ({"made_on_precision": "month", "made_until": "2025-10-01"}, "made_until"),
        ({"made_on_precision": "fortnight"}, "made_on_precision"),
    ],
)
def test_a_claim_with_inconsistent_wording_or_dates_is_a_400_naming_the_field(fields, named):
    editor, _ = editor_client()

    response = editor.post("/api/v1/claims", claim_body(**fields), content_type="application/json")

    assert response.status_code == 400
    assert named in error_of(response)["fields"]
    assert not Claim.objects.exists()


def test_a_translated_quote_dated_to_a_month_is_created_with_its_source_language_and_period():
    editor, _ = editor_client()
    body = claim_body(
        wording="translation",
        wording_source=QUOTED_FROM,
        original_language="uk",
        original_text="Зарплати зросли швидше за ціни.",
        made_on="2025-09-14",
        made_on_precision="month",
    )

    response = editor.post("/api/v1/claims", body, content_type="application/json")

    assert response.status_code == 201, response.content
    created = response.json()
    assert created["wording"] == "translation"
    assert created["wording_source"]["url"] == "https://radio.example/interview"
    assert (created["original_language"], created["original_text"]) == ("uk", "Зарплати зросли швидше за ціни.")
    assert (created["made_on"], created["made_on_precision"], created["made_on_period"]) == (
        "2025-09-01",
        "month",
        "2025-09",
    )
    ranged = editor.post(
        "/api/v1/claims",
        claim_body(made_on="2024-02-01", made_on_precision="range", made_until="2024-11-30"),
        content_type="application/json",
    ).json()
    assert (ranged["made_until"], ranged["made_on_period"]) == ("2024-11-30", "2024-02/2024-11")
    assert ranged["wording"] == "paraphrase"
    assert ranged["wording_source"] is None
