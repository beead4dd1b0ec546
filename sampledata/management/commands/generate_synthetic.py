"""Fill the database with synthetic claims for benchmarks: ``manage.py generate_synthetic --claims N``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sampledata import synthetic


class Command(BaseCommand):
    help = (
        "Add N synthetic claims with people, sources, topics, 1–6 status updates each and the change feed, "
        "written in batches (COPY on PostgreSQL). Refuses a database holding real data unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=int, required=True, help="How many claims to add.")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42): same seed, same data.")
        parser.add_argument("--database", default="default", help="Database alias (default: default).")
        parser.add_argument(
            "--force", action="store_true", help="Add synthetic data even where non-synthetic data exists."
        )
        parser.add_argument("--quiet-progress", action="store_true", help="No progress line on stderr.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["claims"] < 1:
            raise CommandError("--claims must be at least 1.")
        using = options["database"]
        found = synthetic.non_synthetic_rows(using)
        if found and not options["force"]:
            raise CommandError(
                f"This database already holds non-synthetic {' and '.join(found)}; synthetic rows would mix with "
                "them. Use an empty database (e.g. a dedicated benchmark one), or pass --force."
            )
        result = synthetic.generate(
            claims=options["claims"],
            seed=options["seed"],
            using=using,
            progress=None if options["quiet_progress"] else synthetic.print_progress,
        )
        self.stdout.write(
            f"Added {result.claims:,} claims by {result.people:,} people, {result.status_updates:,} status updates, "
            f"{result.changes:,} change-feed entries and {result.terms:,} terms of office in {result.seconds:.1f}s."
        )
