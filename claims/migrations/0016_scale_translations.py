"""The desk's Ukrainian and Russian translations of the two shipped rating scales (0003).

Only an empty column (NULL or "") is filled, so a label or meaning an editor has already translated
is kept; a translated label that another status of the same scale already uses in that language is
left out rather than break the unique label per scale. Statuses are matched by (scale, slug).
"""

from django.db import migrations
from django.db.models import Q

# scale → slug → language → (label, meaning)
TRANSLATIONS = {
    "promise": {
        "not-yet-rated": {
            "uk": ("Ще не оцінено", "Ми відстежуємо цю обіцянку, але ще не оцінювали жодного прогресу в її виконанні."),
            "ru": (
                "Еще не оценено",
                "Мы отслеживаем это обещание, но еще не оценивали никакого прогресса в его выполнении.",
            ),
        },
        "in-the-works": {
            "uk": (
                "У роботі",
                "Є конкретні дії для виконання обіцянки: законопроєкт, розпорядження, переговори, фінансування.",
            ),
            "ru": (
                "В работе",
                "Есть конкретные действия по выполнению обещания: законопроект, распоряжение, переговоры, "
                "финансирование.",
            ),
        },
        "stalled": {
            "uk": (
                "Загальмовано",
                "Дії припинилися або їх заблоковано, і ніщо не вказує на те, що вони незабаром відновляться.",
            ),
            "ru": (
                "Застопорилось",
                "Действия прекратились или заблокированы, и ничто не указывает на то, что они скоро возобновятся.",
            ),
        },
        "compromise": {
            "uk": ("Компроміс", "Обіцянку виконано частково або в послабленому вигляді."),
            "ru": ("Компромисс", "Обещание выполнено частично или в ослабленном виде."),
        },
        "kept": {
            "uk": ("Виконано", "Обіцянку виконано в заявленому вигляді або здебільшого."),
            "ru": ("Выполнено", "Обещание выполнено в заявленном виде или в основном."),
        },
        "broken": {
            "uk": ("Порушено", "Обіцянку не виконано і вже не може бути виконано, або від неї відмовилися."),
            "ru": ("Нарушено", "Обещание не выполнено и уже не может быть выполнено, или от него отказались."),
        },
        "unclear": {
            "uk": (
                "Неясно / неможливо оцінити",
                "Доказів замало або вони надто суперечливі для оцінки, або обіцянка надто розмита, щоб її виміряти.",
            ),
            "ru": (
                "Неясно / невозможно оценить",
                "Доказательств слишком мало или они слишком противоречивы для оценки, либо обещание слишком "
                "расплывчато, чтобы его измерить.",
            ),
        },
    },
    "fact_check": {
        "not-yet-rated": {
            "uk": ("Ще не оцінено", "Ми перевіряємо це твердження і ще не опублікували вердикт."),
            "ru": ("Еще не оценено", "Мы проверяем это утверждение и еще не опубликовали вердикт."),
        },
        "accurate": {
            "uk": ("Достовірно", "Твердження правильне, і в ньому не бракує нічого суттєвого."),
            "ru": ("Достоверно", "Утверждение верно, и в нем не упущено ничего существенного."),
        },
        "mostly-accurate": {
            "uk": ("Здебільшого достовірно", "Твердження правильне, але потребує уточнення або додаткового контексту."),
            "ru": ("В основном достоверно", "Утверждение верно, но требует уточнения или дополнительного контекста."),
        },
        "misleading": {
            "uk": ("Вводить в оману", "Твердження містить частку правди, але створює хибне враження."),
            "ru": ("Вводит в заблуждение", "В утверждении есть доля правды, но оно создает ложное впечатление."),
        },
        "false": {
            "uk": ("Неправда", "Твердження неправильне."),
            "ru": ("Неправда", "Утверждение неверно."),
        },
        "unclear": {
            "uk": (
                "Неясно / неможливо оцінити",
                "Твердження неможливо перевірити наявними доказами, або це думка чи прогноз.",
            ),
            "ru": (
                "Неясно / невозможно оценить",
                "Утверждение невозможно проверить имеющимися доказательствами, или это мнение либо прогноз.",
            ),
        },
    },
}


def _empty(column: str) -> Q:
    return Q(**{f"{column}__isnull": True}) | Q(**{column: ""})


def translate_scales(apps, schema_editor):
    Status = apps.get_model("claims", "Status")
    for scale, statuses in TRANSLATIONS.items():
        for slug, languages in statuses.items():
            status = Status.objects.filter(scale=scale, slug=slug).first()
            if status is None:
                continue
            for language, (label, meaning) in languages.items():
                label_column, meaning_column = f"label_{language}", f"meaning_{language}"
                label_taken = Status.objects.filter(scale=scale, **{label_column: label}).exclude(pk=status.pk).exists()
                if not label_taken:
                    Status.objects.filter(_empty(label_column), pk=status.pk).update(**{label_column: label})
                Status.objects.filter(_empty(meaning_column), pk=status.pk).update(**{meaning_column: meaning})


class Migration(migrations.Migration):
    dependencies = [("claims", "0015_search_in_every_language")]

    operations = [migrations.RunPython(translate_scales, migrations.RunPython.noop)]
