from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.models import Device

from accounts.roles import two_factor_required


class TwoFactorAdminAuthenticationForm(OTPAdminAuthenticationForm):
    """Password, then an authenticator code for accounts that have an authenticator set up.

    Accounts without one log in with their password, unless two-factor login is required for
    them (superusers, when CLAIMTRACKER_REQUIRE_2FA_FOR_SUPERUSERS is on).
    """

    def clean(self) -> dict:
        self.cleaned_data = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is None:
            return self.cleaned_data
        if user_has_device(user):
            self.clean_otp(user)
        elif two_factor_required(user):
            raise ValidationError(
                _(
                    "This account must log in with an authenticator app, but none is set up for it yet. "
                    "An administrator can set one up with: python manage.py add_totp_device %(username)s"
                ),
                code="two_factor_not_set_up",
                params={"username": user.get_username()},
            )
        return self.cleaned_data

    def _chosen_device(self, user) -> Device | None:
        """The device picked on the form, or else the account's authenticator app.

        The login page asks for the code in the same step as the password, before it knows the
        account, so it cannot offer a choice of devices; the account's own app is the natural one.
        """
        chosen = super()._chosen_device(user)
        if chosen is not None:
            return chosen
        devices = sorted(devices_for_user(user, confirmed=True), key=lambda device: device.persistent_id)
        authenticator_apps = [device for device in devices if device.persistent_id.startswith("otp_totp")]
        return (authenticator_apps or devices or [None])[0]
