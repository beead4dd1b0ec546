import csv
import datetime
import io

import pytest

from claims.models import DatePrecision, Wording
from tests import factories
from tests.api_support import record

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[dict]:
    assert response.streaming
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_claims_csv_is_streamed_with_one_row_per_published_claim(client):
    claim = factories.ClaimFactory(claimant__slug="ada")
    claim.topics.add(factories.TopicFactory(slug="health"))
    factories.DraftClaimFactory()

    response = client.get("/api/v1/claims.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "claims.csv" in response["Content-Disposition"]
    [row] = rows_of(response)
    assert row["id"] == str(claim.pk)
    assert row["claimant"] == "ada"
    assert row["status"] == "not-yet-rated"
    assert row["topics"] == "health"


def test_the_csv_takes_the_same_filters_as_the_list_and_format_csv_works_too(client):
    kept = factories.ClaimFactory()
    record(kept, "kept")
    factories.ClaimFactory()

    by_path = rows_of(client.get("/api/v1/claims.csv", {"status": "kept"}))
    by_format = rows_of(client.get("/api/v1/claims", {"status": "kept", "format": "csv"}))

    assert [row["id"] for row in by_path] == [row["id"] for row in by_format] == [str(kept.pk)]


def test_a_summary_that_looks_like_a_formula_is_made_plain_text(client):
    factories.ClaimFactory(summary='=HYPERLINK("https://evil.example")')

    [row] = rows_of(client.get("/api/v1/claims.csv"))

    assert row["summary"].startswith("'=")


def test_the_csv_export_honours_as_of(client):
    import csv
    import datetime
    import io

    from tests import factories

    factories.ClaimFactory(made_on=datetime.date(2025, 1, 20))

    def rows(as_of: str) -> list[list[str]]:
        response = client.get("/api/v1/claims.csv", {"as_of": as_of})
        return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert len(rows("2025-01-19")) == 1  # the header only: the claim was not made yet
    future = rows("2099-01-01")
    assert len(future) == 2
    assert "not-yet-rated" in future[1]


def test_the_csv_says_whose_words_a_claim_is_and_dates_it_no_more_precisely_than_known(client):
    quoted_from = factories.SourceFactory(url="https://radio.example/interview")
    factories.ClaimFactory(
        slug="verbatim",
        quote="We will build ten bridges.",
        wording=Wording.VERBATIM,
        wording_source=quoted_from,
        made_on=datetime.date(2024, 11, 7),
    )
    factories.ClaimFactory(
        slug="translated",
        quote="We will build ten bridges.",
        wording=Wording.TRANSLATION,
        wording_source=quoted_from,
        original_language="uk",
        made_on=datetime.date(2024, 9, 1),
        made_on_precision=DatePrecision.MONTH,
    )
    factories.ClaimFactory(
        slug="reported",
        quote="The minister said the bridges would be built",
        made_on=datetime.date(2024, 2, 1),
        made_on_precision=DatePrecision.RANGE,
        made_until=datetime.date(2024, 11, 30),
    )

    rows = {row["slug"]: row for row in rows_of(client.get("/api/v1/claims.csv"))}

    assert {slug: (row["wording"], row["quoted_from_url"], row["original_language"]) for slug, row in rows.items()} == {
        "verbatim": ("verbatim", "https://radio.example/interview", ""),
        "translated": ("translation", "https://radio.example/interview", "uk"),
        "reported": ("paraphrase", "", ""),
    }
    assert {slug: (row["made_on"], row["made_on_precision"]) for slug, row in rows.items()} == {
        "verbatim": ("2024-11-07", "day"),
        "translated": ("2024-09", "month"),
        "reported": ("2024-02/2024-11", "range"),
    }
    # The text as stored: quotation marks are never added, so a paraphrase never reads as a quote.
    assert rows["reported"]["quote"] == "The minister said the bridges would be built"
    assert rows["verbatim"]["quote"] == "We will build ten bridges."
