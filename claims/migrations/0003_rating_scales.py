"""The two rating scales the tracker ships with. Editors may reword them later in the admin."""

from django.db import migrations

# (slug, label, meaning, colour, is_final, is_default, rating_value)
PROMISE_SCALE = [
    (
        "not-yet-rated",
        "Not yet rated",
        "We are tracking this promise but have not yet rated any progress on it.",
        "#6b7280",
        False,
        True,
        None,
    ),
    (
        "in-the-works",
        "In the works",
        "There is concrete action towards the promise: a bill, an order, talks, funding.",
        "#1d4ed8",
        False,
        False,
        3,
    ),
    (
        "stalled",
        "Stalled",
        "Action has stopped or been blocked, and nothing suggests it will resume soon.",
        "#b45309",
        False,
        False,
        2,
    ),
    (
        "compromise",
        "Compromise",
        "The promise was partly achieved, or achieved in a weaker form.",
        "#7c3aed",
        True,
        False,
        3,
    ),
    ("kept", "Kept", "The promise was fulfilled as stated, or substantially so.", "#15803d", True, False, 5),
    (
        "broken",
        "Broken",
        "The promise was not fulfilled and can no longer be, or was abandoned.",
        "#b91c1c",
        True,
        False,
        1,
    ),
    (
        "unclear",
        "Unclear / cannot be rated",
        "The evidence is too thin or contradictory to rate, or the promise is too vague to measure.",
        "#475569",
        True,
        False,
        None,
    ),
]
FACT_CHECK_SCALE = [
    (
        "not-yet-rated",
        "Not yet rated",
        "We are checking this claim and have not published a verdict yet.",
        "#6b7280",
        False,
        True,
        None,
    ),
    ("accurate", "Accurate", "The claim is correct and nothing significant is missing.", "#15803d", True, False, 5),
    (
        "mostly-accurate",
        "Mostly accurate",
        "The claim is correct but needs clarification or extra context.",
        "#4d7c0f",
        True,
        False,
        4,
    ),
    (
        "misleading",
        "Misleading",
        "The claim has an element of truth but leaves a false impression.",
        "#b45309",
        True,
        False,
        2,
    ),
    ("false", "False", "The claim is not correct.", "#b91c1c", True, False, 1),
    (
        "unclear",
        "Unclear / cannot be rated",
        "The claim cannot be verified with the evidence available, or is an opinion or prediction.",
        "#475569",
        True,
        False,
        None,
    ),
]
SCALES = {"promise": PROMISE_SCALE, "fact_check": FACT_CHECK_SCALE}


def create_scales(apps, schema_editor):
    Status = apps.get_model("claims", "Status")
    for scale, entries in SCALES.items():
        for order, (slug, label, meaning, colour, is_final, is_default, rating_value) in enumerate(entries, start=1):
            Status.objects.update_or_create(
                scale=scale,
                slug=slug,
                defaults={
                    "label": label,
                    "meaning": meaning,
                    "colour": colour,
                    "order": order * 10,
                    "is_final": is_final,
                    "is_default": is_default,
                    "rating_value": rating_value,
                },
            )


def remove_unused_scales(apps, schema_editor):
    Status = apps.get_model("claims", "Status")
    for scale, entries in SCALES.items():
        Status.objects.filter(scale=scale, slug__in=[entry[0] for entry in entries], updates__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_scale_integrity_triggers")]

    operations = [migrations.RunPython(create_scales, remove_unused_scales)]
