"""Compress dynamic responses — pages, feeds, the sitemap, API JSON and CSV — for clients that accept it.

Static files are compressed ahead of time by WhiteNoise, which answers them before this middleware
runs. Everything else is compressed here as it leaves the app, with Zstandard, Brotli or gzip —
whichever the client accepts and prefers, ties going to the order of ``CODINGS``.

BREACH: a compressed response's size leaks how well an attacker's input, reflected in the body,
matches a secret in the same body. So a response is only compressed when it can hold no secret of
the person asking for it: a GET or HEAD, outside ``COMPRESSION_EXCLUDED_PATHS`` (the admin and its
login), that sets no cookie, does not depend on the session (no ``Vary: Cookie``) and rendered no
CSRF token. Public pages and the API qualify: they are the same for every reader, and the API's
keys travel in a header that a cross-site page cannot make a browser send.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import cast

import brotli
from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.cache import has_vary_header, patch_vary_headers
from django.utils.text import compress_sequence, compress_string

try:  # Python 3.14+ has Zstandard in the standard library; the backport is the same module.
    from compression import zstd  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the Python version
    from backports import zstd

# Server preference when a client weighs several equally: Brotli packs text tightest at a speed
# fit for per-request work; Zstandard is close behind and faster; gzip is what every client has.
CODINGS = ("br", "zstd", "gzip")
# Below this a body is not worth the CPU, and compression can make it longer (as Django's GZipMiddleware).
MIN_LENGTH = 200
# Quality 5 is Brotli's sweet spot for content compressed on every request: the top quality (11)
# saves a few percent more at dozens of times the CPU. Zstandard's default level is 3.
BROTLI_QUALITY = 5
ZSTD_LEVEL = 3
# Django's "Heal the Breach" padding for gzip: up to this many random bytes in the header, so
# even a response that slipped through the rules above does not have a stable length.
GZIP_MAX_RANDOM_BYTES = 100
# A streamed body (the CSV export) is flushed to the client at least this often, so it stays a
# stream: bounded memory, and bytes on the wire before the last row is read.
STREAM_FLUSH_BYTES = 64 * 1024

COMPRESSIBLE_TYPE = re.compile(
    r"^(?:text/|application/(?:json|xml|javascript|vnd\.oai\.openapi)|application/[\w.+-]+\+(?:json|xml))",
    re.IGNORECASE,
)
SAFE_METHODS = frozenset({"GET", "HEAD"})


def accepted_codings(header: str) -> dict[str, float]:
    """The client's ``Accept-Encoding`` as {coding: weight}; a weight that cannot be read counts as 0."""
    weights: dict[str, float] = {}
    for item in header.split(","):
        name, _, params = item.partition(";")
        name = name.strip().lower()
        if not name:
            continue
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    weight = 0.0
        # RFC 9110 §8.4.1.3: "x-gzip" is another name for gzip.
        weights.setdefault("gzip" if name == "x-gzip" else name, weight)
    return weights


def choose_coding(header: str) -> str | None:
    """The coding to send: the client's highest-weighted one we have, or None for the plain body."""
    weights = accepted_codings(header)
    wildcard = weights.get("*", 0.0)
    best, best_weight = None, 0.0
    for coding in CODINGS:
        weight = weights.get(coding, wildcard)
        if weight > best_weight:
            best, best_weight = coding, weight
    return best


def compress_body(coding: str, body: bytes) -> bytes:
    if coding == "br":
        return brotli.compress(body, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)
    if coding == "zstd":
        return zstd.compress(body, level=ZSTD_LEVEL)
    return compress_string(body, max_random_bytes=GZIP_MAX_RANDOM_BYTES)


def compress_stream(coding: str, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Compress chunk by chunk, yielding as the body goes: never the whole body in memory at once."""
    if coding == "gzip":
        # zlib hands out compressed blocks by itself every few dozen KiB of input.
        yield from compress_sequence(chunks, max_random_bytes=GZIP_MAX_RANDOM_BYTES)
        return
    if coding == "br":
        brotli_compressor = brotli.Compressor(mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)
        process, flush, finish = brotli_compressor.process, brotli_compressor.flush, brotli_compressor.finish
    else:
        zstd_compressor = zstd.ZstdCompressor(level=ZSTD_LEVEL)
        process, finish = zstd_compressor.compress, zstd_compressor.flush
        flush = functools.partial(zstd_compressor.flush, mode=zstd.ZstdCompressor.FLUSH_BLOCK)
    pending = 0
    for chunk in chunks:
        output = process(chunk)
        pending += len(chunk)
        # Brotli would otherwise hold megabytes (its whole window) before writing a byte.
        if pending >= STREAM_FLUSH_BYTES:
            output += flush()
            pending = 0
        if output:
            yield output
    yield finish()


class CompressionMiddleware:
    """Compress responses that carry no secret (see the module's docstring) for clients that accept it.

    Goes after ``WhiteNoiseMiddleware`` (static files are pre-compressed and answered there) and
    before every middleware that sets cookies or ``Vary: Cookie`` (sessions, CSRF, messages,
    replica pinning, login lockouts), so it sees the response they leave.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.excluded_paths = tuple(settings.COMPRESSION_EXCLUDED_PATHS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not self.may_compress(request, response):
            return response
        coding = choose_coding(request.headers.get("Accept-Encoding", ""))
        if response.status_code == 304:
            # A 304 carries the Vary and ETag the full answer would have (RFC 9110 §15.4.5).
            patch_vary_headers(response, ["Accept-Encoding"])
            if coding is not None:
                weaken_etag(response)
            return response
        if not self.worth_compressing(response):
            return response
        patch_vary_headers(response, ["Accept-Encoding"])
        if coding is None:
            return response
        if response.streaming:
            # get_response's HttpResponse annotation covers streaming responses too; none here is async.
            streamed = cast(StreamingHttpResponse, response)
            streamed.streaming_content = compress_stream(coding, cast(Iterator[bytes], streamed.streaming_content))
            # Unknown until the last chunk is out; the server sends the body chunked instead.
            del response.headers["Content-Length"]
        else:
            body = response.content  # joined from its chunks at each read: read once
            compressed = compress_body(coding, body)
            if len(compressed) >= len(body):
                return response
            response.content = compressed
            response.headers["Content-Length"] = str(len(compressed))
        weaken_etag(response)
        response.headers["Content-Encoding"] = coding
        return response

    def may_compress(self, request: HttpRequest, response: HttpResponse) -> bool:
        """Whether the response is free of anything BREACH could extract, and ours to encode."""
        return (
            request.method in SAFE_METHODS
            and not request.path_info.startswith(self.excluded_paths)
            and not response.cookies
            and not has_vary_header(response, "Cookie")
            # Set by django.middleware.csrf.get_token: the body holds a CSRF token.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not response.has_header("Content-Encoding")
            and "no-transform" not in response.get("Cache-Control", "").lower()
        )

    @staticmethod
    def worth_compressing(response: HttpResponse) -> bool:
        if response.status_code in (204, 206) or not COMPRESSIBLE_TYPE.match(response.get("Content-Type", "")):
            return False
        if response.streaming:
            # An async stream would need an async compressor; the app serves none through WSGI.
            return not getattr(response, "is_async", False)
        return len(response.content) >= MIN_LENGTH


def weaken_etag(response: HttpResponse) -> None:
    """A strong ETag names exact bytes, which encoding changes; a weak one still answers If-None-Match.

    RFC 9110 §8.8.1, as Django's GZipMiddleware does.
    """
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response.headers["ETag"] = f"W/{etag}"
