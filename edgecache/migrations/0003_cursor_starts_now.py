"""The purge worker starts from what is recorded now: a cache that starts being purged holds
nothing older worth purging, and a large record's whole change log would be a million useless purges."""

from django.db import migrations
from django.db.models import Max


def start_now(apps, schema_editor):
    newest = {
        "last_change_id": apps.get_model("claims", "ClaimChange").objects.aggregate(newest=Max("id"))["newest"],
        "last_status_history_id": apps.get_model("claims", "HistoricalStatus").objects.aggregate(
            newest=Max("history_id")
        )["newest"],
        "last_topic_history_id": apps.get_model("claims", "HistoricalTopic").objects.aggregate(
            newest=Max("history_id")
        )["newest"],
        "last_term_history_id": apps.get_model("people", "HistoricalTerm").objects.aggregate(newest=Max("history_id"))[
            "newest"
        ],
    }
    apps.get_model("edgecache", "PurgeCursor").objects.update_or_create(
        name="claim_changes", defaults={column: value or 0 for column, value in newest.items()}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("edgecache", "0002_roles_permissions"),
        ("claims", "0018_terms_of_office"),
        ("people", "0005_term_permissions"),
    ]

    operations = [migrations.RunPython(start_now, migrations.RunPython.noop)]
