"""The API's fast read path gives exactly the JSON the documented serializer describes."""

import datetime

import pytest
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from api.representations import ClaimRepresenter
from api.selectors import claim_rows, claims_for_representation, status_badge_rows, visible_claims
from api.serializers import ClaimSerializer
from claims import services
from claims.as_of import show_status_as_of
from claims.models import Claim, DatePrecision, Wording
from tests import factories
from tests.api_support import published_claim, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_claims():
    editor = factories.EditorFactory()
    plan = published_claim(by=editor, kind="plan")
    component = published_claim(by=editor, parent=plan)
    draft_component = factories.DraftClaimFactory(parent=plan)
    record(component, "in-the-works", by=editor, evidence=2)
    wrong = record(component, "broken", by=editor, evidence=1)
    record(component, "kept", by=editor, corrects=wrong)
    statement = published_claim(by=editor, kind="statement")
    statement.topics.add(factories.TopicFactory(), factories.TopicFactory())
    statement.must_act.add(factories.PersonFactory())
    statement.deadline = statement.made_on + datetime.timedelta(days=9)
    statement.save()
    factories.ClaimAppearanceFactory(claim=statement, is_first_appearance=True)
    factories.ClaimAppearanceFactory(
        claim=statement, source=factories.SourceFactory(published_on=None), is_first_appearance=False
    )
    # A translated quote dated to a month, whose verdict was approved by a second editor and whose
    # later, mistaken update was taken out of the record.
    translated = published_claim(
        by=editor,
        kind="statement",
        wording=Wording.TRANSLATION,
        wording_source=factories.SourceFactory(),
        original_language="uk",
        original_text="Ми збудуємо десять мостів.",
        made_on=datetime.date(2025, 9, 1),
        made_on_precision=DatePrecision.MONTH,
    )
    with override_settings(CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL=True):
        pending = record(translated, "mostly-accurate", by=editor, days_after=40)
    services.status_update_approve(update=pending, approved_by=factories.EditorFactory())
    mistaken = record(translated, "false", by=editor, days_after=45)
    services.status_update_remove(update=mistaken, removed_by=factories.SuperuserFactory(), reason="Court order.")
    # A removed correction corrects nothing: the update it named stands again.
    removed_correction = record(translated, "accurate", by=editor, days_after=46, corrects=pending)
    services.status_update_remove(update=removed_correction, removed_by=factories.SuperuserFactory(), reason="Libel.")
    ranged = published_claim(
        by=editor,
        made_on=datetime.date(2024, 2, 1),
        made_on_precision=DatePrecision.RANGE,
        made_until=datetime.date(2024, 11, 30),
    )
    return [plan, component, draft_component, statement, translated, ranged]


@pytest.mark.parametrize("include_unpublished", [False, True])
def test_plain_functions_and_the_serializer_agree_field_for_field(varied_claims, include_unpublished):
    request = RequestFactory().get("/api/v1/claims")
    claims = claims_for_representation(Claim.objects.order_by("pk"), include_unpublished=include_unpublished)
    representer = ClaimRepresenter(request=request, include_unpublished=include_unpublished)
    context = {"request": request, "include_unpublished": include_unpublished}

    for claim in claims:
        assert representer.claim(claim) == ClaimSerializer(claim, context=context).data


@pytest.mark.parametrize("as_of", [False, True])
@pytest.mark.parametrize("include_unpublished", [False, True])
def test_the_rows_path_gives_the_serializers_json(varied_claims, include_unpublished, as_of, django_assert_num_queries):
    """The list's ``.values()`` path: a plan, its published and draft components, corrections,
    evidence, topics, who must act, appearances; an editor's drafts; and the status as of a date."""
    varied_claims[0].must_act.add(factories.PersonFactory(), factories.PersonFactory())
    request = RequestFactory().get("/api/v1/claims")
    context = {"request": request, "include_unpublished": include_unpublished}
    claims = visible_claims(include_unpublished=include_unpublished).order_by("-updated_at", "-id")
    if as_of:
        claims = claims.with_status_as_of(timezone.localdate())
    instances = list(claims_for_representation(claims, include_unpublished=include_unpublished))
    if as_of:
        instances = show_status_as_of(instances)
    expected = [ClaimSerializer(claim, context=context).data for claim in instances]
    # The draft is listed for an editor, except as of a date (only what was published by then).
    assert len(expected) == (6 if include_unpublished and not as_of else 5)

    # The page, the statuses for as_of, then topics, who must act, components, appearances,
    # timeline and evidence: the same count as the prefetch (and show_status_as_of).
    with django_assert_num_queries(7 + as_of):
        rows = list(claim_rows(claims, as_of=as_of))
        badges = status_badge_rows() if as_of else None
        representer = ClaimRepresenter(request=request, include_unpublished=include_unpublished)
        shaped = representer.claims_from_rows(rows, as_of_badges=badges)

    assert shaped == expected
    # Field order too: the JSON is byte for byte the same.
    assert [list(claim) for claim in shaped] == [list(claim) for claim in expected]
    assert [list(update) for claim in shaped for update in claim["timeline"]] == [
        list(update) for claim in expected for update in claim["timeline"]
    ]


def test_the_list_detail_and_change_feed_serve_that_json(varied_claims):
    client = APIClient()
    request = RequestFactory().get("/api/v1/claims")
    expected = {
        claim.pk: ClaimSerializer(claim, context={"request": request, "include_unpublished": False}).data
        for claim in claims_for_representation(Claim.objects.published(), include_unpublished=False)
    }

    listed = client.get("/api/v1/claims").json()["results"]
    assert {claim["id"]: claim for claim in listed} == expected
    for pk, body in expected.items():
        assert client.get(f"/api/v1/claims/{pk}").json() == body
    changes = client.get("/api/v1/changes", {"page_size": 200}).json()["results"]
    assert all(change["claim"] == expected[change["claim"]["id"]] for change in changes if "slug" in change["claim"])


def test_the_new_wording_date_and_timeline_fields_are_in_the_json(varied_claims):
    translated, ranged = varied_claims[4], varied_claims[5]
    body = APIClient().get(f"/api/v1/claims/{translated.pk}").json()

    assert body["wording"] == "translation"
    assert body["wording_source"]["id"] == translated.wording_source_id
    assert (body["original_language"], body["original_text"]) == ("uk", "Ми збудуємо десять мостів.")
    assert (body["made_on"], body["made_on_precision"], body["made_until"]) == ("2025-09-01", "month", None)
    assert body["made_on_period"] == "2025-09"
    removed_correction, removed, approved = body["timeline"]
    assert removed["status"] is None
    assert removed["rationale"] is None
    assert removed["evidence"] == []
    assert removed["removal_reason"] == "Court order."
    assert removed["removed_at"]
    assert removed_correction["corrects"] == approved["id"]
    assert approved["corrected_by"] is None
    assert approved["approved_at"]
    assert approved["removed_at"] is None
    assert approved["removal_reason"] is None
    assert body["current_status"]["slug"] == "mostly-accurate"

    ranged_body = APIClient().get(f"/api/v1/claims/{ranged.pk}").json()
    assert ranged_body["wording"] == "paraphrase"
    assert ranged_body["wording_source"] is None
    assert (ranged_body["made_until"], ranged_body["made_on_period"]) == ("2024-11-30", "2024-02/2024-11")


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_benchmark_anchor_serves_the_same_values_as_the_api(varied_claims):
    listed = {claim["id"]: claim for claim in APIClient().get("/api/v1/claims", {"page_size": 50}).json()["results"]}
    anchored = Client().get("/bench/anchor/claims").json()["results"]

    # The anchor formats date-times and badges its own way; the content must be the same.
    claim_fields = (
        *("wording", "wording_source", "original_language", "original_text"),
        *("made_on", "made_on_precision", "made_until", "made_on_period", "quote", "summary"),
    )
    assert {claim["id"] for claim in anchored} == set(listed)
    for claim in anchored:
        api = listed[claim["id"]]
        assert list(claim) == [name for name in api if name in claim]
        assert {name: claim[name] for name in claim_fields} == {name: api[name] for name in claim_fields}
        assert [entry_content(entry) for entry in claim["timeline"]] == [
            entry_content(entry) for entry in api["timeline"]
        ]


def entry_content(entry: dict) -> tuple:
    return (
        list(entry),
        *(entry["id"], entry["effective_on"], entry["rationale"], entry["evidence"], entry["corrects"]),
        *(entry["corrected_by"], entry["removal_reason"], entry["status"] and entry["status"]["slug"]),
        *(entry["approved_at"] is None, entry["removed_at"] is None),
    )
