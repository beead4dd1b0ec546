"""Terms of office are managed like people: Editors and Admins add and change them, Viewers read them.
Deleting stays with superusers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Viewers": ["view_term"],
    "Editors": ["view_term", "add_term", "change_term"],
    "Admins": ["view_term", "add_term", "change_term"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("people")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="people", codename__in=codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    codenames = {codename for codenames in GRANTS.values() for codename in codenames}
    apps.get_model("auth", "Group").permissions.through.objects.filter(
        permission__in=Permission.objects.filter(content_type__app_label="people", codename__in=codenames)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_terms_of_office"),
        ("claims", "0004_editor_groups"),
        ("accounts", "0001_admins_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
