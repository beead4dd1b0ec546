"""Keep the rows read from an upload, so that the preview and the confirmation never parse the file again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0002_importers_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="rows",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
    ]
