"""Pages, feeds, the sitemap, API JSON and the CSV export go out compressed to clients that accept it,
decode to the same bytes, keep answering conditional requests, and nothing that can carry a secret
(the admin, its login page, anything setting or varying on a cookie) is ever compressed (BREACH)."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator

import brotli
import pytest
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

from claimtracker import urls as site_urls
from claimtracker.compression import choose_coding, compress_stream, zstd
from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db

DECODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.decompress,
    "br": brotli.decompress,
    "zstd": zstd.decompress,
}
CODINGS = list(DECODERS)
# What a current Chromium sends.
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd"


def page_paths(world) -> dict[str, str]:
    return {
        "html page": world.pledge.get_absolute_url(),
        "json list": "/api/v1/claims",
        "csv stream": "/api/v1/claims.csv",
        "atom feed": "/feeds/updates/",
        "sitemap": "/sitemap.xml",
        "embed card": f"/embed/claims/{world.pledge.slug}/",
    }


KINDS = ["html page", "json list", "csv stream", "atom feed", "sitemap", "embed card"]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def vary_of(response) -> set[str]:
    return {value.strip().lower() for value in response.get("Vary", "").split(",") if value.strip()}


@pytest.mark.parametrize("coding", CODINGS)
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_response_is_compressed_when_accepted_and_decodes_to_the_same_bytes(client, world, kind, coding):
    path = page_paths(world)[kind]
    plain = body_of(client.get(path))

    response = client.get(path, headers={"Accept-Encoding": coding})

    assert response.status_code == 200
    assert response["Content-Encoding"] == coding
    assert "accept-encoding" in vary_of(response)
    encoded = body_of(response)
    assert len(encoded) < len(plain)
    assert DECODERS[coding](encoded) == plain


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_response_is_plain_when_no_encoding_is_accepted_and_says_it_varies(client, world, kind):
    path = page_paths(world)[kind]

    for accept_encoding in (None, "identity", "gzip;q=0, br;q=0, zstd;q=0"):
        headers = {"Accept-Encoding": accept_encoding} if accept_encoding is not None else {}
        response = client.get(path, headers=headers)

        assert response.status_code == 200
        assert not response.has_header("Content-Encoding")
        assert "accept-encoding" in vary_of(response)
        assert body_of(response).startswith((b"<", b"{", b"id,"))


@pytest.mark.parametrize("kind", ["html page", "json list", "atom feed", "sitemap"])
def test_a_compressed_answer_states_its_own_length(client, world, kind):
    response = client.get(page_paths(world)[kind], headers={"Accept-Encoding": BROWSER_ACCEPT_ENCODING})

    assert response["Content-Encoding"] == "br"
    assert response["Content-Length"] == str(len(response.content))


def test_the_csv_export_stays_a_stream_when_compressed(client, world):
    response = client.get("/api/v1/claims.csv", headers={"Accept-Encoding": "gzip"})

    assert response.streaming
    assert response["Content-Encoding"] == "gzip"
    # Unknown until the last row: sent chunked, never a stale length of the plain body.
    assert not response.has_header("Content-Length")
    assert gzip.decompress(b"".join(response.streaming_content)).startswith(b"id,slug,")


@pytest.mark.parametrize("coding", CODINGS)
def test_a_compressed_stream_is_written_out_long_before_its_last_row_is_read(coding):
    rows_read = 0
    total_rows = 20_000

    def rows() -> Iterator[bytes]:
        nonlocal rows_read
        for number in range(total_rows):
            rows_read += 1
            # Varied enough that the compressor cannot fold it all into a few bytes.
            yield f"{number},{number * 7919 % 104729},claim-{number * 31337 % 99991}\r\n".encode()

    stream = compress_stream(coding, rows())
    produced = b""
    # Past the format's header: real compressed data has reached the wire.
    while len(produced) < 4096:
        produced += next(stream)

    assert rows_read < total_rows / 4
    rest = b"".join(stream)
    assert DECODERS[coding](produced + rest) == b"".join(
        f"{n},{n * 7919 % 104729},claim-{n * 31337 % 99991}\r\n".encode() for n in range(total_rows)
    )


@pytest.mark.parametrize("coding", CODINGS)
@pytest.mark.parametrize("kind", ["html page", "json list", "embed card"])
def test_a_compressed_page_still_answers_a_matching_if_none_match_with_304(client, world, kind, coding):
    path = page_paths(world)[kind]
    first = client.get(path, headers={"Accept-Encoding": coding})
    assert first["Content-Encoding"] == coding
    # The compressed bytes are not the plain ones: the validator is weak (RFC 9110 §8.8.1).
    etag = first["ETag"]
    assert etag.startswith('W/"')

    # The API answers from its response cache after the first time: a second code path to hold.
    for from_cache in (False, True):
        if not from_cache:
            cache.clear()
        response = client.get(path, headers={"Accept-Encoding": coding, "If-None-Match": etag})

        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == etag
        assert "accept-encoding" in vary_of(response)


def test_a_plain_client_keeps_its_strong_etag_and_its_304(client, world):
    path = world.pledge.get_absolute_url()
    etag = client.get(path)["ETag"]
    assert etag.startswith('"')

    response = client.get(path, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response["ETag"] == etag


def test_a_weak_etag_from_a_compressed_answer_still_names_the_claim_version_for_if_match(client, world):
    etag = client.get(f"/api/v1/claims/{world.pledge.pk}", headers={"Accept-Encoding": "gzip"})["ETag"]

    assert etag.startswith(f'W/"{world.pledge.pk}-{world.pledge.version}-')


def test_a_head_request_is_told_the_compressed_length(client, world):
    path = world.pledge.get_absolute_url()
    length = client.get(path, headers={"Accept-Encoding": "gzip"})["Content-Length"]

    response = client.head(path, headers={"Accept-Encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert int(response["Content-Length"]) == pytest.approx(int(length), abs=100)  # gzip's random padding


# --- never compressed: anything that can carry a secret ----------------------------------------


def test_the_admin_login_page_is_never_compressed(client):
    response = client.get("/admin/login/", headers={"Accept-Encoding": BROWSER_ACCEPT_ENCODING})

    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


def test_a_failed_login_is_never_compressed(client):
    client.get("/admin/login/")
    token = client.cookies["csrftoken"].value

    response = client.post(
        "/admin/login/",
        {"username": "someone", "password": "wrong", "csrfmiddlewaretoken": token},
        headers={"Accept-Encoding": BROWSER_ACCEPT_ENCODING},
    )

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


@pytest.mark.parametrize("path", ["/admin/", "/admin/claims/claim/", "/admin/claims/claim/add/"])
def test_admin_pages_are_never_compressed_for_a_signed_in_editor(client, path):
    client.force_login(EditorFactory())

    response = client.get(path, headers={"Accept-Encoding": BROWSER_ACCEPT_ENCODING})

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_a_public_page_seen_by_a_signed_in_editor_is_still_compressed_as_it_holds_no_secret(client, world):
    client.force_login(EditorFactory())

    response = client.get(world.pledge.get_absolute_url(), headers={"Accept-Encoding": "br"})

    assert response["Content-Encoding"] == "br"
    assert not response.cookies


# Views that break each rule on a public path, so the rule itself is what is tested, not the path.
FILLER = "the same public words again " * 40


def sets_a_cookie(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(FILLER)
    response.set_cookie("flavour", "oat")
    return response


def renders_a_csrf_token(request: HttpRequest) -> HttpResponse:
    # A token alone, with the cookie already current, is the case no Set-Cookie would reveal.
    return HttpResponse(f"{FILLER}<input name=csrfmiddlewaretoken value={get_token(request)}>")


def reads_the_session(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{FILLER}{request.session.get('draft', '')}")


def holds_nothing_secret(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FILLER)


def already_encoded(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(gzip.compress(FILLER.encode()), content_type="text/plain")
    response["Content-Encoding"] = "gzip"
    return response


def tiny(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def an_image(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"\x89PNG" + bytes(range(256)) * 8, content_type="image/png")


def no_transform(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(FILLER)
    response["Cache-Control"] = "public, no-transform"
    return response


urlpatterns = [
    path("sets-a-cookie/", sets_a_cookie),
    path("csrf-token/", renders_a_csrf_token),
    path("session/", reads_the_session),
    path("public/", holds_nothing_secret),
    path("already-encoded/", already_encoded),
    path("tiny/", tiny),
    path("image/", an_image),
    path("no-transform/", no_transform),
    # The site's own patterns, language prefixes included (i18n_patterns cannot be include()d).
    *site_urls.urlpatterns,
]


@pytest.mark.urls(__name__)
def test_a_response_with_no_secret_on_a_public_path_is_compressed(client):
    response = client.get("/public/", headers={"Accept-Encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == FILLER.encode()


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("path", ["/sets-a-cookie/", "/session/"])
def test_a_response_that_sets_or_varies_on_a_cookie_is_never_compressed(client, path):
    response = client.get(path, headers={"Accept-Encoding": BROWSER_ACCEPT_ENCODING})

    assert response.status_code == 200
    assert response.cookies or "cookie" in vary_of(response)
    assert not response.has_header("Content-Encoding")


@pytest.mark.urls(__name__)
def test_a_response_carrying_a_csrf_token_is_never_compressed_even_when_the_cookie_is_current(client):
    client.get("/csrf-token/")  # the browser now holds the CSRF cookie

    response = client.get("/csrf-token/", headers={"Accept-Encoding": BROWSER_ACCEPT_ENCODING})

    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("path", ["/already-encoded/", "/tiny/", "/image/", "/no-transform/"])
def test_a_response_that_is_encoded_tiny_not_text_or_no_transform_is_left_as_it_is(client, path):
    plain = client.get(path)

    response = client.get(path, headers={"Accept-Encoding": "br"})

    assert response.content == plain.content
    assert response.get("Content-Encoding") == plain.get("Content-Encoding")


@pytest.mark.urls(__name__)
def test_a_post_is_never_compressed(client):
    response = client.post("/public/", headers={"Accept-Encoding": "gzip"})

    assert not response.has_header("Content-Encoding")


def test_static_files_are_left_to_whitenoise(client):
    response = client.get("/static/css/site.css", headers={"Accept-Encoding": "br"})

    assert response.status_code == 200
    # WhiteNoise answers before this middleware runs, with its own pre-compressed copy where
    # collectstatic made one (production) and the file as it is otherwise (here, in development).
    assert not response.has_header("Content-Encoding")


# --- choosing the coding -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_encoding", "chosen"),
    [
        ("", None),
        ("identity", None),
        ("gzip", "gzip"),
        ("x-gzip", "gzip"),
        ("GZIP", "gzip"),
        ("deflate", None),
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, zstd", "zstd"),
        ("br;q=0.5, gzip", "gzip"),
        ("br;q=0.5, zstd;q=0.8, gzip;q=0.1", "zstd"),
        ("br;q=0, gzip;q=0", None),
        ("*", "br"),
        ("*;q=0.5, br;q=0", "zstd"),
        ("gzip;q=nonsense", None),
        ("gzip;q=2", "gzip"),
        (" , ;q=1, gzip ; q=0.3 ", "gzip"),
    ],
)
def test_the_coding_follows_the_clients_weights_then_ours(accept_encoding, chosen):
    assert choose_coding(accept_encoding) == chosen
