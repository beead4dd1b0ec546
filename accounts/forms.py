from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django_otp import user_has_device
from django_otp.admin import OTPAdminAuthenticationForm

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
                "This account must log in with an authenticator app, but none is set up for it yet. "
                "An administrator can set one up with: python manage.py add_totp_device %(username)s",
                code="two_factor_not_set_up",
                params={"username": user.get_username()},
            )
        return self.cleaned_data
