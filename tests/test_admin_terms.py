"""Editors manage terms of office in the admin, on their own pages and on a person's page, and give a
pledge its claimant's term on the claim's page. Every refusal is a form error, never a crash."""

from __future__ import annotations

import datetime

import factory
import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim, ClaimChange, ClaimKind
from people.models import Person, Term
from tests import factories
from tests.admin_forms import admin_form_data, inline_prefix

pytestmark = pytest.mark.django_db

D = datetime.date
PRESIDENT = "President of the United States"
TERMS_ON_PERSON_PAGE = "terms of office"


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    person = factory.SubFactory(factories.PersonFactory)
    office = PRESIDENT
    starts_on = D(2025, 1, 20)
    ends_on = None


def add_url() -> str:
    return reverse("admin:people_term_add")


def term_url(term: Term) -> str:
    return reverse("admin:people_term_change", args=[term.pk])


def person_url(person: Person) -> str:
    return reverse("admin:people_person_change", args=[person.pk])


def claim_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def new_term_form(client: Client, **fields) -> dict:
    data = admin_form_data(client.get(add_url()))
    data.update({name: "" if value is None else str(value) for name, value in fields.items()})
    return data


def person_page_with_new_term(client: Client, person: Person, **fields) -> dict:
    """The person's page as posted with one more row in its terms, filled with ``fields``."""
    page = client.get(person_url(person))
    data = admin_form_data(page)
    prefix = inline_prefix(page, TERMS_ON_PERSON_PAGE)
    row = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(row + 1)
    for name, value in fields.items():
        data[f"{prefix}-{row}-{name}"] = "" if value is None else str(value)
    return data


def form_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 200, "expected the form again, with its errors"
    return {name: list(messages) for name, messages in response.context["adminform"].form.errors.items()}


def inline_errors(response) -> list[dict[str, list[str]]]:
    assert response.status_code == 200, "expected the form again, with its errors"
    (terms,) = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if str(inline.opts.verbose_name_plural) == TERMS_ON_PERSON_PAGE
    ]
    return [dict(errors) for errors in terms.formset.errors if errors]


# Adding and editing


def test_an_editor_adds_a_term_and_its_history_names_them(editor_client, editor):
    person = factories.PersonFactory(name="Donald Trump")

    response = editor_client.post(
        add_url(), new_term_form(editor_client, person=person.pk, office=f"  {PRESIDENT} ", starts_on="2025-01-20")
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    term = Term.objects.get()
    assert (term.person, term.office, term.starts_on, term.ends_on, term.version) == (
        person,
        PRESIDENT,
        D(2025, 1, 20),
        None,
        1,
    )
    entry = term.history.get()
    assert (entry.history_type, entry.history_user) == ("+", editor)


def test_an_editor_adds_a_term_on_the_persons_page(editor_client, editor):
    person = factories.PersonFactory(name="Donald Trump")

    data = person_page_with_new_term(
        editor_client, person, office=PRESIDENT, starts_on="2017-01-20", ends_on="2021-01-20"
    )
    response = editor_client.post(person_url(person), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    term = person.terms.get()
    assert (term.office, term.starts_on, term.ends_on) == (PRESIDENT, D(2017, 1, 20), D(2021, 1, 20))
    assert term.history.get().history_user == editor


def test_the_persons_page_lists_their_terms_and_saves_an_edit_of_one_as_a_new_version(editor_client, editor):
    term = TermFactory(ends_on=None)
    page = editor_client.get(person_url(term.person))
    assert PRESIDENT in page.content.decode()
    data = admin_form_data(page)
    prefix = inline_prefix(page, TERMS_ON_PERSON_PAGE)
    assert data[f"{prefix}-0-office"] == PRESIDENT
    data[f"{prefix}-0-ends_on"] = "2029-01-20"

    response = editor_client.post(person_url(term.person), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    term.refresh_from_db()
    assert (term.ends_on, term.version) == (D(2029, 1, 20), 2)
    latest = term.history.latest()
    assert (latest.history_type, latest.history_user, latest.ends_on) == ("~", editor, D(2029, 1, 20))


def test_an_edit_of_a_term_is_an_edit_of_its_published_pledges_for_partners_mirrors(editor_client):
    term = TermFactory()
    pledge = factories.ClaimFactory(claimant=term.person, term=term)
    data = admin_form_data(editor_client.get(term_url(term)))
    before = ClaimChange.objects.count()

    assert editor_client.post(term_url(term), {**data, "ends_on": "2029-01-20"}).status_code == 302

    assert list(ClaimChange.objects.order_by("pk").values_list("claim", "kind")[before:]) == [
        (pledge.pk, "claim_edited")
    ]


def test_a_save_from_a_stale_term_form_is_refused_with_what_changed(editor_client):
    term = TermFactory(ends_on=None)
    stale = admin_form_data(editor_client.get(term_url(term)))
    other = Client()
    other.force_login(factories.EditorFactory(username="ana"))
    fresh = admin_form_data(other.get(term_url(term)))
    assert other.post(term_url(term), {**fresh, "ends_on": "2029-01-20"}).status_code == 302

    response = editor_client.post(term_url(term), {**stale, "ends_on": "2028-01-20"})

    assert "Someone else saved this record while you were editing it" in str(form_errors(response)["__all__"])
    term.refresh_from_db()
    assert term.ends_on == D(2029, 1, 20)


# Refusals are form errors


def test_an_end_before_the_start_is_an_error_at_the_end(editor_client):
    person = factories.PersonFactory()

    response = editor_client.post(
        add_url(),
        new_term_form(editor_client, person=person.pk, office=PRESIDENT, starts_on="2025-01-20", ends_on="2025-01-19"),
    )

    assert form_errors(response) == {"ends_on": ["A term ends on or after the day it starts."]}
    assert not Term.objects.exists()


def test_an_end_before_the_start_on_the_persons_page_is_an_error_on_that_row(editor_client):
    person = factories.PersonFactory()
    data = person_page_with_new_term(
        editor_client, person, office=PRESIDENT, starts_on="2025-01-20", ends_on="2024-01-01"
    )

    response = editor_client.post(person_url(person), data)

    assert inline_errors(response) == [{"ends_on": ["A term ends on or after the day it starts."]}]
    assert not Term.objects.exists()


def test_a_term_without_office_or_start_is_refused_at_those_fields(editor_client):
    person = factories.PersonFactory()

    response = editor_client.post(add_url(), new_term_form(editor_client, person=person.pk, office="  ", starts_on=""))

    assert set(form_errors(response)) == {"office", "starts_on"}
    assert not Term.objects.exists()


def test_the_same_term_twice_is_refused_with_a_message(editor_client):
    term = TermFactory()

    response = editor_client.post(
        add_url(), new_term_form(editor_client, person=term.person.pk, office=PRESIDENT, starts_on="2025-01-20")
    )

    assert form_errors(response) == {"__all__": ["This person already has a term in this office starting that day."]}
    assert Term.objects.count() == 1


def test_the_same_term_twice_on_the_persons_page_is_refused_with_a_message(editor_client):
    term = TermFactory()
    data = person_page_with_new_term(editor_client, term.person, office=PRESIDENT, starts_on="2025-01-20")

    response = editor_client.post(person_url(term.person), data)

    # Two rows of the same page: the formset says so, above the rows.
    assert inline_errors(response) == [{"__all__": ["Please correct the duplicate values below."]}]
    assert "Please correct the duplicate data for office and starts_on" in response.content.decode()
    assert Term.objects.count() == 1


def test_two_terms_in_one_office_may_not_overlap(editor_client):
    first = TermFactory(starts_on=D(2017, 1, 20), ends_on=D(2021, 1, 20))

    response = editor_client.post(
        add_url(),
        new_term_form(editor_client, person=first.person.pk, office=PRESIDENT.lower(), starts_on="2021-01-20"),
    )

    assert form_errors(response) == {
        "__all__": [
            "This person already holds this office from 20 January 2017 to 20 January 2021: terms in one office "
            "cannot overlap."
        ]
    }
    assert Term.objects.count() == 1


def test_a_term_that_follows_another_or_is_in_another_office_is_accepted(editor_client):
    first = TermFactory(starts_on=D(2017, 1, 20), ends_on=D(2021, 1, 20))
    for office, starts_on in ((PRESIDENT, "2025-01-20"), ("Senator", "2019-01-03")):
        response = editor_client.post(
            add_url(), new_term_form(editor_client, person=first.person.pk, office=office, starts_on=starts_on)
        )
        assert response.status_code == 302, response.context and response.context["errors"]
    assert first.person.terms.count() == 3


def test_a_term_with_pledges_stays_with_their_claimant(editor_client):
    term = TermFactory()
    factories.ClaimFactory(claimant=term.person, term=term)
    someone_else = factories.PersonFactory()
    data = admin_form_data(editor_client.get(term_url(term)))

    response = editor_client.post(term_url(term), {**data, "person": str(someone_else.pk)})

    assert list(form_errors(response)) == ["person"]
    term.refresh_from_db()
    assert term.person_id != someone_else.pk


def test_a_term_cannot_end_before_a_pledge_made_for_it(editor_client):
    term = TermFactory(starts_on=D(2025, 1, 20))
    factories.ClaimFactory(claimant=term.person, term=term, made_on=D(2025, 3, 1))
    data = admin_form_data(editor_client.get(term_url(term)))

    response = editor_client.post(term_url(term), {**data, "ends_on": "2025-02-28"})

    assert form_errors(response) == {
        "ends_on": ["1 pledge of this term was made after that day: move it to another term first."]
    }
    term.refresh_from_db()
    assert term.ends_on is None


def test_a_refusal_the_form_did_not_foresee_is_still_a_form_error_not_a_crash(editor_client, monkeypatch):
    # As when another editor stored an overlapping term between this form's checks and its save.
    first = TermFactory(starts_on=D(2017, 1, 20), ends_on=D(2021, 1, 20))
    monkeypatch.setattr("people.admin.term_validate", lambda term: None)

    response = editor_client.post(
        add_url(), new_term_form(editor_client, person=first.person.pk, office=PRESIDENT, starts_on="2020-01-01")
    )
    assert "cannot overlap" in str(form_errors(response)["__all__"])

    data = person_page_with_new_term(editor_client, first.person, office=PRESIDENT, starts_on="2020-01-01")
    response = editor_client.post(person_url(first.person), data)
    (row_errors,) = inline_errors(response)
    assert "cannot overlap" in str(row_errors["__all__"])
    assert Term.objects.count() == 1


# Who may do what


def test_a_viewer_reads_terms_but_changes_nothing(client):
    term = TermFactory()
    client.force_login(factories.ViewerFactory())
    assert client.get(reverse("admin:people_term_changelist")).status_code == 200
    assert client.get(term_url(term)).status_code == 200
    assert client.get(add_url()).status_code == 403
    data = {"person": term.person.pk, "office": "Changed", "starts_on": "2025-01-20"}
    assert client.post(term_url(term), data).status_code == 403
    page = client.get(person_url(term.person))
    assert PRESIDENT in page.content.decode()
    (terms,) = [
        i for i in page.context["inline_admin_formsets"] if str(i.opts.verbose_name_plural) == "terms of office"
    ]
    assert not terms.has_add_permission
    assert not terms.has_change_permission
    term.refresh_from_db()
    assert term.office == PRESIDENT


def test_only_a_superuser_deletes_a_term(editor_client, client):
    term = TermFactory()
    delete_url = reverse("admin:people_term_delete", args=[term.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
    superuser = factories.SuperuserFactory()
    client.force_login(superuser)

    assert client.post(delete_url, {"post": "yes"}).status_code == 302

    assert not Term.objects.exists()
    deleted = Term.history.latest()
    assert (deleted.history_type, deleted.history_user, deleted.office) == ("-", superuser, PRESIDENT)


def test_deleting_a_person_with_terms_shows_the_protected_page_not_a_crash(client):
    term = TermFactory()
    client.force_login(factories.SuperuserFactory())

    response = client.post(reverse("admin:people_person_delete", args=[term.person.pk]), {"post": "yes"})

    assert response.status_code == 200
    assert response.context["protected"]
    assert "protected related objects" in response.content.decode()
    assert Person.objects.filter(pk=term.person.pk).exists()


def test_deleting_a_term_with_pledges_shows_the_protected_page_not_a_crash(client):
    term = TermFactory()
    factories.ClaimFactory(claimant=term.person, term=term)
    client.force_login(factories.SuperuserFactory())

    response = client.post(reverse("admin:people_term_delete", args=[term.pk]), {"post": "yes"})

    assert response.status_code == 200
    assert response.context["protected"]
    assert Term.objects.filter(pk=term.pk).exists()


# The list


def test_the_term_list_finds_terms_by_person_and_office_and_filters_by_a_known_end(editor_client):
    trump = TermFactory(person=factories.PersonFactory(name="Donald Trump"))
    first = TermFactory(person=trump.person, starts_on=D(2017, 1, 20), ends_on=D(2021, 1, 20))
    mayor = TermFactory(person=factories.PersonFactory(name="Ada Mayor"), office="Mayor of Kyiv")
    url = reverse("admin:people_term_changelist")

    def listed(**query) -> set[int]:
        response = editor_client.get(url, query)
        assert response.status_code == 200
        return {term.pk for term in response.context["cl"].result_list}

    assert listed(q="trump") == {trump.pk, first.pk}
    assert listed(q="kyiv") == {mayor.pk}
    assert listed(end="unknown") == {trump.pk, mayor.pk}
    assert listed(end="known") == {first.pk}


def test_the_term_list_query_count_is_pinned(editor_client, django_assert_num_queries):
    for _ in range(12):
        term = TermFactory()
        factories.ClaimFactory(claimant=term.person, term=term)
    # session, user, authenticator devices (TOTP, backup codes), the user's and the groups'
    # permissions, the person filter's choices, the count for the paginator and the unfiltered
    # count, the page of terms joined to their person with their pledges counted, and the office
    # filter's choices.
    with django_assert_num_queries(11):
        response = editor_client.get(reverse("admin:people_term_changelist"))
    assert len(response.context["cl"].result_list) == 12
    assert {term.pledge_count for term in response.context["cl"].result_list} == {1}


def test_the_persons_page_runs_the_same_queries_for_one_term_or_five(editor_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = factories.PersonFactory()
    TermFactory(person=person, starts_on=D(2001, 1, 1), ends_on=D(2001, 12, 31))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(person_url(person)).status_code == 200
        return len(captured)

    with_one = queries()
    for year in range(2002, 2006):
        TermFactory(person=person, starts_on=D(year, 1, 1), ends_on=D(year, 12, 31))
    assert queries() == with_one


# A pledge's term on the claim's page


def claim_form(client: Client, claim: Claim, **fields) -> dict:
    data = admin_form_data(client.get(claim_url(claim)))
    data.update({name: "" if value is None else str(value) for name, value in fields.items()})
    return data


def test_the_claim_page_offers_the_claimants_terms_only(editor_client):
    term = TermFactory()
    TermFactory(office="Mayor")
    pledge = factories.ClaimFactory(claimant=term.person)

    page = editor_client.get(claim_url(pledge))

    assert list(page.context["adminform"].form.fields["term"].queryset) == [term]


def test_an_editor_gives_a_pledge_its_claimants_term_and_an_empty_deadline_becomes_its_end(editor_client, editor):
    term = TermFactory(starts_on=D(2025, 1, 20), ends_on=D(2029, 1, 20))
    pledge = factories.ClaimFactory(claimant=term.person, made_on=D(2024, 11, 1), deadline=None)

    response = editor_client.post(claim_url(pledge), claim_form(editor_client, pledge, term=term.pk, deadline=None))

    assert response.status_code == 302, response.context and response.context["errors"]
    pledge.refresh_from_db()
    assert (pledge.term, pledge.deadline) == (term, D(2029, 1, 20))
    assert pledge.history.latest().history_user == editor


def test_a_deadline_the_claimant_gave_is_kept_when_the_pledge_gets_a_term(editor_client):
    term = TermFactory(starts_on=D(2025, 1, 20), ends_on=D(2029, 1, 20))
    pledge = factories.ClaimFactory(claimant=term.person, made_on=D(2024, 11, 1))

    response = editor_client.post(
        claim_url(pledge), claim_form(editor_client, pledge, term=term.pk, deadline="2025-04-20")
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    pledge.refresh_from_db()
    assert (pledge.term, pledge.deadline) == (term, D(2025, 4, 20))


def test_a_term_with_no_known_end_gives_no_deadline(editor_client):
    term = TermFactory(ends_on=None)
    pledge = factories.ClaimFactory(claimant=term.person, made_on=D(2024, 11, 1), deadline=None)

    assert editor_client.post(claim_url(pledge), claim_form(editor_client, pledge, term=term.pk)).status_code == 302

    pledge.refresh_from_db()
    assert (pledge.term, pledge.deadline) == (term, None)


def test_another_persons_term_is_a_form_error_at_the_term(editor_client):
    someone_elses = TermFactory()
    pledge = factories.ClaimFactory(made_on=D(2024, 11, 1))

    response = editor_client.post(claim_url(pledge), claim_form(editor_client, pledge, term=someone_elses.pk))

    assert form_errors(response) == {"term": ["Choose a term of office of the claimant."]}
    pledge.refresh_from_db()
    assert pledge.term is None


def test_a_fact_check_claim_with_a_term_is_a_form_error_at_the_term(editor_client):
    term = TermFactory()
    statement = factories.StatementFactory(claimant=term.person, made_on=D(2024, 11, 1))
    assert statement.kind == ClaimKind.STATEMENT

    response = editor_client.post(claim_url(statement), claim_form(editor_client, statement, term=term.pk))

    assert form_errors(response) == {"term": ["Only a pledge or a plan belongs to a term of office."]}
    statement.refresh_from_db()
    assert statement.term is None


def test_a_pledge_made_after_the_term_ended_is_a_form_error_at_the_term(editor_client):
    term = TermFactory(starts_on=D(2017, 1, 20), ends_on=D(2021, 1, 20))
    pledge = factories.ClaimFactory(claimant=term.person, made_on=D(2024, 11, 1))

    response = editor_client.post(claim_url(pledge), claim_form(editor_client, pledge, term=term.pk))

    assert form_errors(response) == {"term": ["The claim was made after this term ended."]}


def test_a_new_pledge_is_given_its_term_on_the_add_page(editor_client):
    term = TermFactory(ends_on=D(2029, 1, 20))
    page = editor_client.get(reverse("admin:claims_claim_add"))
    assert term in page.context["adminform"].form.fields["term"].queryset
    data = admin_form_data(page)
    data.update(
        {
            "claimant": str(term.person.pk),
            "kind": ClaimKind.PLEDGE,
            "summary_en": "End the war in 24 hours",
            "quote": "I will end the war in 24 hours.",
            "slug": "end-the-war-in-24-hours",
            "made_on": "2024-11-01",
            "term": str(term.pk),
        }
    )

    response = editor_client.post(reverse("admin:claims_claim_add"), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    claim = Claim.objects.get(slug="end-the-war-in-24-hours")
    assert (claim.term, claim.deadline) == (term, D(2029, 1, 20))


def test_an_admin_adds_terms_like_an_editor(client, admin_user):
    person = factories.PersonFactory()
    client.force_login(admin_user)

    response = client.post(add_url(), new_term_form(client, person=person.pk, office=PRESIDENT, starts_on="2025-01-20"))

    assert response.status_code == 302, response.context and response.context["errors"]
    assert person.terms.count() == 1
