"""Several editors saving at the same moment, each in its own process with its own connection.

Runs against a scratch database of the same kind as the suite's: a SQLite file (in WAL mode,
with IMMEDIATE transactions and a busy timeout) or a fresh PostgreSQL database.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.scratch_databases import create_editors_and_a_claim, result_of, run_manage, scratch_database, start_module

WORKERS = 4


@pytest.fixture(scope="module")
def scratch_database_with_a_claim(tmp_path_factory) -> Iterator[dict[str, str]]:
    """A migrated, real database (not the test runner's) holding editors and one claim."""
    with scratch_database(tmp_path_factory.mktemp("concurrency")) as env:
        run_manage(env, "migrate", "--no-input", "-v", "0")
        env["CLAIM_ID"] = create_editors_and_a_claim(env, [f"editor{index}" for index in range(WORKERS)])
        yield env


def run_workers(env: dict[str, str], mode: str, values: list[str]) -> list[dict]:
    start_at = str(time.time() + 6)  # after every worker has started Django and prepared
    processes = [
        start_module(env, "tests.concurrency_worker", mode, env["CLAIM_ID"], f"editor{index}", value, start_at)
        for index, value in enumerate(values)
    ]
    return [result_of(process, timeout=180) for process in processes]


def query(env: dict[str, str], code: str) -> str:
    return run_manage(env, "shell", "-v", "0", "-c", code).stdout.strip()


def test_editors_recording_updates_at_once_never_see_database_is_locked(scratch_database_with_a_claim):
    per_worker = 15
    results = run_workers(scratch_database_with_a_claim, "record", [str(per_worker)] * WORKERS)
    assert [result["locked"] for result in results] == [0] * WORKERS
    assert [result["errors"] for result in results] == [[]] * WORKERS
    assert sum(result["recorded"] for result in results) == WORKERS * per_worker
    stored = query(
        scratch_database_with_a_claim,
        "from claims.models import Claim, StatusUpdate; c = Claim.objects.get(); "
        "print(StatusUpdate.objects.count(), c.current_status_id == "
        "c.status_updates.published().not_corrected().in_effect_order().last().status_id)",
    )
    assert stored == f"{WORKERS * per_worker} True"


def test_editors_saving_the_same_claim_at_once_from_the_same_version_do_not_overwrite_each_other(
    scratch_database_with_a_claim,
):
    summaries = [f"Summary from editor {index}" for index in range(WORKERS)]
    before = int(
        query(scratch_database_with_a_claim, "from claims.models import Claim; print(Claim.objects.get().version)")
    )
    results = run_workers(scratch_database_with_a_claim, "admin-save", summaries)

    saved = [summary for summary, result in zip(summaries, results, strict=True) if result["saved"]]
    assert len(saved) == 1, results
    assert sum(result["refused"] for result in results) == WORKERS - 1, results
    after = query(
        scratch_database_with_a_claim,
        "from claims.models import Claim; c = Claim.objects.get(); print(c.version, c.summary)",
    )
    assert after == f"{before + 1} {saved[0]}"
