"""Claim search: full text over quote, summary and claimant name, on SQLite (FTS5) and PostgreSQL."""

import pytest
from django.db import connection

from claims.models import Claim, PublishedRecordDeleteError
from claims.search import (
    MAX_SEARCH_CHARACTERS,
    MAX_TERMS,
    SearchTooComplexError,
    check_search,
    fts5_query,
    parse_search,
    postgresql_tsquery,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    ada = factories.PersonFactory(name="Ada Mayor", slug="ada-mayor")
    bo = factories.PersonFactory(name="Bo Governor", slug="bo-governor")
    return {
        "homes": factories.ClaimFactory(
            claimant=ada,
            summary="Build affordable homes",
            quote="We will build ten thousand affordable homes before the election.",
        ),
        "bridges": factories.ClaimFactory(
            claimant=bo, summary="Fix every bridge", quote="Every bridge in the state will be repaired."
        ),
        "crime": factories.ClaimFactory(
            claimant=ada, summary="Crime has halved", quote="Crime in the city fell by half since 2020."
        ),
    }


def found(text):
    return set(Claim.objects.search(text).values_list("summary", flat=True))


def test_words_are_found_in_the_quote_the_summary_and_the_claimant_name(world):
    assert found("ten thousand") == {"Build affordable homes"}
    assert found("BRIDGE") == {"Fix every bridge"}
    assert found("ada mayor") == {"Build affordable homes", "Crime has halved"}


def test_words_may_come_from_different_fields(world):
    assert found("governor repaired") == {"Fix every bridge"}


def test_words_are_stemmed(world):
    assert found("repair bridges") == {"Fix every bridge"}
    assert found("building home") == {"Build affordable homes"}


def test_websearch_syntax_phrases_or_and_exclusion(world):
    assert found('"affordable homes"') == {"Build affordable homes"}
    assert found('"homes affordable"') == set()
    assert found("bridge or crime") == {"Fix every bridge", "Crime has halved"}
    assert found("ada -crime") == {"Build affordable homes"}


def test_an_edit_or_a_rename_is_found_at_once(world):
    claim = world["bridges"]
    claim.summary = "Fix every tunnel"
    claim.save()
    assert found("tunnel") == {"Fix every tunnel"}
    assert found("bridge") == {"Fix every tunnel"}  # still in the quote

    claim.claimant.name = "Bo Senator"
    claim.claimant.save()
    assert found("senator") == {"Fix every tunnel"}
    assert found("governor") == set()


def test_a_deleted_draft_leaves_no_trace(world):
    draft = factories.DraftClaimFactory(summary="Unpublished draft about tunnels", quote="Tunnels everywhere.")
    assert found("tunnels") == {"Unpublished draft about tunnels"}
    draft.delete()
    assert found("tunnels") == set()


def test_a_published_claim_cannot_be_deleted_and_stays_findable(world):
    with pytest.raises(PublishedRecordDeleteError):
        world["crime"].delete()
    assert found("crime") == {"Crime has halved"}


def test_search_combines_with_other_filters_and_keeps_the_callers_order(world):
    ordered = Claim.objects.published().search("ada").order_by("summary")
    assert list(ordered.values_list("summary", flat=True)) == ["Build affordable homes", "Crime has halved"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        '"',
        '""',
        '"unclosed phrase',
        "-",
        "- - or or OR",
        "-homes",
        "a & b | !c <-> d:* (e)",
        "NEAR(a b) AND NOT ^x *",
        "100% _true_ \\ ' \" ; -- <b>",
        "nul\x00byte",
        "emoji 🙂 and ünïcödé",
        "x" * 10_000,
        "word " * 3_000,
        "'; DROP TABLE claims_claim; --",
    ],
)
def test_odd_input_never_raises(world, text):
    list(Claim.objects.search(text))
    assert Claim.objects.count() == 3


def test_odd_input_reaches_the_public_list_and_the_api_as_a_normal_answer(client, world):
    for text in ['"', "nul\x00byte", "x" * 10_000, "a & b | !c"]:
        assert client.get("/claims/", {"q": text}).status_code == 200
    for text in ['"', "a & b | !c", "-" * 40]:
        assert client.get("/api/v1/claims", {"q": text}).status_code == 200
    # The API refuses a NUL or an over-long search as it refuses any bad filter value: a 400 naming the parameter.
    for text in ["nul\x00byte", "x" * 10_000]:
        refused = client.get("/api/v1/claims", {"q": text})
        assert refused.status_code == 400
        assert "q" in refused.json()["error"]["fields"]


def test_the_api_q_filter_uses_the_same_search(client, world):
    body = client.get("/api/v1/claims", {"q": "repaired"}).json()
    assert [claim["summary"] for claim in body["results"]] == ["Fix every bridge"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_postgresql_uses_the_gin_index_on_the_search_document(world):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM claims_claim "
            "WHERE search_document @@ websearch_to_tsquery('english'::regconfig, 'homes')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "claim_search_document_idx" in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5")
def test_sqlite_keeps_the_fts5_table_in_step_with_the_claims(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM claims_claim_fts")
        assert cursor.fetchone()[0] == Claim.objects.count()


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("homes", '("homes")'),
        ('"affordable homes" now', '("affordable homes" AND "now")'),
        ("a or b", '("a") OR ("b")'),
        ("a -b", '(("a")) NOT ("b")'),
        ("-b", ""),
        ("AND OR NOT NEAR", '("AND") OR ("NOT" AND "NEAR")'),
        ('a"b', '("a b")'),
        ("?!", ""),
    ],
)
def test_fts5_queries_quote_every_word(text, query):
    assert fts5_query(parse_search(text)) == query


def test_postgresql_receives_every_word_as_a_parameter_and_a_bounded_expression():
    expression, params = postgresql_tsquery(parse_search('"affordable homes" now or b -c'))
    assert params == ['"affordable homes"', '"affordable homes"', '"now"', '"now"', '"b"', '"b"', '"c"', '"c"']
    assert "affordable" not in expression
    assert "%s" in expression
    assert expression.count("&& !!") == 1
    _, bounded = postgresql_tsquery(parse_search("-" * 60 + " homes"))
    assert bounded == ['"homes"', '"homes"']


def test_a_cyrillic_word_is_also_searched_by_its_stem_as_a_prefix():
    _, params = postgresql_tsquery(parse_search("переговорів"))
    assert params == ['"переговорів"', '"переговорів"', "'переговор':*"]
    assert fts5_query(parse_search("війни")) == '(("війни" OR "війн" *))'


def test_a_search_with_too_many_terms_or_characters_is_refused_with_a_clear_message():
    check_search(" ".join(f"w{index}" for index in range(MAX_TERMS)))
    with pytest.raises(SearchTooComplexError, match=f"at most {MAX_TERMS} words"):
        check_search(" ".join(f"w{index}" for index in range(MAX_TERMS + 1)))
    with pytest.raises(SearchTooComplexError, match=f"at most {MAX_SEARCH_CHARACTERS} characters"):
        check_search("x" * (MAX_SEARCH_CHARACTERS + 1))


def test_the_search_itself_reads_only_the_first_terms():
    parsed = parse_search(" ".join(f"w{index}" for index in range(MAX_TERMS + 5)))
    assert len(parsed.groups[0]) == MAX_TERMS


@pytest.mark.parametrize(
    "text", ["-" * 40, "- " * 200, "-" * 40 + " homes", "!" * 300, '"' * 99, "a " + "-" * 41 + "b"]
)
def test_pathological_searches_answer_without_a_database_error(world, text):
    list(Claim.objects.search(text))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "text", "search"),
    [
        ("summary_uk", "Трамп обіцяє швидкі переговори про мир", "переговорів"),
        ("summary_uk", "Україна отримала нову допомогу", "допомоги"),
        ("summary_ru", "Трамп обещает быстрые переговоры о мире", "переговоров"),
        ("summary_ru", "Кремль готов к диалогу с Вашингтоном", "диалога"),
    ],
)
def test_a_translated_summary_is_found_by_another_form_of_its_words(column, text, search):
    wanted = factories.ClaimFactory(**{column: text})
    factories.ClaimFactory(summary="Unrelated pledge about housing")
    assert list(Claim.objects.search(search)) == [wanted]


@pytest.mark.django_db
def test_an_original_quote_in_ukrainian_is_found():
    wanted = factories.ClaimFactory(
        wording="translation",
        wording_source=factories.SourceFactory(),
        original_language="uk",
        original_text="Ми змусимо Росію до миру",
    )
    assert list(Claim.objects.search("миру")) == [wanted]
