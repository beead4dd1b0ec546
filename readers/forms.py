"""The forms readers fill in. Each carries a honeypot field and the signed moment it was served
(readers/guards.py); the views add the per-address limit."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from claims.models import Topic
from readers import guards
from readers.models import (
    EMAIL_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    NAME_MAX_LENGTH,
    URL_MAX_LENGTH,
    AlertFrequency,
)


class WebAddressField(forms.URLField):
    """http:// and https:// only: a link an editor can open in a browser (no ftp:, no file:)."""

    default_error_messages = {"invalid": _("Enter a web address starting with https:// or http://.")}
    default_validators = [
        URLValidator(schemes=["http", "https"], message=_("Enter a web address starting with https:// or http://."))
    ]


class GuardedForm(forms.Form):
    # Hidden from people (CSS and aria-hidden in the template); programs that fill every field fill it.
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = guards.form_stamp()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        problem = guards.honeypot_problem(cleaned.get("website", "")) or guards.stamp_problem(
            cleaned.get("started", "")
        )
        if problem:
            # A fresh stamp, so sending the form again after reading the message works.
            data = cast(Any, self.data).copy()
            data["started"] = guards.form_stamp()
            self.data = data
            raise forms.ValidationError(problem, code="refused")
        return cleaned


class TipForm(GuardedForm):
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What should we check or correct, and why? Up to 5,000 characters."),
    )
    evidence_url = WebAddressField(
        label=_("Link to evidence (optional)"),
        required=False,
        max_length=URL_MAX_LENGTH,
        assume_scheme="https",
        help_text=_("A web address starting with https:// or http://."),
    )
    name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=NAME_MAX_LENGTH)
    email = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("Only if you want to hear what we did with your message. We never publish it."),
    )
    field_order = ["message", "evidence_url", "name", "email", "website", "started"]


class SubscribeForm(GuardedForm):
    email = forms.EmailField(label=_("Your email"), max_length=EMAIL_MAX_LENGTH)
    follow = forms.ChoiceField(label=_("Alerts about"), widget=forms.RadioSelect)
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=AlertFrequency.choices,
        initial=AlertFrequency.INSTANT,
        widget=forms.RadioSelect,
    )
    field_order = ["email", "follow", "frequency", "website", "started"]

    def __init__(self, *args: Any, target_choice: tuple[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = []
        if target_choice is not None:
            choices.append(target_choice)
        choices.append(("everything", str(_("Every status change on the tracker"))))
        choices += [
            (f"topic:{topic.slug}", str(_("Topic: %(name)s") % {"name": topic.name}))
            for topic in Topic.objects.order_by("name")
        ]
        cast(forms.ChoiceField, self.fields["follow"]).choices = choices
        self.fields["follow"].initial = choices[0][0]


class ManageLinkForm(GuardedForm):
    email = forms.EmailField(label=_("Your email"), max_length=EMAIL_MAX_LENGTH)
    field_order = ["email", "website", "started"]


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(label=_("How often"), choices=AlertFrequency.choices)
