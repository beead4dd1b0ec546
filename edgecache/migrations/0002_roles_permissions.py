"""Admins see the cache purges and queue failed ones again. Deleting stays with superusers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMIN_PERMISSIONS = ["view_purge", "change_purge"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("edgecache")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Admins")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="edgecache", codename__in=ADMIN_PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    apps.get_model("auth", "Group").permissions.through.objects.filter(
        permission__in=Permission.objects.filter(content_type__app_label="edgecache")
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("edgecache", "0001_initial"),
        ("accounts", "0001_admins_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
