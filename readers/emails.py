"""What readers' emails say, written in the reader's language when the email is queued.

Every email has a plain-text and an HTML part from templates/readers/email/; alerts and digests
carry the RFC 8058 one-click unsubscribe headers and a link to manage every subscription.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from claims.dates import describe_day
from claims.models import ChangeKind, ClaimChange
from readers import tokens
from readers.models import Subscription


def absolute(path: str) -> str:
    return urljoin(settings.CLAIMTRACKER_SITE_URL, path)


def link(language: str, viewname: str, *args: Any) -> str:
    """An absolute address on the site, in ``language`` (English unprefixed, /uk/…, /ru/…)."""
    with translation.override(language):
        return absolute(reverse(viewname, args=args))


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(name: str, context: dict[str, Any], language: str) -> Rendered:
    """templates/readers/email/<name>_subject.txt, <name>.txt and <name>.html, in ``language``."""
    context = {
        "publisher_name": settings.CLAIMTRACKER_PUBLISHER_NAME,
        "site_url": settings.CLAIMTRACKER_SITE_URL,
        **context,
    }
    with translation.override(language):
        subject = " ".join(render_to_string(f"readers/email/{name}_subject.txt", context).split())
        text = render_to_string(f"readers/email/{name}.txt", context)
        html = render_to_string(f"readers/email/{name}.html", context)
    return Rendered(subject=subject, text=text, html=html)


def unsubscribe_headers(subscriptions: Sequence[Subscription], language: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: a mail program's own "Unsubscribe" button, done with one POST."""
    return {
        "List-Unsubscribe": f"<{link(language, 'readers:unsubscribe', tokens.unsubscribe_token(subscriptions))}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def subscription_links(
    subscriptions: Sequence[Subscription], everything_of_address: Iterable[Subscription], language: str
) -> dict[str, str]:
    return {
        "unsubscribe_url": link(language, "readers:unsubscribe", tokens.unsubscribe_token(subscriptions)),
        "manage_url": link(language, "readers:manage", tokens.manage_token(everything_of_address)),
    }


@dataclass(frozen=True)
class ChangeNews:
    """One status change as an email tells it."""

    claim_summary: str
    claimant: str
    claim_url: str
    status_label: str
    status_colour: str
    is_correction: bool
    effective_on: str
    rationale: str
    evidence: list[tuple[str, str]]


def change_news(change: ClaimChange, language: str) -> ChangeNews:
    """The change in ``language`` (the desk's translation where there is one, else the English)."""
    update = change.status_update
    assert update is not None  # noqa: S101 - only status changes are told  # nosec B101
    claim = change.claim
    with translation.override(language):
        return ChangeNews(
            claim_summary=claim.summary,
            claimant=claim.claimant.name,
            claim_url=link(language, "public:claim-detail", claim.slug),
            status_label=update.status.label,
            status_colour=update.status.colour,
            is_correction=change.kind == ChangeKind.CORRECTION_RECORDED,
            effective_on=describe_day(update.effective_on),
            rationale=update.rationale,
            evidence=[(source.title, source.url) for source in update.evidence.all()],
        )
