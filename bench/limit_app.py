"""The limit: a minimal WSGI app serving recorded response bytes from memory.

Run under the same gunicorn configuration as the site. ``BENCH_LIMIT_DIR`` holds
``manifest.json`` (path → status, headers, body file) written by bench/run.py from the real
responses; each request is answered with those exact bytes, so the gap between this app and the
site is the site's own work.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

_DIR = Path(os.environ.get("BENCH_LIMIT_DIR", "bench/.limit"))
_RESPONSES: dict[str, tuple[str, list[tuple[str, str]], bytes]] = {}
for key, entry in json.loads((_DIR / "manifest.json").read_text()).items():
    body = (_DIR / entry["body"]).read_bytes()
    _RESPONSES[key] = (entry["status"], [(name, value) for name, value in entry["headers"]], body)
_MISSING = ("404 Not Found", [("Content-Type", "text/plain")], b"not recorded")


def app(environ, start_response):
    query = environ.get("QUERY_STRING", "")
    key = environ["PATH_INFO"] + (f"?{query}" if query else "")
    if environ.get("HTTP_IF_NONE_MATCH"):
        key += " (conditional)"
    status, headers, body = _RESPONSES.get(key, _MISSING)
    start_response(status, headers)
    return [body]
