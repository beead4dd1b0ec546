"""The demo loader brings in the seed article's claims, once."""

import io

import pytest
from django.core.management import call_command

from claims.models import Claim, ClaimChange, Source, Status, StatusUpdate
from people.models import Person

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list]:
    return {
        "people": list(Person.objects.values_list("slug", "version")),
        "claims": list(Claim.objects.values_list("slug", "current_status__slug", "version").order_by("slug")),
        "updates": list(StatusUpdate.objects.values_list("claim__slug", "status__slug", "corrects").order_by("pk")),
        "sources": list(Source.objects.values_list("url")),
        "changes": list(ClaimChange.objects.values_list("pk")),
    }


def test_loading_the_demo_twice_changes_nothing_the_second_time():
    first_output = load_demo()
    after_first = snapshot()
    second_output = load_demo()
    assert "Loaded demo data" in first_output
    assert "nothing changed" in second_output
    assert snapshot() == after_first


def test_the_demo_holds_the_seed_articles_claims():
    load_demo()
    trump_pledge = Claim.objects.get(slug="trump-end-ukraine-war-quickly")
    assert trump_pledge.claimant.name == "Donald Trump"
    assert trump_pledge.is_public
    plan = Claim.objects.get(slug="zelenskyy-victory-plan")
    assert plan.components.count() == 3
    assert {component.current_status.slug for component in plan.components.all()} == {"in-the-works"}
    assert Claim.objects.filter(summary__contains="$425 million").exists()
    assert Claim.objects.filter(summary__contains="$60 billion").exists()
    assert Claim.objects.filter(quote__contains="Dagestan").exists()
    assert Claim.objects.filter(claimant__slug="dmitry-peskov").count() == 2


def test_the_demo_shows_a_correction_in_a_timeline():
    load_demo()
    claim = Claim.objects.get(slug="isw-ukraine-strikes-russian-naval-base-in-dagestan")
    correction = claim.status_updates.get(corrects__isnull=False)
    assert correction.rationale.startswith("Correction:")
    assert claim.current_status == correction.status


def test_every_demo_status_update_cites_the_article():
    load_demo()
    for update in StatusUpdate.objects.prefetch_related("evidence"):
        assert [source.published_on.isoformat() for source in update.evidence.all()] == ["2024-11-07"]
        assert update.effective_on.year == 2024


def test_the_demo_is_dated_when_the_article_appeared_so_as_of_views_work():
    import datetime

    load_demo()
    assert {claim.published_at.date() for claim in Claim.objects.all()} == {datetime.date(2024, 11, 7)}
    assert {update.published_at.year for update in StatusUpdate.objects.all()} == {2024}
    dagestan = Claim.objects.filter(slug="isw-ukraine-strikes-russian-naval-base-in-dagestan")

    def status_on(day: datetime.date) -> str:
        return Status.objects.get(pk=dagestan.with_status_as_of(day).get().status_as_of_id).slug

    assert status_on(datetime.date(2024, 11, 7)) == "accurate"
    assert status_on(datetime.date(2024, 11, 8)) == "unclear"
