"""Run under bench.settings by bench/run.py: pick the endpoints, count their queries, record bodies.

Prints one JSON object: the endpoints (name, path, request headers, queries per request) and
writes the responses the limit app replays into ``BENCH_LIMIT_DIR``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from claims.models import Claim, ClaimChange  # noqa: E402
from people.models import Person, Term  # noqa: E402

SEARCH = "hospital beds"
NO_CACHE = {"Cache-Control": "no-cache"}


def pick() -> dict[str, str]:
    claim = (
        Claim.objects.published()
        .annotate(updates=Count("status_updates"))
        .filter(updates__gte=3)
        .order_by("-updated_at")
        .values_list("slug", flat=True)[:1000]
    )
    slugs = list(claim)
    people = list(Person.objects.annotate(n=Count("claims")).filter(n__gt=0).order_by("n").values_list("slug", "n"))
    median_person = people[len(people) // 2][0]
    changes = ClaimChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    terms = list(
        Term.objects.annotate(n=Count("pledges")).filter(n__gt=0).order_by("n", "pk").values_list("pk", flat=True)
    )
    return {
        "claim": slugs[len(slugs) // 2],
        "person": median_person,
        "after": str(max(0, changes // 2)),
        "term": str(terms[len(terms) // 2]) if terms else "",
    }


def main() -> None:
    limit_dir = Path(os.environ["BENCH_LIMIT_DIR"])
    limit_dir.mkdir(parents=True, exist_ok=True)
    chosen = pick()
    query = SEARCH.replace(" ", "+")
    # Headers to send, or "conditional": the ETag the previous request to that path received.
    endpoints: list[tuple[str, str, dict[str, str] | str]] = [
        ("Public claim list", "/claims/", NO_CACHE),
        ("Public claim list, in Ukrainian", "/uk/claims/", NO_CACHE),
        ("Public claim list, filtered", "/claims/?kind=pledge&status=kept", NO_CACHE),
        ("Public claim list, searched", f"/claims/?q={query}", NO_CACHE),
        ("Claim page", f"/claims/{chosen['claim']}/", NO_CACHE),
        ("Claim page, cached", f"/claims/{chosen['claim']}/", {}),
        ("Claim page, 304", f"/claims/{chosen['claim']}/", "conditional"),
        ("Person page", f"/people/{chosen['person']}/", NO_CACHE),
        ("Scorecard, whole tracker", "/scorecards/", NO_CACHE),
        ("Scorecard, person, with chart", f"/people/{chosen['person']}/scorecard/", NO_CACHE),
        ("Scorecard, person, cached", f"/people/{chosen['person']}/scorecard/", {}),
        *(
            [
                ("Scorecard, term, with chart", f"/terms/{chosen['term']}/", NO_CACHE),
                (
                    "Comparison, person and term",
                    f"/compare/?a=person:{chosen['person']}&b=term:{chosen['term']}",
                    NO_CACHE,
                ),
                ("API term scorecard with series", f"/api/v1/terms/{chosen['term']}/scorecard", NO_CACHE),
            ]
            if chosen["term"]
            else []
        ),
        ("API claim list (50)", "/api/v1/claims?page_size=50", NO_CACHE),
        ("API claim list (50), in Ukrainian", "/api/v1/claims?page_size=50&lang=uk", NO_CACHE),
        ("API claim list, cached", "/api/v1/claims?page_size=50", {}),
        ("API claim list, 304", "/api/v1/claims?page_size=50", "conditional"),
        ("API change feed (50)", f"/api/v1/changes?after={chosen['after']}&page_size=50", NO_CACHE),
        ("API search (50)", f"/api/v1/claims?q={query}&page_size=50", NO_CACHE),
        ("Anchor: .values() + orjson", "/bench/anchor/claims", {}),
    ]
    client = Client(SERVER_NAME="127.0.0.1")
    manifest: dict[str, dict] = {}
    etags: dict[str, str] = {}
    out = []
    for number, (name, path, headers) in enumerate(endpoints):
        if isinstance(headers, str):  # "conditional"
            headers = {"If-None-Match": etags[path]}
        client.get(path, headers=headers)  # warm the cache and the connection
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, headers=headers)
        if response.status_code not in (200, 304):
            sys.exit(f"{path} answered {response.status_code}: {response.content[:300]!r}")
        if response.has_header("ETag"):
            etags.setdefault(path, response["ETag"])
        key = path + (" (conditional)" if "If-None-Match" in headers else "")
        body = f"{number}.body"
        (limit_dir / body).write_bytes(response.content)
        manifest[key] = {
            "status": f"{response.status_code} {response.reason_phrase}",
            "headers": [
                *((name, value) for name, value in response.items() if name.lower() != "content-length"),
                ("Content-Length", str(len(response.content))),
            ],
            "body": body,
        }
        out.append(
            {
                "name": name,
                "path": path,
                "headers": headers,
                "queries": len(queries),
                "status": response.status_code,
                "bytes": len(response.content),
            }
        )
    (limit_dir / "manifest.json").write_text(json.dumps(manifest))
    print(json.dumps({"endpoints": out, "chosen": chosen, "claims": Claim.objects.count()}))


if __name__ == "__main__":
    main()
