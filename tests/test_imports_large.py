"""A full-size import (5,000 rows) finishes well inside the request timeout, all or nothing, and
other editors' saves made while it runs all succeed: they wait briefly for its short write
transaction instead of failing with "database is locked".

The editors are separate processes with their own connections, as gunicorn workers are, on a
scratch database of the suite's kind (a SQLite file in WAL mode, or PostgreSQL).
"""

from __future__ import annotations

import time
from pathlib import Path

from tests import import_files
from tests.scratch_databases import create_editors_and_a_claim, result_of, run_manage, scratch_database, start_module

COUNT = """
from claims.models import Claim, ClaimChange, Source, StatusUpdate
from people.models import Person
print(Person.objects.filter(slug__startswith="bulk-").count(), Claim.objects.filter(slug__startswith="bulk-").count(),
      Source.objects.filter(url__contains="/bulk/").count(), StatusUpdate.objects.filter(claim__slug__startswith="bulk-").count(),
      ClaimChange.objects.filter(claim__slug__startswith="bulk-").count())
"""


def test_a_full_size_import_completes_quickly_while_other_editors_keep_saving(tmp_path: Path):
    rows = import_files.large_file_rows(5_000)
    path = tmp_path / "claims.csv"
    path.write_bytes(import_files.csv_bytes(rows))
    done = tmp_path / "import-done"
    with scratch_database(tmp_path) as env:
        run_manage(env, "migrate", "--no-input", "-v", "0", "--skip-checks")
        claim_id = create_editors_and_a_claim(env, ["importer", "writer"])
        start_at = str(time.time() + 6)  # after both processes have started Django
        writer = start_module(env, "tests.import_files", "write", "writer", claim_id, start_at, str(done))
        importer = start_module(env, "tests.import_files", "import", str(path), "importer", start_at, str(done))
        imported, written = result_of(importer, timeout=600), result_of(writer, timeout=600)
        counts = run_manage(env, "shell", "-v", "0", "-c", COUNT).stdout.split()

    print(f"\nimport of 5,000 rows: {imported}\nanother editor meanwhile: {written}")  # the timings, for the record
    assert imported["state"] == "imported", imported
    assert imported["streamed"]
    assert imported["progress_lines"] == 4  # people, sources, claims, then statuses written
    # Every other editor's save succeeded, none was refused as "database is locked".
    assert written["locked"] == 0, written
    assert written["errors"] == [], written
    assert written["saved"] > 0
    # All of it is there: people, claims, their sources and evidence, statuses, one created and
    # one status entry per claim in the change feed.
    people, claims, sources, statuses = (sum(row["type"] == kind for row in rows) for kind in import_files.ROW_KINDS)
    assert [int(count) for count in counts] == [people, claims, sources * 2, statuses, claims + statuses]
