"""Each domain rule is said once: who sees a claim, and which update sets its status.

The rules live in ``claims/models.py`` (``ClaimQuerySet.published``/``visible``,
``published_through``, ``TIMELINE_ORDER`` and ``StatusUpdateQuerySet.standing``) and in
``claims.timeline.latest_in_effect`` for timelines already in memory.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from claims import services
from claims.models import TIMELINE_ORDER, Claim, StatusUpdate, Visibility, published_through
from claims.timeline import latest_in_effect
from people.models import Person
from tests import factories
from tests.factories import record_status, status_on

ROOT = Path(__file__).resolve().parent.parent
MADE_ON = datetime.date(2024, 11, 7)

# Hand-written "is this claim public" checks and timeline-order literals in files that another
# change is reworking at the same time; shrink this list as they move to the vocabulary.
NOT_YET_MOVED = {
    "api/serializers.py",
    "claims/admin.py",
    "webhooks/delivery.py",
    "bench/anchor.py",
}
# Where the rules themselves are written (and writes that set a visibility, which are not reads).
HOMES = {
    "claims/models.py",
    "claims/services.py",
    "sampledata/synthetic.py",
    "sampledata/management/commands/load_demo.py",
}
HAND_WRITTEN = re.compile(
    r"""visibility(=|\s*[!=]=\s*)(Visibility\.PUBLISHED|"published")"""
    r"""|__visibility=|"-effective_on",\s*"-recorded_at"|"effective_on",\s*"recorded_at\""""
)


def day(offset: int) -> datetime.date:
    return MADE_ON + datetime.timedelta(days=offset)


def record(claim: Claim, slug: str, offset: int, editor, **kwargs) -> StatusUpdate:
    return record_status(
        claim=claim,
        status=status_on(claim.scale, slug),
        effective_on=day(offset),
        rationale=f"Now {slug}.",
        recorded_by=editor,
        **kwargs,
    )


@pytest.mark.django_db
def test_the_in_memory_rule_picks_the_update_the_services_store(editor):
    superuser = factories.EditorFactory(is_superuser=True)
    claim = factories.ClaimFactory(made_on=MADE_ON)
    record(claim, "in-the-works", 10, editor)
    wrong = record(claim, "kept", 30, editor)
    record(claim, "stalled", 30, editor, corrects=wrong)  # Same day: the correction replaces it.
    later = record(claim, "compromise", 40, editor)
    record(claim, "broken", 50, editor, publish=False)  # A draft never counts.
    services.status_update_remove(update=later, removed_by=superuser, reason="Court order.")
    claim.refresh_from_db()

    latest = latest_in_effect(claim.status_updates.all())

    assert latest is not None
    assert (latest.status_id, latest.effective_on) == (claim.current_status_id, claim.status_changed_on)
    assert claim.current_status.slug == "stalled"


@pytest.mark.django_db
def test_the_as_of_rule_and_the_stored_status_agree_on_today(editor):
    claim = factories.ClaimFactory(made_on=MADE_ON)
    first = record(claim, "in-the-works", 10, editor)
    record(claim, "kept", 20, editor, corrects=first)
    claim.refresh_from_db()

    as_of = Claim.objects.with_status_as_of(timezone.localdate()).get(pk=claim.pk)

    assert as_of.status_as_of_id == claim.current_status_id


def test_unsaved_updates_that_tie_go_to_the_later_one_as_its_id_would():
    now = timezone.now()
    earlier, later = (
        StatusUpdate(effective_on=MADE_ON, recorded_at=now, published_at=now, rationale=name) for name in "ab"
    )

    assert latest_in_effect([earlier, later]) is later


def test_the_timeline_order_is_one_constant_everywhere():
    assert TIMELINE_ORDER == ("effective_on", "recorded_at", "id")
    assert StatusUpdate._meta.ordering == [f"-{field}" for field in TIMELINE_ORDER]
    assert StatusUpdate._meta.get_latest_by == list(TIMELINE_ORDER)
    assert StatusUpdate.objects.in_effect_order().query.order_by == TIMELINE_ORDER
    assert StatusUpdate.objects.timeline().query.order_by == tuple(f"-{field}" for field in TIMELINE_ORDER)


@pytest.mark.django_db
def test_only_an_editors_reader_sees_drafts():
    published = factories.ClaimFactory()
    draft = factories.DraftClaimFactory()

    assert list(Claim.objects.visible(include_unpublished=False)) == [published]
    assert set(Claim.objects.visible(include_unpublished=True)) == {published, draft}
    assert Visibility(draft.visibility).is_public is False
    assert published.is_public
    assert not published.is_withdrawn


@pytest.mark.django_db
def test_the_published_rule_reads_the_same_through_a_relation():
    shown = factories.ClaimFactory().claimant
    factories.DraftClaimFactory()

    assert list(Person.objects.filter(published_through("claims")).distinct()) == [shown]


def test_no_hand_written_visibility_or_timeline_order_outside_the_homes():
    offenders = set()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/")) or "/migrations/" in relative:
            continue
        if HAND_WRITTEN.search(path.read_text(encoding="utf-8")):
            offenders.add(relative)

    assert offenders - HOMES - NOT_YET_MOVED == set()
