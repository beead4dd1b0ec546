"""The API's fast read path gives exactly the JSON the documented serializer describes."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from api.representations import ClaimRepresenter
from api.selectors import claim_rows, claims_for_representation, status_badge_rows, visible_claims
from api.serializers import ClaimSerializer
from claims.as_of import show_status_as_of
from claims.models import Claim
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
    return [plan, component, draft_component, statement]


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
    assert len(expected) == (4 if include_unpublished and not as_of else 3)

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
