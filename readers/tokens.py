"""Signed links in readers' emails: confirm a subscription, unsubscribe, manage subscriptions.

No account and no stored token: each link carries the subscription ids and a digest of the address
they belong to, signed with the site's secret, so it cannot be made up or pointed at someone else's
subscriptions. Only the confirmation link expires (READERS_CONFIRMATION_HOURS); the others must
keep working from an old email.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core import signing

from readers.models import Subscription, address_digest

CONFIRM_SALT = "readers.confirm"
UNSUBSCRIBE_SALT = "readers.unsubscribe"
MANAGE_SALT = "readers.manage"


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def _dumps(subscriptions: Iterable[Subscription], salt: str) -> str:
    chosen = list(subscriptions)
    return signing.dumps(
        {"s": sorted(subscription.pk for subscription in chosen), "k": address_digest(chosen[0].email)},
        salt=salt,
        compress=True,
    )


def _loads(token: str, salt: str, max_age: int | None = None) -> tuple[list[int], str]:
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), list) or not isinstance(payload.get("k"), str):
        raise LinkInvalid
    ids = [item for item in payload["s"] if isinstance(item, int)]
    if not ids:
        raise LinkInvalid
    return ids, payload["k"]


def _matching(ids: list[int], key: str) -> list[Subscription]:
    """The subscriptions still there that belong to the address the link was made for."""
    found = Subscription.objects.filter(pk__in=ids).select_related("claim", "person", "topic")
    return [subscription for subscription in found if address_digest(subscription.email) == key]


def confirmation_token(subscription: Subscription) -> str:
    return _dumps([subscription], CONFIRM_SALT)


def subscription_to_confirm(token: str) -> Subscription | None:
    """The subscription a confirmation link names; LinkExpired or LinkInvalid when it cannot be used."""
    ids, key = _loads(token, CONFIRM_SALT, max_age=settings.READERS_CONFIRMATION_HOURS * 3600)
    found = _matching(ids, key)
    return found[0] if found else None


def unsubscribe_token(subscriptions: Iterable[Subscription]) -> str:
    return _dumps(subscriptions, UNSUBSCRIBE_SALT)


def subscriptions_to_end(token: str) -> list[Subscription]:
    ids, key = _loads(token, UNSUBSCRIBE_SALT)
    return _matching(ids, key)


def manage_token(subscriptions: Iterable[Subscription]) -> str:
    """A link to every subscription of the address: it keeps working while any one of them is there."""
    return _dumps(subscriptions, MANAGE_SALT)


def address_to_manage(token: str) -> str | None:
    """The address whose subscriptions a manage link opens, while one of them is still there."""
    ids, key = _loads(token, MANAGE_SALT)
    found = _matching(ids, key)
    return found[0].email if found else None
