"""Readers' tips and correction requests: received, triaged by an editor, answered by email."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim, StatusUpdate
from readers import emails, mail
from readers.models import EmailPurpose, Tip, TipKind, TipState


@transaction.atomic
def tip_submit(
    *,
    kind: TipKind,
    message: str,
    language: str,
    claim: Claim | None = None,
    evidence_url: str = "",
    name: str = "",
    email: str = "",
) -> Tip:
    """Store a reader's message in the moderation queue. Nothing of it is shown anywhere public."""
    tip = Tip(
        kind=kind,
        claim=claim,
        message=message.strip(),
        evidence_url=evidence_url.strip(),
        name=name.strip(),
        email=email.strip(),
        language=language,
    )
    tip.full_clean()
    tip.save()
    return tip


def _outcome_key(tip: Tip) -> str:
    # One email per distinct outcome: saving the same decision again does not write to the reader again.
    fingerprint = hashlib.sha256(f"{tip.state}\n{tip.reply}".encode()).hexdigest()[:16]
    return f"tip:{tip.pk}:{fingerprint}"


def _queue_outcome(tip: Tip) -> None:
    language = tip.language
    claim_url = emails.link(language, "public:claim-detail", tip.claim.slug) if tip.claim else ""
    led_to_url = ""
    if tip.led_to_update_id and tip.led_to_update and tip.led_to_update.published_at:
        led_to_url = emails.link(language, "public:claim-detail", tip.led_to_update.claim.slug)
    elif tip.led_to_claim_id and tip.led_to_claim and tip.led_to_claim.is_public:
        led_to_url = emails.link(language, "public:claim-detail", tip.led_to_claim.slug)
    rendered = emails.render("tip_outcome", {"tip": tip, "claim_url": claim_url, "led_to_url": led_to_url}, language)
    mail.queue(
        to=tip.email,
        purpose=EmailPurpose.TIP_OUTCOME,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        dedupe_key=_outcome_key(tip),
        tip=tip,
    )


@transaction.atomic
def tip_resolve(
    *,
    tip: Tip,
    state: TipState,
    resolved_by: User,
    reply: str = "",
    duplicate_of: Tip | None = None,
    led_to_claim: Claim | None = None,
    led_to_update: StatusUpdate | None = None,
) -> Tip:
    """An editor's decision on a tip. A reader who left an address hears it (and the reply) by email,
    once per distinct decision; the history keeps every decision."""
    if state == TipState.NEW:
        raise ValidationError({"state": _("Choose accepted, declined or duplicate to resolve a tip.")})
    if state == TipState.DUPLICATE and duplicate_of is None:
        raise ValidationError({"duplicate_of": _("Name the tip this one repeats.")})
    if duplicate_of is not None and state != TipState.DUPLICATE:
        raise ValidationError({"duplicate_of": _("Only a duplicate names another tip.")})
    if duplicate_of is not None and duplicate_of.pk == tip.pk:
        raise ValidationError({"duplicate_of": _("A tip cannot duplicate itself.")})
    locked = Tip.objects.select_for_update().get(pk=tip.pk)
    changed = (locked.state, locked.reply) != (state, reply.strip())
    locked.state = state
    locked.reply = reply.strip()
    locked.duplicate_of = duplicate_of
    locked.led_to_claim = led_to_claim
    locked.led_to_update = led_to_update
    if changed or locked.resolved_at is None:
        locked.resolved_at = timezone.now()
        locked.resolved_by = resolved_by
    locked.full_clean(exclude=["claim"])
    locked.save()
    if locked.email and changed:
        _queue_outcome(locked)
    return locked


@transaction.atomic
def tip_reopen(*, tip: Tip) -> Tip:
    """Back to the queue (a decision taken by mistake); the history keeps the decision."""
    locked = Tip.objects.select_for_update().get(pk=tip.pk)
    locked.state, locked.duplicate_of, locked.resolved_at, locked.resolved_by = TipState.NEW, None, None, None
    locked.save()
    return locked
