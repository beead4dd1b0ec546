from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpConfig


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = gettext_lazy("Accounts and roles")


class ClaimTrackerAdminConfig(admin_apps.AdminConfig):
    """The Django admin, served by our site class (two-factor login, role checks)."""

    default = False
    default_site = "accounts.admin_site.ClaimTrackerAdminSite"


# Third-party apps under names an editor understands on the admin index (their labels stay the
# same, so their tables and migrations are untouched).


class LoginProtectionConfig(AxesConfig):
    verbose_name = gettext_lazy("Sign-in protection (failed attempts and lockouts)")


class AuthenticatorAppsConfig(TotpConfig):
    verbose_name = gettext_lazy("Two-factor sign-in: authenticator apps")


class BackupCodesConfig(StaticConfig):
    verbose_name = gettext_lazy("Two-factor sign-in: backup codes")
