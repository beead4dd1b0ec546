"""The texts of the record the desk translates (django-modeltranslation; see docs/languages.md).

Each field gets a column per language beside the original (``summary_en``, ``summary_uk``,
``summary_ru``), on the same row, so reading a translation costs no query. English is the language
the desk writes in; the others are the desk's translations and may be missing.
"""

from modeltranslation.translator import TranslationOptions, register

from claims.models import Claim, Status, StatusUpdate, Topic


@register(Status)
class StatusTranslation(TranslationOptions):
    fields = ("label", "meaning")


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)


@register(Claim)
class ClaimTranslation(TranslationOptions):
    fields = ("summary",)


@register(StatusUpdate)
class StatusUpdateTranslation(TranslationOptions):
    fields = ("rationale",)
