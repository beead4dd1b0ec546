"""Keeping automated and abusive submissions out without a third-party service.

Three checks sit in front of every form a reader can send (a tip, a subscription, a request for a
manage link): a honeypot field people never see, a minimum time between serving the form and
sending it (a signed timestamp in the form, so no session or cookie is needed), and a limit per
client address and hour counted in the shared cache, so it holds across app servers.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claimtracker.client_address import client_address

FORM_STAMP_SALT = "readers.form-started"
# A form left open longer than this is reloaded rather than accepted: the stamp cannot be replayed for ever.
FORM_STAMP_MAX_AGE = 24 * 3600
WINDOW_SECONDS = 3600


def form_stamp(now: float | None = None) -> str:
    """The signed moment a form was served, sent back with it."""
    return signing.dumps(int(now if now is not None else time.time()), salt=FORM_STAMP_SALT)


def stamp_problem(stamp: str, now: float | None = None) -> str | None:
    """Why a form's timing refuses it, or None: sent too fast, too old, or altered."""
    now = now if now is not None else time.time()
    try:
        started = signing.loads(stamp, salt=FORM_STAMP_SALT, max_age=FORM_STAMP_MAX_AGE)
    except signing.SignatureExpired:
        return _("This form was opened more than a day ago. We have loaded it again: please send it once more.")
    except signing.BadSignature:
        return _("This form could not be checked (it may have been altered). Please send it again from this page.")
    waited = int(now - int(started))
    minimum = settings.READERS_FORM_MIN_SECONDS
    if waited < minimum:
        return ngettext(
            "The form was sent %(waited)d second after it was opened, faster than a person can fill it in. "
            "Please check it and send it again.",
            "The form was sent %(waited)d seconds after it was opened, faster than a person can fill it in. "
            "Please check it and send it again.",
            waited,
        ) % {"waited": max(waited, 0)}
    return None


def honeypot_problem(value: str) -> str | None:
    if value.strip():
        return _(
            "The field “Leave this empty” was filled in, as automated programs do, so nothing was sent. "
            "If you are a person, empty that field and send the form again."
        )
    return None


def _client_key(request: HttpRequest) -> str:
    """The client address, keyed with the site's secret: the cache never holds an address in clear."""
    address = client_address(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Throttled:
    limit: int
    retry_after: int

    @property
    def message(self) -> str:
        minutes = max(1, -(-self.retry_after // 60))
        return ngettext(
            "You have sent %(limit)d forms from this address in the last hour, our limit. "
            "Please try again in %(minutes)d minute.",
            "You have sent %(limit)d forms from this address in the last hour, our limit. "
            "Please try again in %(minutes)d minutes.",
            minutes,
        ) % {"limit": self.limit, "minutes": minutes}


def throttle(request: HttpRequest, action: str, limit: int, now: float | None = None) -> Throttled | None:
    """Count one submission of ``action`` from the client's address this hour; Throttled past ``limit``."""
    now = now if now is not None else time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"readers:throttle:{action}:{_client_key(request)}:{window}"
    # add() then incr(): atomic in Redis and in the local-memory cache, so two app servers never both
    # let the sixth form through.
    cache.add(key, 0, WINDOW_SECONDS + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, WINDOW_SECONDS + 60)
        count = 1
    if count > limit:
        return Throttled(limit=limit, retry_after=int((window + 1) * WINDOW_SECONDS - now) + 1)
    return None
