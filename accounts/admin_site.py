from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from django_otp import user_has_device

from accounts.forms import TwoFactorAdminAuthenticationForm
from accounts.roles import two_factor_required


class ClaimTrackerAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Claim Tracker editors")
    site_title = gettext_lazy("Claim Tracker admin")
    index_title = gettext_lazy("Claims, people, sources and statuses")
    login_form = TwoFactorAdminAuthenticationForm
    login_template = "accounts/login.html"

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        # A signed-in User, with is_verified() from django_otp's middleware and the per-request
        # _needs_second_factor cache below: neither is in the stubs.
        user: Any = request.user
        if user.is_verified():
            return True
        # A session that logged in without a second factor keeps working only for accounts that
        # need none: an authenticator added later, or a new requirement, asks for it again.
        # Admin pages check this more than once a request; look the devices up once.
        if not hasattr(user, "_needs_second_factor"):
            user._needs_second_factor = two_factor_required(user) or user_has_device(user)
        return not user._needs_second_factor
