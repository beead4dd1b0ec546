import csv
import io

import pytest
from django.core.cache import cache

from tests import factories
from tests.api_support import record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


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
