"""Terms of office in the API: the list and its filters, one term, and the term each pledge belongs to.

Only the terms of people with a published claim are shown, as their public pages.
"""

from __future__ import annotations

import datetime

import factory
import pytest
from django.test import Client

from people.models import Person, Term
from tests import factories
from tests.api_support import error_of, results

pytestmark = pytest.mark.django_db


class TermFactory(factory.django.DjangoModelFactory):
    """A term of office that has begun and not yet ended."""

    class Meta:
        model = Term

    person = factory.SubFactory(factories.PersonFactory)
    office = factory.Sequence(lambda n: f"Mayor of Town {n}")
    starts_on = datetime.date(2025, 1, 6)
    ends_on = None


def tracked_person(**fields) -> Person:
    """Someone with a published claim: their terms are public."""
    return factories.ClaimFactory(claimant=factories.PersonFactory(**fields)).claimant


@pytest.fixture
def terms():
    ada = tracked_person(slug="ada", name="Ada Mayor")
    first = TermFactory(
        person=ada, office="Mayor", starts_on=datetime.date(2021, 1, 4), ends_on=datetime.date(2024, 12, 31)
    )
    second = TermFactory(person=ada, office="Mayor", starts_on=datetime.date(2025, 1, 6))
    bob = tracked_person(slug="bob")
    governor = TermFactory(
        person=bob, office="Governor", starts_on=datetime.date(2024, 6, 1), ends_on=datetime.date(2025, 5, 31)
    )
    # Carol's only claim is a draft: she has no public page, and her term is not shown either.
    carol = factories.DraftClaimFactory(claimant=factories.PersonFactory(slug="carol")).claimant
    hidden = TermFactory(person=carol, office="Senator")
    return {"first": first, "second": second, "governor": governor, "hidden": hidden}


def listed(**params) -> list[int]:
    response = Client().get("/api/v1/terms", params)
    assert response.status_code == 200, response.content
    return [term["id"] for term in results(response)]


def test_a_term_shows_its_holder_office_dates_and_addresses(terms):
    term = terms["second"]

    response = Client().get(f"/api/v1/terms/{term.pk}")

    assert response.status_code == 200
    assert response.json() == {
        "id": term.pk,
        "url": f"http://testserver/api/v1/terms/{term.pk}",
        "public_url": f"http://testserver/terms/{term.pk}/",
        "person": {
            "id": term.person.pk,
            "slug": "ada",
            "name": "Ada Mayor",
            "kind": "person",
            "url": "http://testserver/api/v1/people/ada",
        },
        "office": "Mayor",
        "starts_on": "2025-01-06",
        "ends_on": None,
        "scorecard_url": f"http://testserver/api/v1/terms/{term.pk}/scorecard",
    }


def test_the_list_shows_only_the_terms_of_people_with_a_published_claim(terms):
    assert listed() == [terms["first"].pk, terms["second"].pk, terms["governor"].pk]


def test_a_term_whose_holder_has_no_published_claim_is_not_found(terms):
    response = Client().get(f"/api/v1/terms/{terms['hidden'].pk}")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("pk", [999999, 2**63, 10**30])
def test_an_unknown_term_is_not_found(terms, pk):
    assert Client().get(f"/api/v1/terms/{pk}").status_code == 404


def test_the_list_filters_by_person(terms):
    assert listed(person="ada") == [terms["first"].pk, terms["second"].pk]
    assert listed(person="carol") == []


def test_the_list_filters_by_the_day_a_term_was_held_ends_included_and_open_terms_running_on(terms):
    assert listed(held_on="2024-12-31") == [terms["first"].pk, terms["governor"].pk]
    assert listed(held_on="2025-01-05") == [terms["governor"].pk]
    assert listed(held_on="2025-06-01") == [terms["second"].pk]
    assert listed(held_on="2031-01-01") == [terms["second"].pk]
    assert listed(held_on="2020-01-01") == []
    assert listed(person="bob", held_on="2025-01-06") == [terms["governor"].pk]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("held_on", "2025-02-30"),
        ("held_on", "yesterday"),
        ("held_on", "\x00"),
        ("person", "nobody"),
        ("person", ""),
        ("person", "\x00"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(terms, parameter, value):
    response = Client().get("/api/v1/terms", {parameter: value})

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_filter"
    assert parameter in error["fields"]
    assert error["message"].startswith(f"{parameter}: ")


def test_the_list_pages_with_a_cursor(terms):
    first = Client().get("/api/v1/terms", {"page_size": 2}).json()
    second = Client().get(first["next"].removeprefix("http://testserver")).json()

    assert [term["id"] for term in first["results"] + second["results"]] == listed()
    assert second["next"] is None


def test_a_term_answers_its_etag_with_304_until_it_changes(terms):
    term = terms["second"]
    etag = Client().get(f"/api/v1/terms/{term.pk}")["ETag"]

    assert Client().get(f"/api/v1/terms/{term.pk}", HTTP_IF_NONE_MATCH=etag).status_code == 304
    term.ends_on = datetime.date(2028, 12, 31)
    term.save()
    changed = Client().get(f"/api/v1/terms/{term.pk}", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["ends_on"] == "2028-12-31"


@pytest.mark.parametrize("count", [2, 20])
def test_a_page_of_terms_and_one_term_cost_one_query_each(django_assert_num_queries, count):
    for _ in range(count):
        TermFactory(person=tracked_person())
    term = Term.objects.first()

    # The terms with their holders joined, people with a published claim only (a subquery).
    with django_assert_num_queries(1):
        page = Client().get("/api/v1/terms", {"page_size": 50})
    with django_assert_num_queries(1):
        Client().get(f"/api/v1/terms/{term.pk}")

    assert len(results(page)) == count


def test_a_claim_names_the_term_it_was_made_for_or_null(terms):
    pledge = factories.ClaimFactory(claimant=terms["second"].person, term=terms["second"])
    statement = factories.ClaimFactory(claimant=terms["second"].person, kind="statement")

    assert Client().get(f"/api/v1/claims/{pledge.pk}").json()["term"] == terms["second"].pk
    assert Client().get(f"/api/v1/claims/{statement.pk}").json()["term"] is None
    by_id = {claim["id"]: claim for claim in results(Client().get("/api/v1/claims"))}
    assert by_id[pledge.pk]["term"] == terms["second"].pk
    assert by_id[statement.pk]["term"] is None
