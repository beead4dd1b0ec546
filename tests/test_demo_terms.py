"""The demo holds the terms of office its seed article implies, and no more: Trump's presidency from
his inauguration on 20 January 2025, with no end (the article gives none), and the pledges the
article presents as what he would do as president. Loading it again changes nothing."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from claims import services
from claims.models import Claim, ClaimChange
from people.models import Person, Term
from people.services import term_save
from sampledata import demo
from tests import factories

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "000_1ba0435f5934cda3.txt"
QUOTED = re.compile(r"“([^“”]*)”")
INAUGURATION = datetime.date(2025, 1, 20)
# What Trump would do "if elected", as president: the quick end of the war, and how he would bring it.
PLEDGES_OF_THE_PRESIDENCY = {"trump-end-ukraine-war-quickly", "trump-use-relationships-with-putin-and-zelenskyy"}
# To begin "as soon as he won the election": before the term begins.
TRUMP_PLEDGE_BEFORE_THE_TERM = "trump-begin-ending-war-as-soon-as-he-won"


@pytest.fixture(scope="module")
def article() -> str:
    if not SEED.exists():
        pytest.skip(f"The seed article is not at {SEED}; the demo's terms cannot be checked against it here.")
    return SEED.read_text(encoding="utf-8")


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def terms_of_claims() -> dict[str, int | None]:
    return dict(Claim.objects.values_list("slug", "term"))


def test_the_demo_has_one_term_trumps_presidency_from_his_inauguration_with_no_end():
    load_demo()

    assert list(Term.objects.values_list("person__slug", "office", "starts_on", "ends_on")) == [
        ("donald-trump", "President of the United States", INAUGURATION, None)
    ]


def test_the_article_gives_the_inauguration_day_and_no_end_of_the_term(article):
    assert "will be inaugurated as the 47th president on Jan. 20, 2025" in article
    assert "it is Trump’s last presidential term" in article
    # The earlier presidency has an end in the article but no start, so it is not a term here.
    assert "left office in January 2021" in article
    assert not re.search(r"(took office|inaugurated)[^.]*\b(2016|2017)\b", article)


def test_the_terms_and_the_reasons_for_each_pledges_term_quote_only_the_articles_words(article):
    texts = [term.basis for term in demo.TERMS] + [entry.term_basis for entry in demo.CLAIMS if entry.term_basis]
    assert texts
    for text in texts:
        for quoted in QUOTED.findall(text):
            assert quoted in article, quoted


def test_the_pledges_he_would_keep_as_president_belong_to_the_term_and_nothing_else_does():
    load_demo()
    term = Term.objects.get()

    belonging = {slug for slug, term_id in terms_of_claims().items() if term_id is not None}

    assert belonging == PLEDGES_OF_THE_PRESIDENCY
    assert set(term.pledges.values_list("slug", flat=True)) == PLEDGES_OF_THE_PRESIDENCY
    assert terms_of_claims()[TRUMP_PLEDGE_BEFORE_THE_TERM] is None
    assert {entry.slug for entry in demo.CLAIMS if entry.claimant == "donald-trump" and entry.kind == "pledge"} == {
        *PLEDGES_OF_THE_PRESIDENCY,
        TRUMP_PLEDGE_BEFORE_THE_TERM,
    }
    assert all(entry.term_basis for entry in demo.CLAIMS if entry.claimant == "donald-trump" and entry.kind == "pledge")


def test_a_term_with_no_end_gives_its_pledges_no_deadline():
    load_demo()

    assert set(Claim.objects.values_list("deadline", flat=True)) == {None}


def test_loading_the_demo_twice_changes_nothing_the_second_time():
    first = load_demo()

    def snapshot() -> tuple:
        return (
            list(Term.objects.values_list("pk", "office", "starts_on", "ends_on", "version")),
            list(Claim.objects.order_by("slug").values_list("slug", "term", "deadline", "version")),
            Term.history.count(),
            ClaimChange.objects.count(),
        )

    before = snapshot()
    second = load_demo()

    assert "1 term of office" in first
    assert "nothing changed" in second
    assert snapshot() == before


def test_a_database_loaded_before_terms_gets_the_term_and_its_pledges_once():
    load_demo()
    # As the demo stood before it had terms of office.
    Claim.objects.update(term=None)
    Term.objects.all().delete()
    changes_before = ClaimChange.objects.count()

    output = load_demo()

    assert "1 term of office" in output
    assert "2 pledges given their term" in output
    term = Term.objects.get()
    assert (term.starts_on, term.ends_on) == (INAUGURATION, None)
    assert set(term.pledges.values_list("slug", flat=True)) == PLEDGES_OF_THE_PRESIDENCY
    # Published pledges that changed: partners' mirrors fetch them again.
    assert set(ClaimChange.objects.order_by("pk")[changes_before:].values_list("claim__slug", "kind")) == {
        (slug, "claim_edited") for slug in PLEDGES_OF_THE_PRESIDENCY
    }
    assert "nothing changed" in load_demo()


def test_an_editors_choices_about_the_term_are_never_overwritten():
    load_demo()
    editor = factories.EditorFactory()
    term = Term.objects.get()
    term.ends_on = datetime.date(2029, 1, 20)
    term_save(term=term, saved_by=editor)
    taken_off = Claim.objects.get(slug="trump-use-relationships-with-putin-and-zelenskyy")
    taken_off.term = None
    services.claim_save(claim=taken_off, saved_by=editor)

    assert "nothing changed" in load_demo()

    term.refresh_from_db()
    assert term.ends_on == datetime.date(2029, 1, 20)
    assert set(term.pledges.values_list("slug", flat=True)) == {"trump-end-ukraine-war-quickly"}


def test_a_term_an_editor_already_recorded_stands_for_the_demos_and_gets_no_pledges_from_it():
    load_demo()
    Claim.objects.update(term=None)
    Term.objects.all().delete()
    editor = factories.EditorFactory()
    own = term_save(
        term=Term(
            person=Person.objects.get(slug="donald-trump"),
            office="president of the united states",
            starts_on=INAUGURATION,
        ),
        saved_by=editor,
    )

    assert "nothing changed" in load_demo()

    assert list(Term.objects.all()) == [own]
    assert not own.pledges.exists()
