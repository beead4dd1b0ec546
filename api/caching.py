"""Cached API answers that a write invalidates at once.

An answer is stored under the request (path, query, whether the key sees unpublished claims) and
the **data version** (``claims.freshness.data_version``): the newest write to claims, people and
sources, the last change-feed id and the wording of the statuses, read in one query of index
look-ups. Any write through the services moves the version, so the next request misses the cache
and is built from the database — a status update is visible on the very next request. Topic
renames (no timestamp) are covered by the topic history's newest id. The cache is Redis when
``REDIS_URL`` is set, per-process memory otherwise.

A request sent with ``Cache-Control: no-cache`` skips the stored copy (it is still refreshed).
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import translation

from claims.freshness import data_version

API_CACHE_SECONDS = 300


def response_key(request: HttpRequest, *, include_unpublished: bool, variant: str = "") -> str:
    """The request (and the language it is answered in: Accept-Language is not in the path).

    ``variant``: whatever else the answer depends on, e.g. the day for a scorecard "now" and the
    format chosen by the ``Accept`` header.
    """
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    language = translation.get_language()
    suffix = f":{variant}" if variant else ""
    return f"api:v1:{path}:{language}:{int(include_unpublished)}:{data_version()}{suffix}"


def get(key: str) -> tuple[bytes, str, str | None] | None:
    return cache.get(key)


def store(key: str, content: bytes, etag: str, last_modified: str | None) -> None:
    cache.set(key, (content, etag, last_modified), API_CACHE_SECONDS)
