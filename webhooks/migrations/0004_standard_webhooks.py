# Standard Webhooks signatures (whsec_ secrets, a webhook-id per delivery), secret rotation, and
# endpoints that start from the present with an optional backfill.
#
# Existing secrets keep their key: an old endpoint signed with the bytes of its hex text, so its
# secret becomes "whsec_" + base64(those bytes) and the partner can derive it from what it holds.

import base64
import secrets

import django.utils.timezone
from django.db import migrations, models

import webhooks.models

SECRET_FORMAT = r"^whsec_[A-Za-z0-9+/]{40,120}={0,2}$"  # noqa: S105  # nosec B105 - a pattern, not a secret


def to_standard(apps, schema_editor):
    endpoints = apps.get_model("webhooks", "WebhookEndpoint")
    for endpoint in endpoints.objects.all().only("pk", "secret", "created_at"):
        endpoint.secret = "whsec_" + base64.b64encode(endpoint.secret.encode("ascii")).decode()
        # They received every change after their creation; they keep doing so.
        endpoint.send_changes_from = endpoint.created_at
        endpoint.save(update_fields=["secret", "send_changes_from"])
    deliveries = apps.get_model("webhooks", "Delivery")
    batch = []
    for delivery in deliveries.objects.only("pk").iterator(chunk_size=1000):
        delivery.webhook_id = "msg_" + secrets.token_urlsafe(18)
        batch.append(delivery)
        if len(batch) == 1000:
            deliveries.objects.bulk_update(batch, ["webhook_id"])
            batch = []
    deliveries.objects.bulk_update(batch, ["webhook_id"])
    # Errors stored before told refused from reset from unreachable, port by port: keep no such map.
    kept = models.Q(last_error="") | models.Q(last_error__startswith="HTTP ") | models.Q(last_error="timed out")
    deliveries.objects.exclude(kept).update(last_error="could not connect")
    _fire_deferred_checks(schema_editor)


def _fire_deferred_checks(schema_editor):
    # PostgreSQL refuses to ALTER a table with deferred foreign-key checks still pending from the
    # rows just updated, and the next operations alter these tables in the same transaction.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def to_hex(apps, schema_editor):
    endpoints = apps.get_model("webhooks", "WebhookEndpoint")
    for endpoint in endpoints.objects.all().only("pk", "secret"):
        key = base64.b64decode(endpoint.secret.removeprefix("whsec_"))
        # A secret made after this migration has random bytes: it becomes their hex.
        endpoint.secret = key.decode("ascii") if len(key) == 64 and key.isalnum() else key.hex()[:64]
        endpoint.save(update_fields=["secret"])
    _fire_deferred_checks(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0003_status_removed_event"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="webhookendpoint", name="webhookendpoint_secret_hex"),
        migrations.AlterField(
            model_name="webhookendpoint",
            name="secret",
            field=models.CharField(editable=False, max_length=100),
        ),
        migrations.AddField(
            model_name="webhookendpoint",
            name="previous_secret",
            field=models.CharField(blank=True, editable=False, max_length=100),
        ),
        migrations.AddField(
            model_name="webhookendpoint",
            name="previous_secret_expires_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="webhookendpoint",
            name="secret_rotated_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="webhookendpoint",
            name="send_changes_from",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                help_text="Earlier changes are not sent, unless a backfill was asked for.",
                verbose_name="sends changes recorded from",
            ),
        ),
        migrations.AddField(
            model_name="webhookendpoint",
            name="backfill_after_change_id",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="delivery",
            name="webhook_id",
            field=models.CharField(editable=False, max_length=40, null=True),
        ),
        migrations.RunPython(to_standard, to_hex),
        migrations.AlterField(
            model_name="delivery",
            name="webhook_id",
            field=models.CharField(default=webhooks.models.new_webhook_id, editable=False, max_length=40, unique=True),
        ),
        migrations.AddConstraint(
            model_name="webhookendpoint",
            constraint=models.CheckConstraint(
                condition=models.Q(secret__regex=SECRET_FORMAT), name="webhookendpoint_secret_whsec"
            ),
        ),
        migrations.AddConstraint(
            model_name="webhookendpoint",
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(previous_secret="", previous_secret_expires_at__isnull=True))
                | models.Q(previous_secret__regex=SECRET_FORMAT, previous_secret_expires_at__isnull=False),
                name="webhookendpoint_previous_secret_whsec",
            ),
        ),
        migrations.AddConstraint(
            model_name="webhookendpoint",
            constraint=models.CheckConstraint(
                condition=models.Q(backfill_after_change_id__isnull=True) | models.Q(backfill_after_change_id__gte=0),
                name="webhookendpoint_backfill_not_negative",
            ),
        ),
    ]
