"""Give rows created before history was tracked (the shipped scales, any existing data) a first
history entry, so later edits can be compared with and restored to what was there."""

from django.db import migrations
from django.utils import timezone

TRACKED = [("people", "Person"), ("claims", "Claim"), ("claims", "Source"), ("claims", "Status"), ("claims", "Topic")]


def create_baseline(apps, schema_editor):
    now = timezone.now()
    for app_label, model_name in TRACKED:
        model = apps.get_model(app_label, model_name)
        historical = apps.get_model(app_label, f"Historical{model_name}")
        tracked_fields = [
            field.attname
            for field in historical._meta.concrete_fields
            if not field.name.startswith("history_") and field.attname != "history_id"
        ]
        recorded = set(historical.objects.values_list("id", flat=True).distinct())
        historical.objects.bulk_create(
            [
                historical(
                    history_date=now,
                    history_type="+",
                    history_change_reason="History tracking started",
                    **{name: getattr(row, name) for name in tracked_fields},
                )
                for row in model.objects.exclude(pk__in=recorded).iterator()
            ],
            batch_size=500,
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_history"), ("people", "0002_history")]

    operations = [migrations.RunPython(create_baseline, migrations.RunPython.noop)]
