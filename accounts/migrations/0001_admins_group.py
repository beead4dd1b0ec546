"""The Admins group: everything Editors do, plus users, groups, API keys, the rating scales and
authenticator devices. Deleting stays with superusers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMIN_APPS = ["auth", "people", "claims", "api", "otp_totp", "otp_static"]
ACTIONS = ("add", "change", "view")


def create_admins(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label__in=ADMIN_APPS).filter(
        codename__regex=r"^(" + "|".join(ACTIONS) + r")_"
    )
    admins, _ = Group.objects.get_or_create(name="Admins")
    admins.permissions.set(permissions)


def remove_admins(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Admins").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("claims", "0007_history_baseline"),
        ("people", "0002_history"),
        ("api", "0001_initial"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(create_admins, remove_admins)]
