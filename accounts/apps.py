from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Accounts and roles"


class ClaimTrackerAdminConfig(admin_apps.AdminConfig):
    """The Django admin, served by our site class (two-factor login, role checks)."""

    default = False
    default_site = "accounts.admin_site.ClaimTrackerAdminSite"
