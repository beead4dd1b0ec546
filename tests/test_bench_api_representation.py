"""One claim JSON: built by api.representations, documented by ClaimSerializer, served by every answer."""

import datetime

import pytest
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from api import representations, serializers
from api.keys import api_key_create
from api.representations import ClaimRepresenter
from api.selectors import claim_rows, status_badge_rows, visible_claims
from api.serializers import ClaimSerializer
from claims import services
from claims.models import Claim, DatePrecision, StatusUpdate, Wording
from tests import factories
from tests.api_support import editor_client, published_claim, record
from webhooks.delivery import fan_out
from webhooks.models import Delivery, WebhookEndpoint
from webhooks.services import endpoint_save

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


def test_the_schema_and_the_representation_name_the_same_fields():
    """ClaimSerializer documents the JSON that api.representations builds: same fields, same order."""
    # ``translations`` comes last, and only when asked for (translations=true).
    assert list(ClaimSerializer().fields) == [*representations.CLAIM_FIELDS, "translations"]
    assert list(serializers.StatusUpdateSerializer().fields) == [*representations.UPDATE_FIELDS, "translations"]
    assert list(serializers.SourceSerializer().fields) == list(representations.SOURCE_FIELDS)
    badge = representations.json_fields(representations.BADGE_FIELDS, representations.BADGE_TEXTS)
    assert list(serializers.StatusBadgeSerializer().fields) == [*badge, "translations"]
    assert list(serializers.PersonSummarySerializer().fields) == list(representations.PERSON_FIELDS)
    topic = representations.json_fields(representations.TOPIC_FIELDS, representations.TOPIC_TEXTS)
    assert list(serializers.TopicSerializer().fields) == [*topic, "translations"]
    reference = representations.json_fields(representations.REFERENCE_FIELDS, representations.REFERENCE_TEXTS)
    assert list(serializers.ClaimReferenceSerializer().fields) == [*reference, "status", "translations"]
    assert list(serializers.AppearanceSerializer().fields) == ["source", *representations.APPEARANCE_FIELDS]


def test_the_selector_reads_every_column_the_representation_copies():
    """Adding a plain column to CLAIM_FIELDS is enough: claim_rows derives its columns from it."""
    columns = set(claim_rows(Claim.objects.all()).query.values_select)
    assert set(representations.plain_claim_fields()) <= columns
    # A translated text (claims/translation.py) is read in every language's column.
    assert {"summary_en", "summary_uk", "summary_ru", "current_status__label_uk", "parent__summary_ru"} <= columns
    assert {"claimant__slug", "wording_source__url", "parent__slug"} <= columns


def test_the_serializer_never_builds_a_claims_json(varied_claims):
    with pytest.raises(NotImplementedError, match=r"api\.representations"):
        ClaimSerializer(varied_claims[0]).data  # noqa: B018


@pytest.mark.parametrize("as_of", [False, True])
@pytest.mark.parametrize("include_unpublished", [False, True])
def test_a_page_of_rows_is_shaped_in_a_fixed_number_of_queries(
    varied_claims, include_unpublished, as_of, django_assert_num_queries
):
    """A plan, its published and draft components, corrections, evidence, topics, who must act,
    appearances; an editor's drafts; and the status as of a date."""
    varied_claims[0].must_act.add(factories.PersonFactory(), factories.PersonFactory())
    request = RequestFactory().get("/api/v1/claims")
    claims = visible_claims(include_unpublished=include_unpublished).order_by("-updated_at", "-id")
    if as_of:
        claims = claims.with_status_as_of(timezone.localdate())

    # The page, the statuses for as_of, then topics, who must act, components, appearances,
    # timeline and evidence.
    with django_assert_num_queries(7 + as_of):
        rows = list(claim_rows(claims, as_of=as_of))
        badges = status_badge_rows() if as_of else None
        representer = ClaimRepresenter(request=request, include_unpublished=include_unpublished)
        shaped = representer.claims_from_rows(rows, as_of_badges=badges)

    # The draft is listed for an editor, except as of a date (only what was published by then).
    assert len(shaped) == (6 if include_unpublished and not as_of else 5)
    assert all(list(claim) == list(representations.CLAIM_FIELDS) for claim in shaped)
    assert all(list(update) == list(representations.UPDATE_FIELDS) for claim in shaped for update in claim["timeline"])
    plan = next(claim for claim in shaped if claim["id"] == varied_claims[0].pk)
    assert len(plan["must_act"]) == 2
    assert len(plan["components"]) == (2 if include_unpublished else 1)


def test_the_list_detail_change_feed_and_write_answers_serve_one_json(varied_claims):
    client = APIClient()
    listed = {claim["id"]: claim for claim in client.get("/api/v1/claims").json()["results"]}

    assert len(listed) == 5
    for pk, body in listed.items():
        assert client.get(f"/api/v1/claims/{pk}").json() == body
        assert client.get(f"/api/v1/claims/by-slug/{body['slug']}").json() == body
    changes = client.get("/api/v1/changes", {"page_size": 200}).json()["results"]
    assert all(change["claim"] == listed[change["claim"]["id"]] for change in changes if "slug" in change["claim"])

    editor, _ = editor_client()
    claim = varied_claims[5]
    answer = editor.post(
        f"/api/v1/claims/{claim.pk}/status-updates",
        {
            "status": "kept",
            "effective_on": claim.made_on.isoformat(),
            "rationale": "Done.",
            "evidence": [{"url": "https://news.example/done", "title": "Done"}],
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json() == editor.get(f"/api/v1/claims/{claim.pk}").json()
    assert answer["ETag"].startswith(f'"{claim.pk}-{answer.json()["version"]}-')


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
def test_the_benchmark_anchor_serves_the_apis_json_less_what_it_leaves_out(varied_claims):
    listed = {claim["id"]: claim for claim in APIClient().get("/api/v1/claims", {"page_size": 50}).json()["results"]}
    anchored = Client().get("/bench/anchor/claims").json()["results"]

    # Shaped by the same field lists: the same values, byte for byte, but for the fields whose
    # queries the anchor does not make.
    left_out = {"url", "public_url", "must_act", "parent", "components"}
    assert {claim["id"] for claim in anchored} == set(listed)
    for claim in anchored:
        api = listed[claim["id"]]
        assert list(claim) == [name for name in api if name not in left_out]
        assert claim == {name: api[name] for name in claim}


def test_the_claim_in_a_webhook_payload_is_the_apis_claim(varied_claims, settings):
    settings.WEBHOOKS_ALLOW_INSECURE_LOCALHOST = True
    settings.CLAIMTRACKER_SITE_URL = "https://claims.example/"
    key, _ = api_key_create(name="Daily Planet", owner=factories.ViewerFactory())
    endpoint_save(endpoint=WebhookEndpoint(api_key=key, url="http://127.0.0.1:9/hook"), saved_by=None)
    component = varied_claims[1]
    update = record(component, "kept", evidence=1)

    fan_out()

    payload = Delivery.objects.get(change__status_update=update).payload
    api = APIClient().get(f"/api/v1/claims/{component.pk}").json()
    site = "https://claims.example"
    assert payload["claim"] == {
        **api,
        "url": api["url"].replace("http://testserver", site),
        "public_url": api["public_url"].replace("http://testserver", site),
    }
    assert payload["status_update"] == {
        **api["timeline"][0],
        "published_at": StatusUpdate.objects.get(pk=update.pk).published_at.isoformat(),
    }
