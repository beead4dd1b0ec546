"""`manage.py generate_synthetic`: consistent data, the change feed, and no mixing with real data."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

from claims.models import ChangeKind, Claim, ClaimChange, Status, StatusUpdate
from sampledata.synthetic import SLUG_PREFIX, generate
from tests import factories

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("generate_synthetic", *args, "--quiet-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_every_claims_stored_status_is_what_the_services_would_compute_from_its_timeline():
    run("--claims", "150", "--seed", "7")

    claims = list(Claim.objects.select_related("current_status"))
    assert len(claims) == 150
    for claim in claims:
        # The query claims.services._refresh_current_status runs after every write.
        latest = claim.status_updates.in_record().not_corrected().in_effect_order().last()
        if latest is None:
            assert claim.current_status == Status.objects.default_for(claim.scale)
            assert claim.status_changed_on is None
        else:
            assert (claim.current_status_id, claim.status_changed_on) == (latest.status_id, latest.effective_on)
        assert claim.current_status.scale == claim.scale


def test_the_data_has_every_kind_plans_with_components_corrections_drafts_and_shared_sources():
    run("--claims", "400")

    assert set(Claim.objects.values_list("kind", flat=True)) == {"pledge", "plan", "statement", "factual_claim"}
    assert Claim.objects.filter(parent__isnull=False, parent__kind="plan").exists()
    assert StatusUpdate.objects.filter(corrects__isnull=False).exists()
    assert StatusUpdate.objects.drafts().exists()
    per_claim = [claim.status_updates.count() for claim in Claim.objects.all()]
    assert min(per_claim) >= 1
    assert max(per_claim) <= 6
    shared = StatusUpdate.evidence.through.objects.values("source").distinct().count()
    assert shared < StatusUpdate.evidence.through.objects.count()
    assert all(claim.slug.startswith(SLUG_PREFIX) for claim in Claim.objects.all())


def test_the_change_feed_holds_each_creation_publication_and_published_update():
    run("--claims", "60")

    published_updates = StatusUpdate.objects.published().count()
    logged = ClaimChange.objects.filter(kind__in=[ChangeKind.STATUS_RECORDED, ChangeKind.CORRECTION_RECORDED])
    assert logged.count() == published_updates
    assert ClaimChange.objects.filter(kind=ChangeKind.CREATED).count() == 60
    for claim in Claim.objects.all():
        times = list(claim.changes.order_by("pk").values_list("recorded_at", flat=True))
        assert times == sorted(times), claim.slug
    body = Client().get("/api/v1/changes", {"page_size": 200}).json()
    assert body["results"]
    assert body["has_more"] is True


def test_synthetic_claims_are_searchable_and_listed():
    run("--claims", "80")

    assert Claim.objects.search("government").exists() or Claim.objects.search("will").exists()
    assert Client().get("/claims/").status_code == 200
    assert Client().get("/api/v1/claims").status_code == 200


def test_the_same_seed_gives_the_same_claims():
    def texts():
        return list(Claim.objects.order_by("pk").values_list("kind", "summary", "quote", "current_status__slug"))

    with transaction.atomic():
        generate(claims=40, seed=3)
        first = texts()
        transaction.set_rollback(True)
    generate(claims=40, seed=3)

    assert texts() == first


def test_it_refuses_a_database_with_real_claims_unless_forced():
    factories.ClaimFactory()

    with pytest.raises(CommandError, match="non-synthetic claims and people"):
        run("--claims", "10")
    assert Claim.objects.count() == 1

    run("--claims", "10", "--force")
    assert Claim.objects.count() == 11


def test_ids_keep_counting_after_a_second_run_and_new_rows_still_get_fresh_ids():
    run("--claims", "10")
    run("--claims", "10")

    assert Claim.objects.count() == 20
    extra = factories.ClaimFactory(slug=f"{SLUG_PREFIX}by-hand")
    assert extra.pk > max(Claim.objects.exclude(pk=extra.pk).values_list("pk", flat=True))
