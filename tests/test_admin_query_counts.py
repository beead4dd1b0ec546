"""Admin lists run a fixed number of queries, however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def build_claims(count: int) -> None:
    topic = factories.TopicFactory()
    for _ in range(count):
        claim = factories.ClaimFactory()
        claim.topics.add(topic)
        factories.StatusUpdateFactory(claim=claim)


@pytest.mark.parametrize("url_name", ["admin:claims_claim_changelist", "admin:claims_statusupdate_changelist"])
def test_the_list_runs_the_same_queries_for_5_or_40_rows(client, url_name):
    client.force_login(factories.EditorFactory())
    url = reverse(url_name)
    build_claims(5)
    with_five = queries_for(client, url)
    build_claims(35)
    with_forty = queries_for(client, url)
    assert len(with_forty) == len(with_five), "\n".join(with_forty)


def test_the_claim_list_query_count_is_pinned(client, django_assert_num_queries):
    client.force_login(factories.EditorFactory())
    build_claims(20)
    # session, user, whether the user has authenticator devices (TOTP, backup codes), the user's
    # and the groups' permissions, the filters' choices (statuses, claimants, topics, who must
    # act), the count for the paginator, the page of claims joined to claimant and status, and
    # the date hierarchy's range and days.
    with django_assert_num_queries(14):
        response = client.get(reverse("admin:claims_claim_changelist"))
    assert len(response.context["cl"].result_list) == 20
    assert response.context["cl"].result_list[0].current_status.label


@pytest.mark.parametrize(
    "model",
    [
        "claims.claim",
        "claims.statusupdate",
        "claims.source",
        "claims.status",
        "claims.topic",
        "people.person",
        "people.term",
    ],
)
def test_every_admin_list_and_add_page_renders_for_a_superuser(client, model):
    app_label, model_name = model.split(".")
    client.force_login(factories.SuperuserFactory())
    factories.StatusUpdateFactory(evidence=[factories.SourceFactory()])
    for view in ["changelist", "add"]:
        response = client.get(reverse(f"admin:{app_label}_{model_name}_{view}"))
        assert response.status_code == 200, view


def test_the_claim_page_renders_its_timeline_for_an_editor(client):
    update = factories.StatusUpdateFactory(rationale="Talks began in Riyadh.", evidence=[factories.SourceFactory()])
    client.force_login(factories.EditorFactory())
    page = client.get(reverse("admin:claims_claim_change", args=[update.claim.pk]))
    assert page.status_code == 200
    assert "Talks began in Riyadh." in page.content.decode()
