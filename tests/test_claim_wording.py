"""A claim's text says what it is: the speaker's exact words, a report of them, or a translation."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import services
from claims.models import Claim, Wording
from tests import factories

pytestmark = pytest.mark.django_db


def create(**kwargs) -> Claim:
    defaults = {
        "claimant": factories.PersonFactory(),
        "kind": "statement",
        "quote": "We are open to talks.",
        "summary": "Open to talks",
        "made_on": factories.ClaimFactory.made_on.function(),
        "created_by": None,
    }
    return services.claim_create(**(defaults | kwargs))


def test_a_claim_is_a_paraphrase_unless_marked_otherwise():
    claim = create()
    assert claim.wording == Wording.PARAPHRASE
    assert not claim.is_quotation


def test_a_verbatim_quote_names_the_source_it_is_quoted_from():
    with pytest.raises(ValidationError) as refused:
        create(wording=Wording.VERBATIM)
    assert "wording_source" in refused.value.message_dict
    source = factories.SourceFactory()
    claim = create(wording=Wording.VERBATIM, wording_source=source)
    assert claim.is_quotation
    assert claim.wording_source == source


def test_a_translation_names_the_original_language():
    source = factories.SourceFactory()
    with pytest.raises(ValidationError) as refused:
        create(wording=Wording.TRANSLATION, wording_source=source)
    assert "original_language" in refused.value.message_dict
    claim = create(wording=Wording.TRANSLATION, wording_source=source, original_language="ru")
    assert claim.is_quotation
    assert claim.original_language == "ru"


@pytest.mark.parametrize(
    "change",
    [
        {"wording": Wording.VERBATIM},
        {"wording": Wording.TRANSLATION},
        {"wording": "hearsay"},
    ],
)
def test_the_database_refuses_a_quote_without_a_source_or_language(change):
    claim = factories.ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(**change)
