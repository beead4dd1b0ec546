"""Recording status updates keeps each claim's stored current status equal to its timeline."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.models import ChangeKind, ClaimChange, Scale, Status
from tests import factories
from tests.factories import record_status

pytestmark = pytest.mark.django_db

NOV_7 = datetime.date(2024, 11, 7)


def status(slug: str, scale: str = Scale.PROMISE) -> Status:
    return Status.objects.get(scale=scale, slug=slug)


@pytest.fixture
def pledge():
    return factories.ClaimFactory(made_on=NOV_7)


def record(claim, slug, day, editor, **kwargs):
    return record_status(
        claim=claim,
        status=status(slug, claim.scale),
        effective_on=NOV_7 + datetime.timedelta(days=day),
        rationale=f"Moved to {slug}.",
        recorded_by=editor,
        **kwargs,
    )


def test_a_new_claim_stands_at_its_scales_default_status(editor):
    claim = services.claim_create(
        claimant=factories.PersonFactory(),
        kind="statement",
        quote="Moscow is still prepared to hold talks.",
        summary="Moscow is ready for talks",
        made_on=NOV_7,
        created_by=editor,
    )
    assert claim.current_status == Status.objects.default_for(Scale.FACT_CHECK)
    assert claim.slug == "moscow-is-ready-for-talks"
    assert claim.status_changed_on is None


def test_the_latest_update_by_effective_date_sets_the_current_status(pledge, editor):
    record(pledge, "in-the-works", 10, editor)
    record(pledge, "stalled", 40, editor)
    assert pledge.current_status.slug == "stalled"
    assert pledge.status_changed_on == NOV_7 + datetime.timedelta(days=40)


def test_backdating_an_update_does_not_override_a_later_one(pledge, editor):
    record(pledge, "kept", 40, editor)
    record(pledge, "in-the-works", 10, editor)
    assert pledge.current_status.slug == "kept"
    assert pledge.status_updates.count() == 2


def test_a_correction_replaces_the_update_it_corrects_and_keeps_it_in_the_timeline(pledge, editor):
    record(pledge, "in-the-works", 10, editor)
    mistaken = record(pledge, "kept", 40, editor)
    correction = record(pledge, "compromise", 40, editor, corrects=mistaken)
    assert pledge.current_status.slug == "compromise"
    assert list(pledge.status_updates.not_corrected().order_by("pk")) == [
        pledge.status_updates.get(status__slug="in-the-works"),
        correction,
    ]
    assert mistaken.corrections.get() == correction
    assert pledge.status_updates.count() == 3


def test_correcting_the_only_update_can_bring_back_an_earlier_status(pledge, editor):
    record(pledge, "in-the-works", 10, editor)
    wrong = record(pledge, "broken", 20, editor)
    record(pledge, "stalled", 5, editor, corrects=wrong)
    # The correction moves the change back in time, so the later "in the works" is current again.
    assert pledge.current_status.slug == "in-the-works"


def test_a_draft_update_does_not_change_the_current_status_until_published(pledge, editor):
    record(pledge, "in-the-works", 10, editor)
    draft = record(pledge, "kept", 20, editor, publish=False)
    assert pledge.current_status.slug == "in-the-works"
    services.status_update_publish(update=draft, published_by=editor)
    pledge.refresh_from_db()
    assert pledge.current_status.slug == "kept"


def test_a_status_from_the_wrong_scale_is_refused_with_a_clear_error(pledge, editor):
    with pytest.raises(ValidationError) as raised:
        record_status(
            claim=pledge,
            status=status("false", Scale.FACT_CHECK),
            effective_on=NOV_7,
            rationale="Wrong scale.",
            recorded_by=editor,
        )
    assert "status" in raised.value.message_dict
    assert pledge.status_updates.count() == 0


def test_an_update_cannot_take_effect_before_the_claim_was_made(pledge, editor):
    with pytest.raises(ValidationError) as raised:
        record(pledge, "in-the-works", -1, editor)
    assert "before the claim was made" in raised.value.message_dict["effective_on"][0]


def test_a_correction_of_another_claims_update_is_refused(pledge, editor):
    other_update = record(factories.ClaimFactory(made_on=NOV_7), "kept", 1, editor)
    with pytest.raises(ValidationError) as raised:
        record(pledge, "kept", 1, editor, corrects=other_update)
    assert "corrects" in raised.value.message_dict


def test_every_published_update_and_edit_is_logged_in_the_change_feed(pledge, editor):
    first = record(pledge, "in-the-works", 10, editor)
    record(pledge, "kept", 20, editor, publish=False)
    record(pledge, "stalled", 10, editor, corrects=first)
    services.claim_set_visibility(
        claim=pledge, visibility="withdrawn", changed_by=editor, reason="Wrongly attributed to the mayor."
    )
    kinds = list(ClaimChange.objects.filter(claim=pledge).values_list("kind", flat=True))
    assert kinds == [ChangeKind.STATUS_RECORDED, ChangeKind.CORRECTION_RECORDED, ChangeKind.WITHDRAWN]
    assert ClaimChange.objects.filter(claim=pledge).last().visibility == "withdrawn"
    assert ClaimChange.objects.filter(claim=pledge).last().note == "Wrongly attributed to the mayor."


def test_each_write_bumps_the_claims_version(pledge, editor):
    before = pledge.version
    record(pledge, "in-the-works", 10, editor)
    assert pledge.version == before + 1
