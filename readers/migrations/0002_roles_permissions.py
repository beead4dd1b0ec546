"""Editors triage readers' tips; Admins also see the subscribers and the outbox, send failed emails
again and erase a reader's data. Deleting stays with superusers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = ["view_tip", "change_tip"]
# Subscribers' addresses are seen by those who run the service, not by every editor.
ADMIN_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    "view_subscription",
    "view_outgoingemail",
    "change_outgoingemail",
    "erase_reader_data",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("readers")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in (("Editors", EDITOR_PERMISSIONS), ("Admins", ADMIN_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="readers", codename__in=codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    apps.get_model("auth", "Group").permissions.through.objects.filter(
        permission__in=Permission.objects.filter(content_type__app_label="readers")
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("readers", "0001_initial"),
        ("accounts", "0001_admins_group"),
        ("claims", "0004_editor_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
