"""The demo loader brings in the seed article's claims, once."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim, ClaimChange, Source, Status, StatusUpdate
from people.models import Person
from sampledata import demo

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list]:
    return {
        "people": list(Person.objects.values_list("slug", "version")),
        "claims": list(
            Claim.objects.values_list(
                "slug", "current_status__slug", "version", "wording", "made_on_precision", "made_until"
            ).order_by("slug")
        ),
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
    assert Claim.objects.count() == len(demo.CLAIMS)
    trump_pledge = Claim.objects.get(slug="trump-end-ukraine-war-quickly")
    assert trump_pledge.claimant.name == "Donald Trump"
    assert trump_pledge.is_public
    assert Claim.objects.filter(claimant__slug="donald-trump").count() == 4
    plan = Claim.objects.get(slug="zelenskyy-victory-plan")
    assert plan.current_status.slug == "in-the-works"
    assert plan.components.count() == 3
    assert {component.current_status.slug for component in plan.components.all()} == {"not-yet-rated"}
    assert Claim.objects.get(summary__contains="$425 million").claimant.slug == "pentagon"
    assert Claim.objects.get(summary__contains="$60 billion").claimant.slug == demo.PUBLISHER_SLUG
    assert Claim.objects.filter(quote__contains="Dagestan").exists()
    assert Claim.objects.filter(claimant__slug="dmitry-peskov").count() == 5
    assert Claim.objects.filter(claimant__slug="vladimir-putin").count() == 2


def test_the_demo_shows_a_correction_in_a_timeline():
    load_demo()
    claim = Claim.objects.get(slug="isw-ukraine-strikes-russian-naval-base-in-dagestan")
    correction = claim.status_updates.get(corrects__isnull=False)
    assert correction.rationale.startswith("Correction:")
    assert correction.corrects.status.slug == "accurate"
    assert claim.current_status == correction.status
    assert correction.status.slug == "not-yet-rated"


def test_every_demo_status_update_cites_the_article():
    load_demo()
    for update in StatusUpdate.objects.prefetch_related("evidence"):
        assert [source.url for source in update.evidence.all()] == [demo.ARTICLE_URL]
        assert update.effective_on <= demo.ARTICLE_DATE


def test_the_article_source_names_a_placeholder_outlet_on_a_reserved_domain():
    load_demo()
    article = Source.objects.get()
    assert article.url.startswith("https://news.example/")
    assert article.publisher == demo.PUBLISHER_NAME == Person.objects.get(slug=demo.PUBLISHER_SLUG).name
    assert "placeholder" in article.publisher


def test_the_demo_is_dated_when_the_article_appeared_so_as_of_views_work():
    load_demo()
    assert {claim.published_at.date() for claim in Claim.objects.all()} == {datetime.date(2024, 11, 7)}
    assert {update.published_at.year for update in StatusUpdate.objects.all()} == {2024}
    dagestan = Claim.objects.filter(slug="isw-ukraine-strikes-russian-naval-base-in-dagestan")

    def status_on(day: datetime.date) -> str:
        return Status.objects.get(pk=dagestan.with_status_as_of(day).get().status_as_of_id).slug

    assert status_on(datetime.date(2024, 11, 7)) == "accurate"
    assert status_on(datetime.date(2024, 11, 8)) == "not-yet-rated"


def test_with_verdict_approval_required_the_demo_is_refused_and_nothing_is_written(settings):
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = True

    with pytest.raises(CommandError, match="REQUIRE_VERDICT_APPROVAL"):
        load_demo()
    assert not Claim.objects.exists()
    assert not Person.objects.exists()


def test_once_loaded_the_demo_loads_again_as_a_no_op_even_with_approval_required(settings):
    load_demo()
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = True

    assert "nothing changed" in load_demo()
