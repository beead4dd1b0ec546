"""Keeping the least about readers, for the least time, and forgetting one on request.

What is kept and for how long is on the public privacy page (templates/readers/privacy.html);
the two functions here are the whole of it: the retention rule the worker applies every hour
(``manage.py apply_reader_retention`` runs it on its own) and the erasure of one reader.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from readers.models import OutgoingEmail, Subscription, Tip


@dataclass(frozen=True)
class Forgotten:
    tips: int
    subscriptions: int
    emails: int

    def __bool__(self) -> bool:
        return bool(self.tips or self.subscriptions or self.emails)


def _anonymise(tips) -> int:
    return tips.update(name="", email="", personal_data_erased_at=timezone.now())


@transaction.atomic
def reader_erase(email: str) -> Forgotten:
    """Everything held about the reader with this address: names and the address are blanked on their
    tips (the message stays, as the desk's record of what was reported), their subscriptions and
    waiting alerts are deleted, and so is every email to them, sent or not."""
    email = email.strip()
    if not email:
        return Forgotten(0, 0, 0)
    tips = _anonymise(Tip.objects.from_address(email))
    _, subscriptions = Subscription.objects.of_address(email).delete()
    emails, _ = OutgoingEmail.objects.to_address(email).delete()
    return Forgotten(tips=tips, subscriptions=subscriptions.get(Subscription._meta.label, 0), emails=emails)


@transaction.atomic
def tip_erase(tip: Tip) -> Forgotten:
    """One tip's name and address, and everything else held under that address."""
    forgotten = reader_erase(tip.email) if tip.email else Forgotten(0, 0, 0)
    blanked = _anonymise(Tip.objects.filter(pk=tip.pk).holding_personal_data())
    return Forgotten(tips=forgotten.tips + blanked, subscriptions=forgotten.subscriptions, emails=forgotten.emails)


@transaction.atomic
def apply_retention(now: datetime.datetime | None = None) -> Forgotten:
    """Resolved tips past READERS_RETENTION_DAYS lose name and address; sent emails past it are
    deleted; subscriptions never confirmed are deleted once their link has expired."""
    tips = _anonymise(Tip.objects.past_retention(now))
    _, subscriptions = Subscription.objects.expired_unconfirmed(now).delete()
    emails, _ = OutgoingEmail.objects.past_retention(now).delete()
    return Forgotten(tips=tips, subscriptions=subscriptions.get(Subscription._meta.label, 0), emails=emails)
