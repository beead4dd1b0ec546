"""Editors and Admins import spreadsheets (the admin checks claims.add_claim) and see past imports."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Editors", "Admins"]
CODENAMES = ["add_importrun", "view_importrun"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("imports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.filter(content_type__app_label="imports", codename__in=CODENAMES))
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    apps.get_model("auth", "Group").permissions.through.objects.filter(
        permission__in=Permission.objects.filter(content_type__app_label="imports")
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("accounts", "0001_admins_group"),
        ("claims", "0004_editor_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
