"""A partner mirrors the claims through the change feed and stays equal to the API."""

import pytest
from django.test import Client

from claims import services
from tests import factories
from tests.api_support import full_walk, published_claim, record, sync

pytestmark = pytest.mark.django_db


def test_a_mirror_synced_from_its_cursor_equals_the_published_claims():
    editor = factories.EditorFactory()
    partner = Client()
    plan = published_claim(by=editor, kind="plan", summary="Housing plan")
    component = published_claim(by=editor, parent=plan, summary="Build homes")
    to_withdraw = published_claim(by=editor, summary="Lower rents")
    to_correct = published_claim(by=editor, summary="Cut taxes")
    draft = published_claim(by=editor, visibility="draft", summary="Not yet public")
    wrong = record(to_correct, "broken", by=editor)

    mirror: dict[int, dict] = {}
    cursor = sync(partner, mirror, "0", page_size=3)
    assert mirror == full_walk(partner, page_size=2)
    assert set(mirror) == {plan.pk, component.pk, to_withdraw.pk, to_correct.pk}

    record(component, "in-the-works", by=editor, evidence=2)
    record(plan, "stalled", by=editor)
    record(to_correct, "kept", by=editor, corrects=wrong)
    services.claim_set_visibility(claim=to_withdraw, visibility="withdrawn", changed_by=editor, reason="Misquoted.")
    services.claim_set_visibility(claim=draft, visibility="published", changed_by=editor)
    services.claim_set_visibility(claim=component, visibility="withdrawn", changed_by=editor, reason="Duplicate.")

    cursor = sync(partner, mirror, cursor, page_size=3)

    assert mirror == full_walk(partner, page_size=2)
    assert set(mirror) == {plan.pk, to_correct.pk, draft.pk}
    assert mirror[to_correct.pk]["current_status"]["slug"] == "kept"
    assert mirror[plan.pk]["components"] == []
    assert sync(partner, mirror, cursor, page_size=3) == cursor
