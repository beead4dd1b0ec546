from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.encryption import EncryptionError, key_from_environment
from backups.services import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured, empty database "
        "(an encrypted one with the same BACKUP_ENCRYPTION_KEY)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", type=Path, help="A file written by `manage.py backup`.")

    def handle(self, *args, backup: Path, **options) -> None:
        try:
            restore_database(backup, key=key_from_environment())
        except (BackupError, EncryptionError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {backup}. Run `manage.py migrate` if the code is newer."))
