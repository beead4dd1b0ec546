"""The home page (what the tracker is, counts by status, recent claims, people) and the
methodology page generated from the status scales."""

import html
import re

import pytest

from tests.browser.data import days_ago
from tests.factories import ClaimFactory, PersonFactory, StatementFactory, status_on

pytestmark = pytest.mark.django_db


def test_the_home_page_counts_published_claims_by_status_in_a_table(client, world):
    response = client.get("/")

    assert response.status_code == 200
    counts = {
        (scale.scale, status.slug): status.claim_count for scale in response.context["scales"] for status in scale.rows
    }
    assert counts[("promise", "not-yet-rated")] == 2  # the plan and a component; the draft does not count
    assert counts[("promise", "stalled")] == 1
    assert counts[("promise", "kept")] == 1
    assert counts[("fact_check", "false")] == 1
    page = response.content.decode()
    assert '<table class="chart__table">' in page
    assert '<svg class="chart__bar"' in page


def test_the_home_page_lists_recent_claims_and_the_people_tracked(client, world):
    page = client.get("/").content.decode()

    assert "Crime has halved since 2020" in page
    assert 'href="/people/ada-mayor/"' in page
    assert 'href="/people/ministry-of-roads/"' in page
    assert world.draft.summary not in page


def test_someone_with_only_draft_claims_is_not_listed_as_tracked(client, world):
    PersonFactory(name="Hidden Person")

    assert "Hidden Person" not in client.get("/").content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_the_home_page_takes_the_same_number_of_queries_whatever_the_numbers(client, django_assert_num_queries, count):
    for person in PersonFactory.create_batch(count):
        ClaimFactory(claimant=person)

    # 1 data version, 2 freshness, 3 status scales (ETag), 4 statuses with counts, 5 recent claims,
    # 6 people with counts.
    with django_assert_num_queries(6):
        client.get("/")


def test_the_methodology_page_lists_every_status_with_meaning_stage_and_rating(client, world):
    response = client.get("/methodology/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Promise scale" in page
    assert "Fact-check scale" in page
    assert "The promise was fulfilled as stated, or substantially so." in page
    assert "5 of 5" in page
    assert "1 of 5" in page
    assert "Interim" in page
    assert "Final" in page
    assert 'id="status-promise-kept"' in page
    assert "ClaimReview" in page


def test_the_methodology_follows_edits_to_the_scales(client, world):
    kept = status_on("promise", "kept")
    kept.meaning = "Done, as promised."
    kept.save()

    assert "Done, as promised." in client.get("/methodology/").content.decode()


@pytest.mark.parametrize("as_of", [None, 30])
def test_each_count_on_the_home_chart_links_to_a_list_of_exactly_those_claims(client, world, as_of):
    StatementFactory(summary="Unrated statement", made_on=days_ago(60))  # "Not yet rated" on both scales
    query = {"as_of": str(days_ago(as_of))} if as_of else {}
    page = client.get("/", query).content.decode()
    links = re.findall(
        r'<th scope="row"><a href="(/claims/\?[^"]+)">([^<]+)</a></th>\s*<td class="num">(\d+)</td>', page
    )

    fresh = client.get("/", query, headers={"cache-control": "no-cache"})
    assert len(links) == sum(len(scale.rows) for scale in fresh.context["scales"])
    for href, label, count in links:
        listed = client.get(html.unescape(href)).context["claims"]
        assert len(listed) == int(count), (label, href)
    if as_of:
        assert all(f"as_of={days_ago(as_of)}" in href for href, _, _ in links)
        return
    assert (
        '/claims/?status=not-yet-rated&amp;scale=promise">Not yet rated</a></th>\n            <td class="num">2<'
        in page
    )
    assert (
        '/claims/?status=not-yet-rated&amp;scale=fact_check">Not yet rated</a></th>\n            <td class="num">1<'
        in page
    )


def test_the_methodology_explains_wording_dates_evidence_and_what_never_vanishes(client):
    page = client.get("/methodology/").content.decode()

    for section in ["wording", "dates", "evidence", "no-future-verdicts", "corrections", "removals", "withdrawals"]:
        assert f'id="{section}"' in page, section
    assert "We never put a paraphrase in quotation marks" in page
    assert "“September 2024”" in page
    assert "at least one evidence source" in page
    assert 'href="/corrections/"' in page


def test_the_methodology_says_when_a_second_editor_approves_verdicts(client, settings):
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = True

    page = client.get("/methodology/").content.decode()

    assert "A second editor approves each verdict" in page
