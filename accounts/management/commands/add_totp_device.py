"""Set up an authenticator app (TOTP) for an account, from the command line."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Create an authenticator-app device for a user and print the otpauth:// address to add it to the app. "
        "Needed before a superuser can log in when two-factor login is required for superusers."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="Authenticator app", help="A label for the device.")

    def handle(self, *args, username: str, name: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        self.stdout.write(
            self.style.SUCCESS(f"Authenticator set up for {username}.")
            + "\nAdd it to the authenticator app with this address (or as a QR code made from it):\n"
            + f"  {device.config_url}\n"
            + "From now on this account logs in with its password and the app's current code."
        )
