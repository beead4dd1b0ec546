from django.core.management.base import BaseCommand, CommandError

from backups.moving import MoveError, move_database


class Command(BaseCommand):
    help = (
        "Copy every row of the old SQLite database (--from) into the configured PostgreSQL database, which must be "
        "migrated to the same migrations and hold no data. One transaction: all or nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--from",
            dest="source",
            required=True,
            metavar="DATABASE_URL",
            help="The old database, e.g. sqlite:////srv/claimtracker/db.sqlite3 (opened read-only).",
        )

    def handle(self, *args, source: str, **options) -> None:
        try:
            counts = move_database(source)
        except MoveError as error:
            raise CommandError(str(error)) from None
        width = max(len(count.table) for count in counts)
        for count in counts:
            self.stdout.write(f"{count.table:<{width}}  {count.rows:>9,}")
        total = sum(count.rows for count in counts)
        self.stdout.write(
            self.style.SUCCESS(f"Moved {total:,} rows in {len(counts)} tables into PostgreSQL; sequences reset.")
        )
