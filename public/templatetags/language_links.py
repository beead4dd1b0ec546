"""Links to the page being read in each interface language: the switcher and the hreflang alternates."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

register = template.Library()


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str  # In its own language ("Українська"), as readers look for it.
    path: str
    url: str
    is_current: bool
    is_default: bool  # The x-default alternate: the language the desk writes in.


@register.simple_tag(takes_context=True)
def language_versions(context: template.Context) -> list[LanguageVersion]:
    """This page (path and query kept) in every language we serve, the one being read marked current."""
    request = context.get("request")
    if request is None:
        return []
    current = translation.get_language()
    here = request.get_full_path()
    versions = []
    for code, _name in settings.LANGUAGES:
        path = translate_url(here, code)
        versions.append(
            LanguageVersion(
                code=code,
                name=translation.get_language_info(code)["name_local"],
                path=path,
                url=request.build_absolute_uri(path),
                is_current=code == current,
                is_default=code == settings.LANGUAGE_CODE,
            )
        )
    return versions
