"""The API's answers for the demo data are exactly those recorded in tests/golden/.

The golden file was recorded from the code before the claim representation was brought into one
module (``api/representations.py``); any change to a claim's JSON, the list, the change feed,
people, sources, statuses, ClaimReview or the CSV shows here as a diff. Only what must vary
between runs is normalised: timestamps taken when the demo is loaded (``created_at``,
``updated_at``, ``recorded_at`` … of today, not of 2024), pagination cursors and ETags.

To record it again after an intended change of the API (review the diff first!):
    .venv/bin/python tests/test_api_golden.py --record
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
GOLDEN_JSON = GOLDEN_DIR / "api_demo.json"
GOLDEN_CSV = GOLDEN_DIR / "api_demo.csv"

LOAD_TIME = "<load time>"
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
_CURSOR = re.compile(r"([?&]cursor=)[^&\"\s]+")


def _is_load_time(text: str, loaded_since: datetime.datetime) -> bool:
    """``text`` is a moment at or after the demo was loaded: it differs on every run."""
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment >= loaded_since


def _normalise_text(text: str, loaded_since: datetime.datetime) -> str:
    text = _CURSOR.sub(r"\1<cursor>", text)
    return _DATETIME.sub(lambda match: LOAD_TIME if _is_load_time(match[0], loaded_since) else match[0], text)


def normalise(value: Any, loaded_since: datetime.datetime) -> Any:
    """``value`` with load-time timestamps and cursors replaced by placeholders, all else as it is."""
    if isinstance(value, dict):
        return {key: normalise(item, loaded_since) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise(item, loaded_since) for item in value]
    if isinstance(value, str):
        return _normalise_text(value, loaded_since)
    return value


def _get(client: Any, path: str) -> Any:
    from django.core.cache import cache

    # The anonymous rate limit would answer 429 partway through; each answer starts afresh.
    cache.clear()
    return client.get(path)


def _answer(client: Any, path: str) -> dict[str, Any]:
    response = _get(client, path)
    body = json.loads(response.content) if response.content else None
    # ETags and Last-Modified vary with the load time; the status code and the body do not.
    return {"status": response.status_code, "body": body}


def _all_pages(client: Any, path: str) -> list[dict[str, Any]]:
    pages = []
    while path:
        answer = _answer(client, path)
        pages.append(answer)
        body = answer["body"] if isinstance(answer["body"], dict) else {}
        next_url = body.get("next") if answer["status"] == 200 else None
        if body.get("has_more") is False:
            next_url = None
        path = next_url.removeprefix("http://testserver") if next_url else ""
    return pages


def collect_answers(client: Any) -> tuple[dict[str, Any], str]:
    """Every answer the golden file holds, fetched with ``client`` from a database holding the demo."""
    from claims.models import Claim

    claims = list(Claim.objects.order_by("pk").values_list("pk", "slug"))
    answers: dict[str, Any] = {
        "/api/v1/claims": _all_pages(client, "/api/v1/claims"),
        "/api/v1/claims?as_of=2024-11-07": _all_pages(client, "/api/v1/claims?as_of=2024-11-07"),
        "/api/v1/changes": _all_pages(client, "/api/v1/changes"),
        "/api/v1/people": _all_pages(client, "/api/v1/people"),
        "/api/v1/sources": _all_pages(client, "/api/v1/sources"),
        "/api/v1/statuses": _all_pages(client, "/api/v1/statuses"),
        "/api/v1/claimreviews": _all_pages(client, "/api/v1/claimreviews"),
    }
    for pk, slug in claims:
        answers[f"/api/v1/claims/{pk}"] = _answer(client, f"/api/v1/claims/{pk}")
        answers[f"/api/v1/claims/by-slug/{slug}"] = _answer(client, f"/api/v1/claims/by-slug/{slug}")
        answers[f"/api/v1/claims/{pk}/claimreview"] = _answer(client, f"/api/v1/claims/{pk}/claimreview")
    csv = _get(client, "/api/v1/claims.csv")
    csv_text = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    return answers, f"status {csv.status_code}\n{csv_text}"


def _dump(answers: dict[str, Any]) -> str:
    return json.dumps(answers, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def _diff(expected: str, actual: str, name: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), f"golden {name}", f"now {name}", n=3, lineterm=""
    )
    shown = list(lines)
    return "\n".join(shown[:200]) + ("\n… (diff cut at 200 lines)" if len(shown) > 200 else "")


def _restart_ids_of_empty_tables() -> None:
    """Ids as on a fresh database: earlier tests' rolled-back rows may have used some up.

    Only empty tables are touched, so no later insert can collide; inside the test's transaction
    on SQLite, a plain sequence reset on PostgreSQL (harmless: those tables are empty).
    """
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}
    empty = [
        sequence
        for sequence in connection.introspection.sequence_list()
        if sequence["table"] in models and not models[sequence["table"]]._base_manager.exists()
    ]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_by_name_sql(no_style(), empty):
            cursor.execute(sql)


def _load_demo_and_collect() -> tuple[str, str]:
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    loaded_since = timezone.now() - datetime.timedelta(seconds=1)
    _restart_ids_of_empty_tables()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    answers, csv_text = collect_answers(Client())
    return _dump(normalise(answers, loaded_since)), _normalise_text(csv_text, loaded_since)


@pytest.mark.django_db
def test_the_api_answers_for_the_demo_are_exactly_the_recorded_ones(settings):
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = False
    answers, csv_text = _load_demo_and_collect()
    expected_json, expected_csv = GOLDEN_JSON.read_text(), GOLDEN_CSV.read_bytes().decode()
    assert answers == expected_json, "The API's JSON answers changed:\n" + _diff(expected_json, answers, "json")
    assert csv_text == expected_csv, "The CSV changed:\n" + _diff(expected_csv, csv_text, "csv")


def record() -> None:
    """Record the golden files: migrate a scratch SQLite database, load the demo, fetch, store."""
    import os
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    scratch = Path(tempfile.mkdtemp()) / "golden.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtracker.settings.dev")
    os.environ["REQUIRE_VERDICT_APPROVAL"] = "false"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = False
    setup_test_environment()
    call_command("migrate", verbosity=0)
    answers, csv_text = _load_demo_and_collect()
    GOLDEN_DIR.mkdir(exist_ok=True)
    GOLDEN_JSON.write_text(answers)
    GOLDEN_CSV.write_bytes(csv_text.encode())
    print(f"Recorded {GOLDEN_JSON} and {GOLDEN_CSV}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--record"]:
        sys.exit("usage: python tests/test_api_golden.py --record")
    record()
