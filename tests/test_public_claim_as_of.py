"""The claim page as the record stood on a past date (?as_of=YYYY-MM-DD)."""

import datetime

import pytest
from django.utils import timezone

from claims import services
from tests import factories
from tests.factories import record_status, status_on

pytestmark = pytest.mark.django_db


def noon(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T12:00"))


@pytest.fixture
def story():
    editor = factories.EditorFactory(first_name="Grace", last_name="Reporter")
    claim = factories.ClaimFactory(
        slug="fix-roads", made_on=datetime.date(2025, 1, 20), published_at=noon("2025-01-20"), summary="Fix the roads"
    )

    def record(slug, day, rationale, **kwargs):
        return record_status(
            claim=claim,
            status=status_on("promise", slug),
            effective_on=datetime.date.fromisoformat(kwargs.pop("effective", day)),
            rationale=rationale,
            recorded_by=editor,
            recorded_at=noon(day),
            **kwargs,
        )

    started = record("in-the-works", "2025-02-01", "Contracts signed.")
    kept = record("kept", "2025-03-01", "Roads reopened.")
    corrected = record("stalled", "2025-04-01", "Only half the roads reopened.", effective="2025-03-01", corrects=kept)
    services.status_update_remove(update=started, removed_by=factories.SuperuserFactory(), reason="A court order.")
    claim.refresh_from_db()
    return {"claim": claim, "started": started, "kept": kept, "corrected": corrected}


def page(client, as_of=None):
    response = client.get("/claims/fix-roads/", {"as_of": as_of} if as_of else {})
    assert response.status_code == 200
    return response.content.decode()


def test_the_status_and_since_are_those_of_the_date(client, story):
    then = page(client, "2025-02-15")

    assert "Status on 15 February 2025" in then
    assert '<dd><time datetime="2025-02-01">1 February 2025</time></dd>' in then
    assert "In the works</span>" in then.split('class="status-panel"')[1].split("</aside>")[0]


def test_a_notice_at_the_top_says_which_date_is_shown(client, story):
    then = page(client, "2025-02-15")

    assert then.index("as it stood at the end of") < then.index("<h1>")
    assert 'href="/claims/fix-roads/">See it as it stands today' in then
    assert '<meta name="robots" content="noindex, follow">' in then
    assert "application/ld+json" not in then  # search engines get the verdict as it stands


def test_entries_published_later_are_hidden(client, story):
    then = page(client, "2025-02-15")

    assert f'id="update-{story["started"].pk}"' in then
    assert f'id="update-{story["kept"].pk}"' not in then
    assert f'id="update-{story["corrected"].pk}"' not in then


def test_a_correction_counts_only_once_it_was_published(client, story):
    before = page(client, "2025-03-15")
    after = page(client, "2025-04-15")

    assert "Kept</span>" in before.split('class="status-panel"')[1].split("</aside>")[0]
    assert "timeline__entry--corrected" not in before
    assert "Stalled</span>" in after.split('class="status-panel"')[1].split("</aside>")[0]
    assert "timeline__entry--corrected" in after


def test_an_entry_removed_later_shows_as_it_stood(client, story):
    then = page(client, "2025-02-15")
    today = page(client)

    assert "Contracts signed." in then
    assert "A court order." not in then
    assert "Contracts signed." not in today
    assert "A court order." in today


def test_a_date_before_the_claim_was_published_says_so_and_shows_today(client, story):
    before = page(client, "2025-01-01")

    assert "was not yet on our record at the end of 1 January 2025" in before
    assert "Current status" in before


def test_a_bad_date_is_explained_and_today_is_shown(client, story):
    bad = page(client, "15/02/2025")

    assert "is not a date (use YYYY-MM-DD)" in bad
    assert "Current status" in bad


def test_the_dated_page_takes_a_fixed_number_of_queries(client, story, django_assert_num_queries):
    # As without a date (1 data version, 2 freshness, 3 scales, 4 claim with its status then,
    # 5 topics, 6 who must act, 7 appearances, 8 components, 9 timeline, 10 evidence), plus 11 the
    # statuses by id, to show the status then.
    with django_assert_num_queries(11):
        client.get("/claims/fix-roads/", {"as_of": "2025-03-15"})
