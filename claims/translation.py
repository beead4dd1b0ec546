"""The texts of the record the desk translates (django-modeltranslation; see docs/languages.md).

Each field gets a column per language beside the original (``summary_en``, ``summary_uk``,
``summary_ru``), on the same row, so reading a translation costs no query. English is the language
the desk writes in; the others are the desk's translations and may be missing. Which fields, and
the helpers that name their columns, are in claims/text_languages.py.
"""

from modeltranslation.translator import TranslationOptions, register

from claims.models import Claim, Status, StatusUpdate, Topic
from claims.text_languages import TRANSLATED_FIELDS


@register(Status)
class StatusTranslation(TranslationOptions):
    fields = TRANSLATED_FIELDS["Status"]


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = TRANSLATED_FIELDS["Topic"]


@register(Claim)
class ClaimTranslation(TranslationOptions):
    fields = TRANSLATED_FIELDS["Claim"]


@register(StatusUpdate)
class StatusUpdateTranslation(TranslationOptions):
    fields = TRANSLATED_FIELDS["StatusUpdate"]
