"""One simulated editor, run as its own process by tests/test_concurrent_editors.py.

Each process has its own database connection, as gunicorn workers do. It prepares, waits
until the shared start instant so that all workers write at once, then prints one JSON line.

    python -m tests.concurrency_worker record <claim_id> <username> <count> <start_at>
    python -m tests.concurrency_worker admin-save <claim_id> <username> <summary> <start_at>
"""

from __future__ import annotations

import json
import os
import sys
import time


def wait_until(start_at: float) -> None:
    time.sleep(max(0.0, start_at - time.time()))


def record(claim_id: int, username: str, count: int, start_at: float) -> dict:
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import OperationalError

    from claims import services
    from claims.models import Claim, Source, Status

    editor = get_user_model().objects.get(username=username)
    statuses = list(Status.objects.on_scale("promise").filter(is_default=False))
    evidence = list(Source.objects.order_by("pk")[:1])
    wait_until(start_at)
    recorded, locked, other_errors = 0, 0, []
    for index in range(count):
        claim = Claim.objects.get(pk=claim_id)
        try:
            services.claim_record_status(
                claim=claim,
                evidence=evidence,
                status=statuses[index % len(statuses)],
                effective_on=claim.made_on + datetime.timedelta(days=index),
                rationale=f"Update {index} by {username}.",
                recorded_by=editor,
            )
            recorded += 1
        except OperationalError as error:
            if "locked" in str(error):
                locked += 1
            else:
                other_errors.append(str(error))
    return {"recorded": recorded, "locked": locked, "errors": other_errors}


def admin_save(claim_id: int, username: str, summary: str, start_at: float) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from tests.admin_forms import admin_form_data

    setup_test_environment()  # so responses carry the template context the form data is read from
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    url = reverse("admin:claims_claim_change", args=[claim_id])
    data = {**admin_form_data(client.get(url)), "summary_en": summary}
    wait_until(start_at)
    response = client.post(url, data)
    body = response.content.decode() if response.status_code == 200 else ""
    followed = client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
    return {
        "status": response.status_code,
        "saved": response.status_code == 302 and response["Location"].endswith("/claims/claim/"),
        "refused": "Someone else saved this record" in body or "Your changes were not saved" in followed,
    }


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtracker.settings.dev")
    import django

    django.setup()
    mode, claim_id, username, value, start_at = argv
    if mode == "record":
        result = record(int(claim_id), username, int(value), float(start_at))
    elif mode == "admin-save":
        result = admin_save(int(claim_id), username, value, float(start_at))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
