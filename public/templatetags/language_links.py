"""Links to the page being read in each interface language: the switcher and the hreflang alternates."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpRequest
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


def path_in_language(path: str, current: str, code: str) -> str:
    """``path`` (with its query) as it is addressed in ``code``: English unprefixed, others under /<code>/.

    The pages' addresses differ only by that prefix (``i18n_patterns``, prefix_default_language=False),
    so swapping it is all it takes — no resolving and reversing of the URL for each language.
    """
    if current != settings.LANGUAGE_CODE and (path == f"/{current}" or path.startswith(f"/{current}/")):
        path = path[len(current) + 1 :] or "/"
    return path if code == settings.LANGUAGE_CODE else f"/{code}{path}"


@register.simple_tag(takes_context=True)
def language_versions(context: template.Context) -> list[LanguageVersion]:
    """This page (path and query kept) in every language we serve, the one being read marked current.

    Worked out once per request: the header's switcher and the head's alternates both use it.
    """
    request: HttpRequest | None = context.get("request")
    if request is None:
        return []
    versions: list[LanguageVersion] | None = getattr(request, "_language_versions", None)
    if versions is not None:
        return versions
    current = translation.get_language() or settings.LANGUAGE_CODE
    here = request.get_full_path()
    versions = []
    for code, _name in settings.LANGUAGES:
        path = path_in_language(here, current, code)
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
    request._language_versions = versions  # type: ignore[attr-defined]
    return versions
