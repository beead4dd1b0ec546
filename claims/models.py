"""The claim database: what was claimed, where it appeared, and how its status changed.

Writes go through ``claims.services``; these classes hold the shape of the data, the rules the
database enforces (named constraints) and the read vocabulary (QuerySet methods).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager
from simple_history.models import HistoricalRecords

from people.models import Person

HEX_COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
SUMMARY_MAX_LENGTH = 120
# Every language of the interface has a column for each translated text (claims/translation.py).
TEXT_LANGUAGES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)


def written_in_default_language(field: str) -> Q:
    """The desk's own text (the default language's column of a translated field) is there and not blank."""
    column = f"{field}_{settings.LANGUAGE_CODE}"
    return Q(**{f"{column}__isnull": False, f"{column}__gt": ""})


def summary_too_long_message() -> str:
    """Why a summary is refused, in the current language."""
    return ngettext(
        "The summary is at most %(limit)d character.",
        "The summary is at most %(limit)d characters.",
        SUMMARY_MAX_LENGTH,
    ) % {"limit": SUMMARY_MAX_LENGTH}


def _summary_help_text() -> str:
    return ngettext(
        "At most %(limit)d character; shown in lists and as ClaimReview claimReviewed.",
        "At most %(limit)d characters; shown in lists and as ClaimReview claimReviewed.",
        SUMMARY_MAX_LENGTH,
    ) % {"limit": SUMMARY_MAX_LENGTH}


# Worded when shown, in the language of the moment (model fields and constraints are built at import).
SUMMARY_TOO_LONG_MESSAGE = lazy(summary_too_long_message, str)()
SUMMARY_HELP_TEXT = lazy(_summary_help_text, str)()

# The order of a claim's timeline, oldest first: the last update in this order that counts is the
# one in effect. The SQL ordering, Meta.ordering and the in-memory key (claims.timeline) all use it.
TIMELINE_ORDER: tuple[str, ...] = ("effective_on", "recorded_at", "id")
TIMELINE_ORDER_NEWEST_FIRST: tuple[str, ...] = tuple(f"-{field}" for field in TIMELINE_ORDER)


class Scale(models.TextChoices):
    """A rating scale. Each claim kind is rated on exactly one scale."""

    PROMISE = "promise", _("Promise scale")
    FACT_CHECK = "fact_check", _("Fact-check scale")


class ClaimKind(models.TextChoices):
    PLEDGE = "pledge", _("Pledge")
    PLAN = "plan", _("Plan")
    STATEMENT = "statement", _("Statement")
    FACTUAL_CLAIM = "factual_claim", _("Factual claim")

    @property
    def scale(self) -> Scale:
        return SCALE_OF_KIND[self]


SCALE_OF_KIND: dict[str, Scale] = {
    ClaimKind.PLEDGE: Scale.PROMISE,
    ClaimKind.PLAN: Scale.PROMISE,
    ClaimKind.STATEMENT: Scale.FACT_CHECK,
    ClaimKind.FACTUAL_CLAIM: Scale.FACT_CHECK,
}


class Wording(models.TextChoices):
    """What the claim's text is: the speaker's exact words, someone's report of them, or a translation."""

    VERBATIM = "verbatim", _("Verbatim quote")
    PARAPHRASE = "paraphrase", _("Paraphrase or reported speech")
    TRANSLATION = "translation", _("Translation of a quote")

    @property
    def is_quotation(self) -> bool:
        """Shown in quotation marks: only the speaker's own words (or their translation) are."""
        return self != Wording.PARAPHRASE


class DatePrecision(models.TextChoices):
    """How precisely the source dates a claim. ``made_on`` is then the first day of that period."""

    DAY = "day", pgettext_lazy("date precision", "Day")
    MONTH = "month", pgettext_lazy("date precision", "Month")
    YEAR = "year", pgettext_lazy("date precision", "Year")
    RANGE = "range", pgettext_lazy("date precision", "Between two dates")


class Visibility(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("claim visibility", "Draft")
    PUBLISHED = "published", pgettext_lazy("claim visibility", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("claim visibility", "Withdrawn")

    @property
    def is_public(self) -> bool:
        """The public sees the claim: for a value already loaded (a row, an instance)."""
        return self == Visibility.PUBLISHED

    @property
    def is_withdrawn(self) -> bool:
        """Taken down with a public reason: its addresses answer 410 Gone."""
        return self == Visibility.WITHDRAWN


def published_through(relation: str = "") -> Q:
    """``ClaimQuerySet.published`` seen from a related model, e.g. ``published_through("claim")`` on updates."""
    return Q(**{f"{relation}__visibility" if relation else "visibility": Visibility.PUBLISHED})


def on_public_record_through(relation: str = "") -> Q:
    """Claims the public saw: published, or withdrawn with a public reason (never-published drafts are not)."""
    return ~Q(**{f"{relation}__visibility" if relation else "visibility": Visibility.DRAFT})


class TranslatedTextsModel(models.Model):
    """A model whose texts the desk translates: a column per language beside each (claims/translation.py)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The untranslated column of each translated field keeps the desk's own text, whatever
        # language the editor's admin is in: django-modeltranslation fills it from the active language.
        with translation.override(settings.LANGUAGE_CODE):
            super().save(*args, **kwargs)


class Topic(TranslatedTextsModel):
    objects: ClassVar[MultilingualManager[Topic]] = MultilingualManager()
    # Unique by a named constraint, which claims/translation.py repeats for each language's column.
    name = models.CharField(verbose_name=_("name"), max_length=80)
    slug = models.SlugField(verbose_name=_("slug"), max_length=80, unique=True)

    history: ClassVar[Any]  # simple_history's manager, registered in claims/apps.py after the translation columns

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="topic_name_unique"),
            models.CheckConstraint(condition=Q(slug__gt=""), name="topic_slug_not_blank"),
            models.CheckConstraint(condition=written_in_default_language("name"), name="topic_name_written"),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def slug_for(name: str) -> str:
        """The slug a topic of that name is filed under: one topic per slug, however its name is spelt."""
        return slugify(name)[: Topic._meta.get_field("slug").max_length]


class StatusQuerySet(models.QuerySet["Status"]):
    def on_scale(self, scale: str) -> StatusQuerySet:
        return self.filter(scale=scale)

    def default_for(self, scale: str) -> Status:
        return self.get(scale=scale, is_default=True)


# django-modeltranslation maps translated fields to the active language's column through its
# manager; declaring it here (rather than letting the library patch managers at run time) keeps the
# managers' types visible to mypy.
_StatusManagerBase = models.Manager.from_queryset(StatusQuerySet)


class StatusManager(MultilingualManager["Status"], _StatusManagerBase):
    pass


class Status(TranslatedTextsModel):
    """One entry of a rating scale, e.g. "Kept" on the promise scale."""

    scale = models.CharField(verbose_name=_("scale"), max_length=20, choices=Scale.choices)
    slug = models.SlugField(verbose_name=_("slug"), max_length=40)
    label = models.CharField(verbose_name=_("label"), max_length=60)
    meaning = models.TextField(
        verbose_name=_("meaning"), help_text=_("Public explanation of when a claim gets this status.")
    )
    colour = models.CharField(
        verbose_name=_("colour"),
        max_length=7,
        default="#6b7280",
        validators=[RegexValidator(HEX_COLOUR_PATTERN, _("Use a hex colour such as #1f7a3d."))],
        help_text=_("Badge colour as #RRGGBB. Text colour is chosen for contrast automatically."),
    )
    order = models.PositiveSmallIntegerField(
        verbose_name=_("order"), help_text=_("Position on the scale, lowest first.")
    )
    is_final = models.BooleanField(
        pgettext_lazy("status", "final"),
        default=False,
        help_text=_("Final statuses (Kept, Broken, False…) end the tracking of a claim."),
    )
    is_default = models.BooleanField(
        pgettext_lazy("status", "default"),
        default=False,
        help_text=_("The status a new claim on this scale starts with. One per scale."),
    )
    rating_value = models.PositiveSmallIntegerField(
        verbose_name=_("rating value"),
        null=True,
        blank=True,
        help_text=_("ClaimReview ratingValue from 1 (worst) to 5 (best); empty for statuses that are not a verdict."),
    )

    objects = StatusManager()
    history: ClassVar[Any]  # simple_history's manager, registered in claims/apps.py after the translation columns

    class Meta:
        verbose_name = _("status")
        ordering = ["scale", "order"]
        verbose_name_plural = _("statuses")
        constraints = [
            models.UniqueConstraint(fields=["scale", "slug"], name="status_slug_unique_per_scale"),
            models.UniqueConstraint(fields=["scale", "label"], name="status_label_unique_per_scale"),
            models.UniqueConstraint(
                fields=["scale"],
                condition=Q(is_default=True),
                name="status_one_default_per_scale",
                violation_error_message=_("Each scale has exactly one default status."),
            ),
            models.CheckConstraint(condition=Q(scale__in=Scale.values), name="status_scale_valid"),
            models.CheckConstraint(condition=Q(colour__regex=HEX_COLOUR_PATTERN), name="status_colour_hex"),
            models.CheckConstraint(condition=written_in_default_language("label"), name="status_label_written"),
            models.CheckConstraint(condition=written_in_default_language("meaning"), name="status_meaning_written"),
            models.CheckConstraint(
                condition=Q(rating_value__isnull=True) | Q(rating_value__gte=1, rating_value__lte=5),
                name="status_rating_value_1_to_5",
                violation_error_message=_("The rating value runs from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(is_default=False) | Q(is_final=False),
                name="status_default_is_not_final",
                violation_error_message=_("The default status cannot be a final verdict."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def text_colour(self) -> str:
        """Black or white, whichever reads better on the badge colour (WCAG relative luminance)."""

        def channel(hex_pair: str) -> float:
            value = int(hex_pair, 16) / 255
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        red, green, blue = (channel(self.colour[index : index + 2]) for index in (1, 3, 5))
        luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
        contrast_with_black = (luminance + 0.05) / 0.05
        contrast_with_white = 1.05 / (luminance + 0.05)
        return "#000000" if contrast_with_black >= contrast_with_white else "#ffffff"


class SourceKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    SOCIAL_POST = "social_post", _("Social media post")
    TRANSCRIPT = "transcript", _("Transcript")
    OFFICIAL_DOCUMENT = "official_document", _("Official document")
    VIDEO = "video", _("Video")


class Source(models.Model):
    """A place where something appeared: an article, a post, a transcript, a document, a video."""

    Kind = SourceKind

    url = models.URLField(
        _("URL"),
        max_length=1000,
        unique=True,
        help_text=_("Stored normalised (lower-case host, no tracking parameters or fragment)."),
    )
    title = models.CharField(verbose_name=_("title"), max_length=300)
    publisher = models.CharField(verbose_name=_("publisher"), max_length=200, blank=True)
    author = models.CharField(verbose_name=_("author"), max_length=200, blank=True)
    published_on = models.DateField(verbose_name=_("published on"), null=True, blank=True)
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=Kind.choices, default=Kind.ARTICLE)
    archive_url = models.URLField(_("archive URL"), max_length=1000, blank=True)
    version = models.PositiveIntegerField(verbose_name=_("version"), default=1, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]
        indexes = [
            # The newest edit to any source: part of the API cache's data version (api/caching.py).
            models.Index(fields=["updated_at"], name="source_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="source_url_http_or_https",
                violation_error_message=_("Source URLs must start with http:// or https://."),
            ),
            models.CheckConstraint(
                condition=Q(archive_url="")
                | Q(archive_url__startswith="http://")
                | Q(archive_url__startswith="https://"),
                name="source_archive_url_http_or_https",
                violation_error_message=_("Archive URLs must start with http:// or https://."),
            ),
            models.CheckConstraint(condition=Q(title__gt=""), name="source_title_not_blank"),
            models.CheckConstraint(condition=Q(kind__in=SourceKind.values), name="source_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher})" if self.publisher else self.title


PUBLISHED_CLAIM_DELETE_MESSAGE = _(
    "A claim that was ever published is never deleted: withdraw it with a reason instead."
)


class PublishedRecordDeleteError(ValidationError):
    """A published claim or timeline entry cannot be deleted; it is withdrawn or removed with a public note."""


class ClaimQuerySet(models.QuerySet["Claim"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(published_at__isnull=False).exists():
            raise PublishedRecordDeleteError(PUBLISHED_CLAIM_DELETE_MESSAGE)
        return super().delete()

    # --- Who may see a claim: the one place that says so (drafts 404, withdrawn 410) ---

    def published(self) -> ClaimQuerySet:
        """Claims the public sees."""
        return self.filter(published_through())

    def withdrawn(self) -> ClaimQuerySet:
        """Claims taken down with a public reason: their pages answer 410 Gone."""
        return self.filter(visibility=Visibility.WITHDRAWN)

    def withdrawal_notice(self, slug: str) -> Claim | None:
        """The withdrawn claim at ``slug``, with when and why it was withdrawn, or None."""
        return (
            self.withdrawn().filter(slug=slug).only("slug", "visibility", "withdrawn_at", "withdrawal_reason").first()
        )

    def visible(self, *, include_unpublished: bool) -> ClaimQuerySet:
        """Published claims, or every claim for a reader allowed drafts (an editor's API key)."""
        return self.all() if include_unpublished else self.published()

    def for_person(self, person: Person) -> ClaimQuerySet:
        return self.filter(claimant=person)

    def by_claimant_named(self, text: str) -> ClaimQuerySet:
        """Claims by the person whose slug is ``text``, or by anyone whose name contains it.

        One subquery over people (a small table), so it costs the same with a million claims. Blank
        text matches every claim.
        """
        text = text.strip()
        if not text:
            return self.all()
        matching = Person.objects.filter(Q(slug=text) | Q(name__icontains=text)).values("pk")
        return self.filter(claimant__in=matching)

    def top_level(self) -> ClaimQuerySet:
        return self.filter(parent__isnull=True)

    def past_deadline(self, today: datetime.date | None = None) -> ClaimQuerySet:
        """Claims whose deadline has passed while their status is not yet a final verdict."""
        today = today or timezone.localdate()
        return self.filter(deadline__lt=today, current_status__is_final=False)

    def stale(self, today: datetime.date | None = None, days: int | None = None) -> ClaimQuerySet:
        """Open claims with no status change for ``days`` (the STALE_AFTER_DAYS setting)."""
        today = today or timezone.localdate()
        cutoff = today - datetime.timedelta(days=days or settings.CLAIMTRACKER_STALE_AFTER_DAYS)
        return self.filter(current_status__is_final=False).filter(
            Q(status_changed_on__lt=cutoff) | Q(status_changed_on__isnull=True, made_on__lt=cutoff)
        )

    def awaiting(self, person: Person) -> ClaimQuerySet:
        """Claims whose outcome depends on a decision of ``person``."""
        return self.filter(must_act=person)

    # --- Which claims show a record (the API representation embeds it; the change feed follows) ---
    # Subqueries rather than joins, so each claim comes once whatever the number of links.

    def showing_person(self, person_id: int) -> ClaimQuerySet:
        """Claims that show the person: as claimant or among who must act."""
        must_act = self.model.must_act.through.objects.filter(person_id=person_id).values("claim_id")
        return self.filter(Q(claimant_id=person_id) | Q(pk__in=must_act))

    def showing_topic(self, topic_id: int) -> ClaimQuerySet:
        return self.filter(pk__in=self.model.topics.through.objects.filter(topic_id=topic_id).values("claim_id"))

    def showing_source(self, source_id: int) -> ClaimQuerySet:
        """Claims that show the source: quoted from, as an appearance, or as evidence in their public timeline.

        A removed update shows no evidence, so it does not count.
        """
        appearances = ClaimAppearance.objects.filter(source_id=source_id).values("claim_id")
        evidence = StatusUpdate.objects.in_record().filter(evidence=source_id).values("claim_id")
        return self.filter(Q(wording_source_id=source_id) | Q(pk__in=appearances) | Q(pk__in=evidence))

    def showing_status(self, status_id: int) -> ClaimQuerySet:
        """Claims that show the status: as their own, in their public timeline, or as their plan's or a component's."""
        timeline = StatusUpdate.objects.in_record().filter(status_id=status_id).values("claim_id")
        plans_of_components_at_it = self.model.objects.filter(current_status_id=status_id, parent__isnull=False).values(
            "parent_id"
        )
        return self.filter(
            Q(current_status_id=status_id)
            | Q(pk__in=timeline)
            | Q(parent__current_status_id=status_id)
            | Q(pk__in=plans_of_components_at_it)
        )

    def search(self, text: str) -> ClaimQuerySet:
        """Claims whose quote, summary or claimant's name has these words (full text, websearch syntax).

        PostgreSQL full-text search or SQLite FTS5, see ``claims.search``; the order is left as is.
        """
        from claims.search import search_claims

        return search_claims(self, text)

    def with_status_as_of(self, day: datetime.date) -> ClaimQuerySet:
        """The claims as the published record stood at the end of ``day``.

        Keeps claims made and published by then (a claim dated only to a month or a range counts from
        its first possible day), and annotates each with ``status_as_of_id``:
        the status of its latest update in effect by ``day`` among those published by then and
        not replaced by a correction published by then, counting an entry removed later as it then
        stood — the scale's default if there is none.
        Later updates, corrections and backdated entries recorded after ``day`` do not count, so
        a figure such as "pledges kept at day 100" stays the same whenever it is asked.
        """
        from claims.dates import end_of_day as first_instant_after

        end_of_day = first_instant_after(day)
        in_effect = (
            StatusUpdate.objects.standing(by=end_of_day)
            .filter(claim=OuterRef("pk"), effective_on__lte=day)
            .newest_first()
        )
        default = Status.objects.filter(scale=OuterRef("scale"), is_default=True).values("id")[:1]
        return self.filter(made_on__lte=day, published_at__lt=end_of_day).annotate(
            status_as_of_id=Coalesce(
                Subquery(in_effect.values("status_id")[:1]), Subquery(default), output_field=models.BigIntegerField()
            ),
            status_as_of_since=Subquery(in_effect.values("effective_on")[:1]),
        )

    def at_status(self, statuses: Iterable[int] | models.QuerySet) -> ClaimQuerySet:
        """Claims standing at any of ``statuses`` (ids, or a query of them).

        After ``with_status_as_of`` that is the status as of its date; otherwise the current one.
        """
        field = "status_as_of_id" if "status_as_of_id" in self.query.annotations else "current_status_id"
        return self.filter(**{f"{field}__in": statuses})

    def with_list_related(self) -> ClaimQuerySet:
        # Every list shows the claimant and the status badge.
        return self.select_related("claimant", "current_status")


_ClaimManagerBase = models.Manager.from_queryset(ClaimQuerySet)


class ClaimManager(MultilingualManager["Claim"], _ClaimManagerBase):
    pass


class Claim(TranslatedTextsModel):
    """Something a person or organisation said they would do, or said was so."""

    claimant = models.ForeignKey(Person, verbose_name=_("claimant"), on_delete=models.PROTECT, related_name="claims")
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=ClaimKind.choices, default=ClaimKind.PLEDGE)
    # Derived from ``kind`` by the services; stored so the database can check statuses against it.
    scale = models.CharField(verbose_name=_("scale"), max_length=20, choices=Scale.choices, editable=False)
    quote = models.TextField(
        _("claim text"),
        help_text=_("The claim as the source words it. Its wording says whether these are the speaker's own words."),
    )
    wording = models.CharField(
        verbose_name=_("wording"),
        max_length=20,
        choices=Wording.choices,
        default=Wording.PARAPHRASE,
        help_text=_(
            "A verbatim quote is shown in quotation marks; a paraphrase never is; a translation names "
            "the original language."
        ),
    )
    wording_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quoted from"),
        help_text=_(
            "The source these words are taken from (required for a quote or a translation); for a "
            "paraphrase, who reported it."
        ),
    )
    original_language = models.CharField(
        verbose_name=_("original language"),
        max_length=35,
        blank=True,
        help_text=_('For a translation: the language the claim was made in, as a language tag such as "uk" or "ru".'),
    )
    original_text = models.TextField(
        verbose_name=_("original text"),
        blank=True,
        help_text=_("For a translation: the claim in the original language, when the source gives it."),
    )
    summary = models.CharField(
        verbose_name=_("summary"),
        max_length=SUMMARY_MAX_LENGTH,
        help_text=SUMMARY_HELP_TEXT,
    )
    slug = models.SlugField(
        verbose_name=_("slug"), max_length=140, unique=True, help_text=_("Used in the claim's public URL.")
    )
    made_on = models.DateField(
        _("first made on"), help_text=_("The day, or the first day of the month, year or range the source allows.")
    )
    made_on_precision = models.CharField(
        _("date precision"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("State no more than the source does: a month, a year or a range when it gives no day."),
    )
    made_until = models.DateField(
        _("made until"),
        null=True,
        blank=True,
        help_text=_("For a range: the last day the claim may have been made."),
    )
    deadline = models.DateField(
        verbose_name=_("deadline"), null=True, blank=True, help_text=_("When the claimant said it would be done.")
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="claims")
    must_act = models.ManyToManyField(
        Person,
        blank=True,
        related_name="claims_awaiting_their_decision",
        verbose_name=_("who must act"),
        help_text=_("The people or bodies whose decision the claim depends on, e.g. Congress for a budget pledge."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="components",
        help_text=_("The plan this claim is a component of."),
    )
    term = models.ForeignKey(
        "people.Term",
        verbose_name=_("term of office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
        help_text=_(
            "For a pledge or plan: the claimant's term of office it was made for. Its scorecard counts it, "
            "and an empty deadline becomes the term's last day."
        ),
    )
    current_status = models.ForeignKey(
        Status,
        verbose_name=_("current status"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text=_("Kept equal to the timeline."),
    )
    status_changed_on = models.DateField(verbose_name=_("status changed on"), null=True, blank=True, editable=False)
    visibility = models.CharField(
        verbose_name=_("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.DRAFT
    )
    published_at = models.DateTimeField(verbose_name=_("published at"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(verbose_name=_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(
        verbose_name=_("withdrawal reason"),
        blank=True,
        editable=False,
        help_text=_("Shown publicly where the claim was, and in the corrections log."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(verbose_name=_("version"), default=1, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = ClaimManager()
    # Every create, edit, status change and delete, with who and when. The timeline itself is
    # append-only and needs no history of its own.
    history: ClassVar[Any]  # simple_history's manager, registered in claims/apps.py after the translation columns

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-made_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="claim_not_own_parent",
                violation_error_message=_("A claim cannot be a component of itself."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=F("made_on")),
                name="claim_deadline_not_before_made_on",
                violation_error_message=_("The deadline cannot be before the date the claim was made."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[ClaimKind.PLEDGE, ClaimKind.PLAN], scale=Scale.PROMISE)
                | Q(kind__in=[ClaimKind.STATEMENT, ClaimKind.FACTUAL_CLAIM], scale=Scale.FACT_CHECK),
                name="claim_scale_matches_kind",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("summary"), SUMMARY_MAX_LENGTH),
                name="claim_summary_max_length",
                violation_error_message=SUMMARY_TOO_LONG_MESSAGE,
            ),
            models.CheckConstraint(condition=Q(summary__gt=""), name="claim_summary_not_blank"),
            models.CheckConstraint(condition=written_in_default_language("summary"), name="claim_summary_written"),
            # Translations obey the summary's length in every language, SQLite included.
            *(
                models.CheckConstraint(
                    condition=LessThanOrEqual(Length(f"summary_{code}"), SUMMARY_MAX_LENGTH),
                    name=f"claim_summary_{code}_max_length",
                    violation_error_message=SUMMARY_TOO_LONG_MESSAGE,
                )
                for code in TEXT_LANGUAGES
            ),
            models.CheckConstraint(condition=Q(quote__gt=""), name="claim_quote_not_blank"),
            models.CheckConstraint(condition=Q(slug__gt=""), name="claim_slug_not_blank"),
            models.CheckConstraint(condition=Q(visibility__in=Visibility.values), name="claim_visibility_valid"),
            models.CheckConstraint(
                condition=Q(visibility=Visibility.DRAFT) | Q(published_at__isnull=False),
                name="claim_published_has_published_at",
            ),
            models.CheckConstraint(condition=Q(wording__in=Wording.values), name="claim_wording_valid"),
            models.CheckConstraint(
                condition=Q(wording=Wording.PARAPHRASE) | Q(wording_source__isnull=False),
                name="claim_quote_names_its_source",
                violation_error_message=_("A quote or a translation names the source its words are taken from."),
            ),
            models.CheckConstraint(
                condition=~Q(wording=Wording.TRANSLATION) | Q(original_language__gt=""),
                name="claim_translation_names_language",
                violation_error_message=_("A translation names the language the claim was made in."),
            ),
            models.CheckConstraint(
                condition=Q(made_on_precision__in=DatePrecision.values), name="claim_made_on_precision_valid"
            ),
            models.CheckConstraint(
                # made_until IS NOT NULL spelled out: a NULL comparison would let the CHECK pass.
                condition=Q(
                    made_on_precision=DatePrecision.RANGE, made_until__isnull=False, made_until__gt=F("made_on")
                )
                | (~Q(made_on_precision=DatePrecision.RANGE) & Q(made_until__isnull=True)),
                name="claim_range_has_later_end",
                violation_error_message=_("A range of dates ends after it starts; other precisions have no end date."),
            ),
            models.CheckConstraint(
                condition=Q(term__isnull=True) | Q(scale=Scale.PROMISE),
                name="claim_term_only_for_promises",
                violation_error_message=_("Only a pledge or a plan belongs to a term of office."),
            ),
            models.CheckConstraint(
                condition=~Q(visibility=Visibility.WITHDRAWN) | Q(withdrawal_reason__gt=""),
                name="claim_withdrawal_has_reason",
                violation_error_message=_("Say why the claim is withdrawn: the reason is published."),
            ),
        ]
        indexes = [
            # The public list and the API list: published claims, most recently changed first.
            models.Index(fields=["visibility", "-updated_at"], name="claim_visible_updated_idx"),
            # Admin "stale" filter and the status roll-ups.
            models.Index(fields=["current_status", "status_changed_on"], name="claim_status_changed_idx"),
            # The newest change to any claim: the public lists' Last-Modified and ETag, and the
            # cache keys of cached pages and API answers.
            models.Index(fields=["updated_at"], name="claim_updated_idx"),
            # The public list sorted by the date claims were made ("newest" and "oldest" first).
            models.Index(fields=["visibility", "made_on", "id"], name="claim_visible_made_idx"),
        ]

    def __str__(self) -> str:
        return self.summary

    def get_absolute_url(self) -> str:
        return reverse("public:claim-detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return Visibility(self.visibility).is_public

    @property
    def is_withdrawn(self) -> bool:
        return Visibility(self.visibility).is_withdrawn

    @property
    def is_quotation(self) -> bool:
        return Wording(self.wording).is_quotation

    @property
    def made_on_display(self) -> str:
        from claims.dates import describe_period

        return describe_period(self.made_on, self.made_on_precision, self.made_until)

    @property
    def made_when(self) -> str:
        """When the claim was made, as it follows "made": "on 7 November 2024", "in September 2024"."""
        from claims.dates import describe_period_in_sentence

        return describe_period_in_sentence(self.made_on, self.made_on_precision, self.made_until)

    @property
    def made_on_iso(self) -> str:
        from claims.dates import iso_period

        return iso_period(self.made_on, self.made_on_precision, self.made_until)

    @property
    def made_on_latest(self) -> datetime.date:
        """The last day the claim may have been made, given the precision of its date."""
        from claims.dates import period_end

        return period_end(self.made_on, self.made_on_precision, self.made_until)

    def delete(self, *args, **kwargs):
        if self.published_at is not None:
            raise PublishedRecordDeleteError(PUBLISHED_CLAIM_DELETE_MESSAGE)
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        from claims.dates import normalise_period_start

        errors: dict[str, list[str]] = {}
        if self.made_on is not None and self.made_on_precision in DatePrecision.values:
            self.made_on = normalise_period_start(self.made_on, self.made_on_precision)
            if self.made_on_precision != DatePrecision.RANGE:
                self.made_until = None
            elif self.made_until is None:
                errors.setdefault("made_until", []).append(gettext("A range needs its last day."))
            elif self.made_until <= self.made_on:
                errors.setdefault("made_until", []).append(gettext("The range must end after it starts."))
        if self.wording != Wording.PARAPHRASE and self.wording_source_id is None:
            errors.setdefault("wording_source", []).append(
                gettext("Name the source these words are quoted from, or mark the text as a paraphrase.")
            )
        if self.wording == Wording.TRANSLATION and not self.original_language.strip():
            errors.setdefault("original_language", []).append(gettext("Name the language the claim was made in."))
        if self.parent_id is not None:
            if self.pk is not None and self.parent_id == self.pk:
                errors.setdefault("parent", []).append(gettext("A claim cannot be a component of itself."))
            elif self.parent is not None:
                if self.parent.kind != ClaimKind.PLAN:
                    errors.setdefault("parent", []).append(gettext("Only a plan can have components."))
                if self.pk is not None and self.pk in self.parent.ancestor_ids():
                    errors.setdefault("parent", []).append(
                        gettext("That would make a cycle: the chosen plan is already a component of this claim.")
                    )
        if self.pk is not None and self.kind != ClaimKind.PLAN and self.components.exists():
            errors.setdefault("kind", []).append(
                gettext("This plan has components, so it stays a plan: move its components to another plan first.")
            )
        if self.summary and len(self.summary) > SUMMARY_MAX_LENGTH:
            errors.setdefault("summary", []).append(summary_too_long_message())
        if self.term_id is not None and self.term is not None:
            if self.kind in SCALE_OF_KIND and SCALE_OF_KIND[self.kind] != Scale.PROMISE:
                errors.setdefault("term", []).append(gettext("Only a pledge or a plan belongs to a term of office."))
            if self.claimant_id is not None and self.term.person_id != self.claimant_id:
                errors.setdefault("term", []).append(gettext("Choose a term of office of the claimant."))
            if self.term.ends_on is not None and self.made_on is not None and self.made_on > self.term.ends_on:
                errors.setdefault("term", []).append(gettext("The claim was made after this term ended."))
        if errors:
            raise ValidationError(errors)

    def ancestor_ids(self) -> list[int]:
        """Ids of this claim and the plans above it, nearest first; stops at a cycle."""
        seen: list[int] = []
        current: Claim | None = self
        while current is not None and current.pk not in seen:
            seen.append(current.pk)
            current = current.parent
        return seen

    def status_rollup(self) -> list[tuple[Status, int]]:
        """How many published components stand at each status, in scale order."""
        counts: dict[int, int] = {}
        statuses: dict[int, Status] = {}
        for component in self.components.all():
            if not component.is_public:
                continue
            statuses[component.current_status_id] = component.current_status
            counts[component.current_status_id] = counts.get(component.current_status_id, 0) + 1
        return [(statuses[pk], counts[pk]) for pk in sorted(statuses, key=lambda pk: statuses[pk].order)]


class ClaimAppearance(models.Model):
    """A place where a claim was made: its first appearance or a later restatement."""

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="appearances")
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="appearances")
    is_first_appearance = models.BooleanField(_("first appearance"), default=False)
    excerpt = models.TextField(_("quoted excerpt"), blank=True)

    class Meta:
        verbose_name = _("claim appearance")
        verbose_name_plural = _("claim appearances")
        ordering = ["-is_first_appearance", "source__published_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source"],
                name="appearance_unique_per_claim_and_source",
                violation_error_message=_("This source is already listed for the claim."),
            ),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(is_first_appearance=True),
                name="appearance_one_first_per_claim",
                violation_error_message=_("A claim has only one first appearance."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim} — {self.source}"


PUBLISHED_UPDATE_DELETE_MESSAGE = _(
    "A published status update is never deleted: record a correction, or remove it with a public reason."
)


def not_on_scale_message(status: Status, scale: str) -> str:
    """Why ``status`` cannot be recorded for a claim rated on ``scale``: one whole sentence per scale."""
    if scale == Scale.PROMISE:
        message = gettext("“%(status)s” is not on the promise scale this claim is rated on.")
    elif scale == Scale.FACT_CHECK:
        message = gettext("“%(status)s” is not on the fact-check scale this claim is rated on.")
    else:
        message = gettext("“%(status)s” is not on the scale this claim is rated on.")
    return message % {"status": status}


class StatusUpdateQuerySet(models.QuerySet["StatusUpdate"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(published_at__isnull=False).exists():
            raise PublishedRecordDeleteError(PUBLISHED_UPDATE_DELETE_MESSAGE)
        return super().delete()

    def published(self) -> StatusUpdateQuerySet:
        """Updates that were ever published, removed ones included (they stay in the timeline as a note)."""
        return self.filter(published_at__isnull=False)

    def of_published_claims(self) -> StatusUpdateQuerySet:
        return self.filter(published_through("claim"))

    def in_record(self, *, by: datetime.datetime | None = None) -> StatusUpdateQuerySet:
        """Published updates that have not been removed: the ones that count towards a status.

        With ``by``, as the record stood just before that moment: published before it, and
        not removed by then (an entry removed later counts as it then stood).
        """
        if by is None:
            return self.filter(published_at__isnull=False, removed_at__isnull=True)
        return self.filter(Q(published_at__lt=by) & (Q(removed_at__isnull=True) | Q(removed_at__gte=by)))

    def removed(self) -> StatusUpdateQuerySet:
        return self.filter(removed_at__isnull=False)

    def drafts(self) -> StatusUpdateQuerySet:
        """Not yet published, awaiting approval included."""
        return self.filter(published_at__isnull=True)

    def awaiting_approval(self) -> StatusUpdateQuerySet:
        return self.filter(published_at__isnull=True, submitted_at__isnull=False)

    def not_corrected(self, *, by: datetime.datetime | None = None) -> StatusUpdateQuerySet:
        """Updates that no correction in the record (as it stood ``by``, if given) replaces."""
        corrections = StatusUpdate.objects.in_record(by=by).filter(corrects=OuterRef("pk"))
        return self.filter(~Exists(corrections))

    def standing(self, *, by: datetime.datetime | None = None) -> StatusUpdateQuerySet:
        """The updates that count towards a status: in the record and not corrected (as of ``by``, if given).

        The latest of them in ``in_effect_order`` sets the status; ``claims.timeline.latest_in_effect``
        is the same rule for a timeline already in memory.
        """
        return self.in_record(by=by).not_corrected(by=by)

    def in_effect_order(self) -> StatusUpdateQuerySet:
        """Latest last (TIMELINE_ORDER): by the date the change took effect, then by when it was recorded."""
        return self.order_by(*TIMELINE_ORDER)

    def newest_first(self) -> StatusUpdateQuerySet:
        """The timeline as shown: the update in effect first."""
        return self.order_by(*TIMELINE_ORDER_NEWEST_FIRST)

    def timeline(self) -> StatusUpdateQuerySet:
        # The timeline shows each update's status, its byline and what it corrects.
        return self.select_related("status", "recorded_by", "corrects").prefetch_related("evidence").newest_first()


_StatusUpdateManagerBase = models.Manager.from_queryset(StatusUpdateQuerySet)


class StatusUpdateManager(MultilingualManager["StatusUpdate"], _StatusUpdateManagerBase):
    pass


class StatusUpdate(TranslatedTextsModel):
    """An entry of a claim's timeline. Append-only: a mistake is fixed by a correcting update."""

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="status_updates")
    status = models.ForeignKey(Status, verbose_name=_("status"), on_delete=models.PROTECT, related_name="updates")
    effective_on = models.DateField(_("took effect on"))
    rationale = models.TextField(
        verbose_name=_("rationale"), help_text=_("Public explanation of the rating, citing the evidence.")
    )
    evidence = models.ManyToManyField(Source, verbose_name=_("evidence"), blank=True, related_name="evidence_for")
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text=_("The earlier update this one corrects."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(verbose_name=_("recorded at"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(
        verbose_name=_("published at"), null=True, blank=True, editable=False, help_text=_("Empty while a draft.")
    )
    # A verdict waiting for a second editor (CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL): submitted, not published.
    submitted_at = models.DateTimeField(verbose_name=_("submitted at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(verbose_name=_("approved at"), null=True, blank=True, editable=False)
    # A published update is never deleted; a removal (legal, privacy) keeps the row and a public note.
    removed_at = models.DateTimeField(verbose_name=_("removed at"), null=True, blank=True, editable=False)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    removal_reason = models.TextField(
        verbose_name=_("removal reason"), blank=True, editable=False, help_text=_("Published in the timeline.")
    )

    objects = StatusUpdateManager()
    # Updates are never edited; this records the rare superuser delete, with who and when.
    history: ClassVar[Any]  # simple_history's manager, registered in claims/apps.py after the translation columns

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = list(TIMELINE_ORDER_NEWEST_FIRST)
        get_latest_by = list(TIMELINE_ORDER)
        constraints = [
            models.CheckConstraint(
                condition=~Q(corrects=F("id")),
                name="statusupdate_not_own_correction",
                violation_error_message=_("An update cannot correct itself."),
            ),
            models.UniqueConstraint(
                fields=["corrects"],
                name="statusupdate_corrected_once",
                violation_error_message=_("This update has already been corrected; correct the correction instead."),
            ),
            models.CheckConstraint(condition=Q(rationale__gt=""), name="statusupdate_rationale_not_blank"),
            models.CheckConstraint(
                condition=written_in_default_language("rationale"), name="statusupdate_rationale_written"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("recorded_by")),
                name="statusupdate_approved_by_another_editor",
                violation_error_message=_("A verdict is approved by an editor other than the one who recorded it."),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                | Q(approved_by__isnull=False, approved_at__isnull=False, published_at__isnull=False),
                name="statusupdate_approval_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True, removal_reason="")
                | Q(removed_at__isnull=False, removal_reason__gt="", published_at__isnull=False),
                name="statusupdate_removal_has_reason",
                violation_error_message=_("A removal says why; only published updates are removed."),
            ),
        ]
        indexes = [
            # The change feed and "recently updated" lists read updates in recording order.
            models.Index(fields=["recorded_at", "id"], name="statusupdate_recorded_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.claim} → {self.status} ({self.effective_on})"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None

    @property
    def is_awaiting_approval(self) -> bool:
        return self.published_at is None and self.submitted_at is not None

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    def delete(self, *args, **kwargs):
        if self.published_at is not None:
            raise PublishedRecordDeleteError(PUBLISHED_UPDATE_DELETE_MESSAGE)
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        from claims.dates import describe_day, future_status_error

        errors: dict[str, list[str]] = {}
        if in_future := future_status_error(self.effective_on):
            errors.setdefault("effective_on", []).append(in_future)
        claim = self.claim if self.claim_id else None
        if claim is not None:
            if self.status_id is not None and self.status.scale != claim.scale:
                errors.setdefault("status", []).append(not_on_scale_message(self.status, claim.scale))
            if self.effective_on is not None and claim.made_on is not None and self.effective_on < claim.made_on:
                errors.setdefault("effective_on", []).append(
                    gettext("A status cannot take effect before the claim was made (%(day)s).")
                    % {"day": describe_day(claim.made_on)}
                )
            if self.corrects is not None and self.corrects.claim_id != claim.pk:
                errors.setdefault("corrects", []).append(
                    gettext("A correction must correct an update of the same claim.")
                )
        if errors:
            raise ValidationError(errors)


class ChangeKind(models.TextChoices):
    CREATED = "claim_created", _("Claim created")
    EDITED = "claim_edited", _("Claim edited")
    PUBLISHED = "claim_published", _("Claim published")
    UNPUBLISHED = "claim_unpublished", _("Claim returned to draft")
    WITHDRAWN = "claim_withdrawn", _("Claim withdrawn")
    STATUS_RECORDED = "status_recorded", _("Status update recorded")
    CORRECTION_RECORDED = "correction_recorded", _("Correction recorded")
    STATUS_REMOVED = "status_removed", _("Status update removed")


class ClaimChangeQuerySet(models.QuerySet["ClaimChange"]):
    def after(self, cursor: int) -> ClaimChangeQuerySet:
        return self.filter(pk__gt=cursor).order_by("pk")


class ClaimChange(models.Model):
    """An append-only log of every write to a claim, in commit order: the partner change feed.

    The services write one row in the same transaction as the change, holding a lock so that
    ids are handed out in the order the transactions commit; a partner that remembers the
    last id it saw gets exactly what changed since.
    """

    Kind = ChangeKind

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(verbose_name=_("kind"), max_length=30, choices=Kind.choices)
    # The log outlives a (superuser's) delete of the update it mentions.
    status_update = models.ForeignKey(
        StatusUpdate,
        verbose_name=_("status update"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
    )
    # The claim's visibility right after this change: mirrors drop claims that are not published.
    visibility = models.CharField(verbose_name=_("visibility"), max_length=20, choices=Visibility.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(verbose_name=_("recorded at"), default=timezone.now)
    # Why a claim was withdrawn or an update removed: public, in the feed's tombstone and the corrections log.
    note = models.TextField(verbose_name=_("note"), blank=True)

    objects = ClaimChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim change")
        verbose_name_plural = _("claim changes")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ChangeKind.values), name="claimchange_kind_valid"),
            models.CheckConstraint(
                condition=Q(status_update__isnull=True)
                | Q(kind__in=[ChangeKind.STATUS_RECORDED, ChangeKind.CORRECTION_RECORDED, ChangeKind.STATUS_REMOVED]),
                name="claimchange_status_update_only_for_status_kinds",
            ),
        ]
        indexes = [
            # "What changed for this claim", newest first (the claim's sync history).
            models.Index(fields=["claim", "-id"], name="claimchange_claim_idx"),
            # The corrections log: corrections, removals and withdrawals, newest first.
            models.Index(fields=["kind", "-id"], name="claimchange_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}: {self.claim}"
