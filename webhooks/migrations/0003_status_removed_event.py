# A published status update removed from the record is an event partners subscribe to.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0002_admins_permissions"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="delivery",
            name="delivery_event_valid",
        ),
        migrations.AddField(
            model_name="webhookendpoint",
            name="on_status_removed",
            field=models.BooleanField(default=True, verbose_name="status updates removed"),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="event",
            field=models.CharField(
                choices=[
                    ("status_recorded", "Status update recorded"),
                    ("correction_recorded", "Correction recorded"),
                    ("claim_published", "Claim published"),
                    ("claim_withdrawn", "Claim withdrawn"),
                    ("status_removed", "Status update removed"),
                    ("ping", "Test event"),
                ],
                max_length=30,
            ),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "event__in",
                        [
                            "status_recorded",
                            "correction_recorded",
                            "claim_published",
                            "claim_withdrawn",
                            "status_removed",
                            "ping",
                        ],
                    )
                ),
                name="delivery_event_valid",
            ),
        ),
    ]
