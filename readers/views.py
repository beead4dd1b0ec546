"""Pages where readers write to the desk and manage their email alerts. None is cached: each carries
a form with a CSRF token or a reader's own signed link (``never_cache``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from claims.models import Claim, Topic
from claimtracker.page_cache import cacheable
from people.models import Person
from readers import alerts, guards, privacy, tips, tokens
from readers.forms import FrequencyForm, ManageLinkForm, SubscribeForm, TipForm
from readers.models import AlertFrequency, AlertScope, Subscription, TipKind


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, f"readers/{template}", context, status=status)
    # Never indexed: forms and personal links have nothing for a search engine.
    response["X-Robots-Tag"] = "noindex"
    return response


def _refused(request: HttpRequest, template: str, context: dict[str, Any], refusal: guards.Throttled) -> HttpResponse:
    response = _page(request, template, {**context, "refusal": refusal.message}, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response


def _not_found(request: HttpRequest, title: str, message: str, status: int = 404) -> HttpResponse:
    return _page(request, "link_problem.html", {"title": title, "message": message}, status=status)


def _published_claim(slug: str) -> Claim | None:
    return Claim.objects.published().select_related("claimant").filter(slug=slug).first()


def _tip_page(request: HttpRequest, *, kind: TipKind, claim: Claim | None) -> HttpResponse:
    context: dict[str, Any] = {"claim": claim, "kind": kind}
    if request.method == "POST":
        form = TipForm(request.POST)
        context["form"] = form
        if form.is_valid():
            refusal = guards.throttle(request, "tip", settings.READERS_TIPS_PER_HOUR)
            if refusal is not None:
                return _refused(request, "tip_form.html", context, refusal)
            tips.tip_submit(
                kind=kind,
                claim=claim,
                message=form.cleaned_data["message"],
                evidence_url=form.cleaned_data["evidence_url"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                language=get_language() or settings.LANGUAGE_CODE,
            )
            sent = reverse("readers:tip-sent")
            return HttpResponseRedirect(f"{sent}?claim={claim.slug}" if claim else sent)
        return _page(request, "tip_form.html", context, status=400)
    context["form"] = TipForm()
    return _page(request, "tip_form.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def suggest_correction(request: HttpRequest, slug: str) -> HttpResponse:
    claim = _published_claim(slug)
    if claim is None:
        return _not_found(request, _("Claim not found"), _("There is no published claim at this address."))
    return _tip_page(request, kind=TipKind.CORRECTION, claim=claim)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def suggest_claim(request: HttpRequest) -> HttpResponse:
    return _tip_page(request, kind=TipKind.NEW_CLAIM, claim=None)


@never_cache
@require_http_methods(["GET", "HEAD"])
def tip_sent(request: HttpRequest) -> HttpResponse:
    claim = _published_claim(request.GET.get("claim", ""))
    return _page(request, "tip_sent.html", {"claim": claim})


def _target(request: HttpRequest) -> tuple[tuple[str, str] | None, Any]:
    """What the subscribe page was opened for (?claim=, ?person= or ?topic=): a radio choice and the object."""
    if slug := request.GET.get("claim") or request.POST.get("claim"):
        claim = _published_claim(slug)
        if claim is not None:
            return (f"claim:{claim.slug}", _("This claim: %(summary)s") % {"summary": claim.summary}), claim
    if slug := request.GET.get("person") or request.POST.get("person"):
        person = Person.objects.tracked().filter(slug=slug).first()
        if person is not None:
            return (f"person:{person.slug}", _("Claims by %(name)s") % {"name": person.name}), person
    return None, None


def _followed(choice: str) -> tuple[AlertScope, dict[str, Any]] | None:
    kind, _separator, slug = choice.partition(":")
    if kind == "everything":
        return AlertScope.EVERYTHING, {}
    if kind == "claim" and (claim := _published_claim(slug)):
        return AlertScope.CLAIM, {"claim": claim}
    if kind == "person" and (person := Person.objects.tracked().filter(slug=slug).first()):
        return AlertScope.PERSON, {"person": person}
    if kind == "topic" and (topic := Topic.objects.filter(slug=slug).first()):
        return AlertScope.TOPIC, {"topic": topic}
    return None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    target_choice, target = _target(request)
    context: dict[str, Any] = {"target": target}
    if request.method == "POST":
        form = SubscribeForm(request.POST, target_choice=target_choice)
        context["form"] = form
        if form.is_valid():
            refusal = guards.throttle(request, "subscribe", settings.READERS_SUBSCRIPTIONS_PER_HOUR)
            if refusal is not None:
                return _refused(request, "subscribe.html", context, refusal)
            followed = _followed(form.cleaned_data["follow"])
            if followed is None:
                form.add_error("follow", _("Choose what to follow."))
                return _page(request, "subscribe.html", context, status=400)
            scope, chosen = followed
            outcome = alerts.subscription_request(
                email=form.cleaned_data["email"],
                scope=scope,
                frequency=AlertFrequency(form.cleaned_data["frequency"]),
                language=get_language() or settings.LANGUAGE_CODE,
                **chosen,
            )
            if outcome == alerts.RequestOutcome.TOO_MANY_EMAILS:
                context["refusal"] = _(
                    "We have already sent several emails to this address today. Please look for them in your "
                    "inbox and spam folder, or try again tomorrow."
                )
                return _page(request, "subscribe.html", context, status=429)
            return HttpResponseRedirect(reverse("readers:subscribe-sent"))
        return _page(request, "subscribe.html", context, status=400)
    context["form"] = SubscribeForm(target_choice=target_choice)
    return _page(request, "subscribe.html", context)


@never_cache
@require_http_methods(["GET", "HEAD"])
def subscribe_sent(request: HttpRequest) -> HttpResponse:
    return _page(request, "subscribe_sent.html", {"hours": settings.READERS_CONFIRMATION_HOURS})


def _link_problem(request: HttpRequest, error: Exception) -> HttpResponse:
    if isinstance(error, tokens.LinkExpired):
        return _not_found(
            request,
            _("This link has expired"),
            _("Confirmation links work for %(hours)d hours. Please subscribe again to get a new one.")
            % {"hours": settings.READERS_CONFIRMATION_HOURS},
            status=410,
        )
    return _not_found(
        request,
        _("This link does not work"),
        _("The link is incomplete or was altered. Please copy the whole link from the email."),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: a mail scanner that opens links confirms nothing."""
    try:
        subscription = tokens.subscription_to_confirm(token)
    except (tokens.LinkExpired, tokens.LinkInvalid) as error:
        return _link_problem(request, error)
    if subscription is None:
        return _not_found(
            request,
            _("This subscription is no longer here"),
            _("It was cancelled or has expired. Please subscribe again."),
            status=410,
        )
    if request.method == "POST" or subscription.is_confirmed:
        subscription = alerts.subscription_confirm(subscription)
        return _page(
            request,
            "confirmed.html",
            {
                "subscription": subscription,
                "manage_url": reverse("readers:manage", args=[tokens.manage_token([subscription])]),
            },
        )
    return _page(request, "confirm.html", {"subscription": subscription})


@never_cache
@csrf_exempt  # RFC 8058: mail programs send the one-click POST with no token; the signed link is the proof.
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriptions = tokens.subscriptions_to_end(token)
    except (tokens.LinkExpired, tokens.LinkInvalid) as error:
        return _link_problem(request, error)
    if request.method == "POST":
        alerts.subscriptions_end(subscriptions)
        return _page(request, "unsubscribed.html", {"ended": subscriptions})
    if not subscriptions:
        return _page(request, "unsubscribed.html", {"ended": []})
    return _page(request, "unsubscribe.html", {"subscriptions": subscriptions})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    try:
        address = tokens.address_to_manage(token)
    except (tokens.LinkExpired, tokens.LinkInvalid) as error:
        return _link_problem(request, error)
    if address is None:
        return HttpResponseRedirect(reverse("readers:manage-link") + "?expired=1")
    subscriptions = list(
        Subscription.objects.of_address(address).select_related("claim", "person", "topic").order_by("created_at", "pk")
    )
    notice = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        chosen = next((s for s in subscriptions if str(s.pk) == request.POST.get("subscription")), None)
        form = FrequencyForm(request.POST)
        if action == "frequency" and chosen is not None and form.is_valid():
            alerts.subscription_set_frequency(chosen, AlertFrequency(form.cleaned_data["frequency"]))
            notice = _("Saved: %(what)s, %(frequency)s.") % {
                "what": chosen.followed or chosen.get_scope_display(),
                "frequency": chosen.get_frequency_display().lower(),
            }
        elif action == "end" and chosen is not None:
            alerts.subscriptions_end([chosen])
            subscriptions.remove(chosen)
            notice = _("Unsubscribed. You will get no more emails about that.")
        elif action == "erase":
            privacy.reader_erase(address)
            return _page(request, "erased.html", {})
        else:
            return _page(
                request,
                "manage.html",
                {
                    "subscriptions": subscriptions,
                    "error": _("That did not work: the form was incomplete. Please try again."),
                },
                status=400,
            )
        if not subscriptions:
            return _page(request, "unsubscribed.html", {"ended": [chosen]})
    return _page(
        request,
        "manage.html",
        {"subscriptions": subscriptions, "notice": notice, "frequencies": AlertFrequency.choices},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage_link(request: HttpRequest) -> HttpResponse:
    """Ask for a fresh link to one's subscriptions (a lost email, an old link)."""
    context: dict[str, Any] = {"expired": request.GET.get("expired") == "1"}
    if request.method == "POST":
        form = ManageLinkForm(request.POST)
        context["form"] = form
        if form.is_valid():
            refusal = guards.throttle(request, "subscribe", settings.READERS_SUBSCRIPTIONS_PER_HOUR)
            if refusal is not None:
                return _refused(request, "manage_link.html", context, refusal)
            alerts.manage_link_request(form.cleaned_data["email"], get_language() or settings.LANGUAGE_CODE)
            # The same answer whether or not the address has subscriptions: no one learns who subscribes.
            return _page(request, "manage_link_sent.html", {})
        return _page(request, "manage_link.html", context, status=400)
    context["form"] = ManageLinkForm()
    return _page(request, "manage_link.html", context)


@require_safe
def privacy_page(request: HttpRequest) -> HttpResponse:
    return cacheable(
        render(
            request,
            "readers/privacy.html",
            {
                "retention_days": settings.READERS_RETENTION_DAYS,
                "confirmation_hours": settings.READERS_CONFIRMATION_HOURS,
            },
        )
    )
