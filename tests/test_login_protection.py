"""Repeated failed logins lock out; authenticator codes guard the admin where they are set up."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' password
LOGIN = reverse("admin:login")


def log_in(client, username: str, password: str = PASSWORD, code: str = "", address: str = "192.0.2.10"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "otp_token": code, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def test_the_correct_password_is_refused_after_too_many_failures(client, settings):
    editor = factories.EditorFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, editor.username, "wrong").status_code == 200
    # The failure that reaches the limit is answered with the lockout page already.
    assert log_in(client, editor.username, "wrong").status_code == 429
    response = log_in(client, editor.username)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_for_that_user_name_from_that_address_only(client, settings):
    editor = factories.EditorFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, editor.username, "wrong")
    assert log_in(client, editor.username, address="198.51.100.7").status_code == 302
    client.logout()
    assert log_in(client, factories.EditorFactory().username).status_code == 302


def test_a_successful_login_clears_earlier_failures(client, settings):
    editor = factories.EditorFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, editor.username, "wrong")
    assert log_in(client, editor.username).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, editor.username, "wrong")
    assert log_in(client, editor.username).status_code == 302


def test_an_account_with_an_authenticator_needs_its_code(client):
    editor = factories.EditorFactory()
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    without_code = log_in(client, editor.username)
    assert without_code.status_code == 200
    assert "_auth_user_id" not in client.session
    wrong_code = log_in(client, editor.username, code="000000" if current_code(device) != "000000" else "111111")
    assert wrong_code.status_code == 200
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    device.throttle_reset()  # a failed code throttles the device for a moment
    assert log_in(client, editor.username, code=current_code(device)).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_account_without_an_authenticator_logs_in_with_its_password(client):
    assert log_in(client, factories.EditorFactory().username).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_session_without_a_code_loses_the_admin_once_an_authenticator_is_added(client):
    editor = factories.EditorFactory()
    assert log_in(client, editor.username).status_code == 302
    TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_superusers_must_set_up_an_authenticator_when_the_setting_requires_it(client, settings):
    settings.CLAIMTRACKER_REQUIRE_2FA_FOR_SUPERUSERS = True
    superuser = factories.SuperuserFactory()
    response = log_in(client, superuser.username)
    assert response.status_code == 200
    assert "add_totp_device" in response.content.decode()
    assert "_auth_user_id" not in client.session

    out = io.StringIO()
    call_command("add_totp_device", superuser.username, stdout=out)
    assert "otpauth://totp/" in out.getvalue()
    device = TOTPDevice.objects.get(user=superuser)
    assert log_in(client, superuser.username, code=current_code(device)).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_editors_are_not_asked_for_a_code_when_only_superusers_must_use_one(client, settings):
    settings.CLAIMTRACKER_REQUIRE_2FA_FOR_SUPERUSERS = True
    assert log_in(client, factories.EditorFactory().username).status_code == 302


def test_setting_up_an_authenticator_for_an_unknown_user_is_a_clear_error():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No user called 'nobody'"):
        call_command("add_totp_device", "nobody")
