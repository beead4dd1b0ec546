"""Admins manage webhook endpoints and watch (and replay) deliveries. Deleting stays with superusers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMIN_PERMISSIONS = {
    "webhookendpoint": ["add", "change", "view"],
    # "change" on a delivery is the right to replay it; the admin never edits one.
    "delivery": ["change", "view"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("webhooks")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admins, _ = Group.objects.get_or_create(name="Admins")
    admins.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="webhooks",
            codename__in=[f"{action}_{model}" for model, actions in ADMIN_PERMISSIONS.items() for action in actions],
        )
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    apps.get_model("auth", "Group").permissions.through.objects.filter(
        permission__in=Permission.objects.filter(content_type__app_label="webhooks")
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("accounts", "0001_admins_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
