"""The Editors and Viewers groups. Deleting is left to superusers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEWER_MODELS = {
    "people": ["person"],
    "claims": ["claim", "claimappearance", "source", "status", "statusupdate", "topic"],
}
EDITOR_PERMISSIONS = {
    "people": {"person": ["add", "change"]},
    "claims": {
        "claim": ["add", "change"],
        "claimappearance": ["add", "change"],
        "source": ["add", "change"],
        "topic": ["add", "change"],
        "statusupdate": ["add"],
    },
}


def _permission(Permission, app_label: str, action: str, model: str):
    return Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_permissions = [
        _permission(Permission, app_label, "view", model)
        for app_label, models in VIEWER_MODELS.items()
        for model in models
    ]
    viewers, _ = Group.objects.get_or_create(name="Viewers")
    viewers.permissions.set(view_permissions)

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(
        view_permissions
        + [
            _permission(Permission, app_label, action, model)
            for app_label, models in EDITOR_PERMISSIONS.items()
            for model, actions in models.items()
            for action in actions
        ]
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Viewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_rating_scales"),
        ("people", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
