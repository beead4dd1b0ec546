"""The JSON representations partners read, and the bodies editors' keys may write."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any, cast

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from api.representations import LANGUAGE_CODES, shaped_object, text_translations, translations_wanted
from claims.dates import future_status_error
from claims.models import (
    Claim,
    ClaimAppearance,
    ClaimChange,
    ClaimKind,
    DatePrecision,
    Source,
    Status,
    StatusUpdate,
    Topic,
    Visibility,
    Wording,
)
from claims.text_languages import text_language
from people.models import Person, Term


def standing_corrections(timeline: list[StatusUpdate]) -> dict[int, int]:
    """Update id -> id of the correction that replaces it; a removed correction replaces nothing."""
    return {update.corrects_id: update.pk for update in timeline if update.corrects_id and update.removed_at is None}


def _absolute(context: Mapping[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def language_of(text: str, *, allow_null: bool = False) -> serializers.ChoiceField:
    """``<text>_language``: which language a translated text is given in."""
    return serializers.ChoiceField(
        choices=LANGUAGE_CODES,
        read_only=True,
        allow_null=allow_null,
        help_text=f"The language `{text}` is given in: the one asked for (`lang`, else Accept-Language) when the "
        "desk has translated it, else `en`, the language the desk writes in.",
    )


def translations_field() -> serializers.DictField:
    """``translations``: present only with ``translations=true``."""
    # Not read-only: drf-spectacular marks read-only fields required, and this one is optional.
    return serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_null=True)),
        required=False,
        help_text="Only with `translations=true`: each translated text of this object in every language "
        "(`en`, `uk`, `ru`), null where the desk has no translation. The English text is the desk's own.",
    )


class StatusSerializer(serializers.ModelSerializer):
    """A status of a rating scale, its label and meaning in the language asked for."""

    label_language = serializers.SerializerMethodField(help_text="The language `label` is given in.")
    meaning_language = serializers.SerializerMethodField(help_text="The language `meaning` is given in.")

    class Meta:
        model = Status
        fields = [
            *("scale", "slug", "label", "label_language", "meaning", "meaning_language", "colour", "order"),
            *("is_final", "is_default", "rating_value"),
        ]

    @extend_schema_field(serializers.ChoiceField(choices=LANGUAGE_CODES))
    def get_label_language(self, status: Status) -> str:
        return text_language(status, "label")

    @extend_schema_field(serializers.ChoiceField(choices=LANGUAGE_CODES))
    def get_meaning_language(self, status: Status) -> str:
        return text_language(status, "meaning")

    def to_representation(self, instance: Status) -> dict[str, Any]:
        shown = super().to_representation(instance)
        if translations_wanted.get():
            shown["translations"] = {field: text_translations(instance, field) for field in ("label", "meaning")}
        return shown


class StatusBadgeSerializer(serializers.ModelSerializer):
    label_language = language_of("label")
    translations = translations_field()

    class Meta:
        model = Status
        fields = ["scale", "slug", "label", "label_language", "is_final", "rating_value", "colour", "translations"]


class PersonSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "slug", "name", "kind"]


class PersonSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()
    claims_url = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            *("id", "slug", "name", "kind", "role", "country", "bio", "wikidata_id"),
            *("url", "public_url", "claims_url", "updated_at"),
        ]

    def get_url(self, person: Person) -> str:
        return _absolute(self.context, reverse("api:person-detail", kwargs={"slug": person.slug}))

    def get_public_url(self, person: Person) -> str:
        return _absolute(self.context, person.get_absolute_url())

    def get_claims_url(self, person: Person) -> str:
        return _absolute(self.context, f"{reverse('api:claim-list')}?claimant={person.slug}")


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "url", "title", "publisher", "author", "published_on", "kind", "archive_url"]


class TopicSerializer(serializers.ModelSerializer):
    name_language = language_of("name")
    translations = translations_field()

    class Meta:
        model = Topic
        fields = ["slug", "name", "name_language", "translations"]


class AppearanceSerializer(serializers.ModelSerializer):
    # The stubs see Field.source (a str) here; DRF's metaclass moves a declared field out of the class.
    source = SourceSerializer()  # type: ignore[assignment]

    class Meta:
        model = ClaimAppearance
        fields = ["source", "is_first_appearance", "excerpt"]


class StatusUpdateSerializer(serializers.ModelSerializer):
    """A timeline entry. A removed entry keeps its place (id, date) but not its content."""

    status = serializers.SerializerMethodField()
    rationale = serializers.SerializerMethodField()
    rationale_language = language_of("rationale", allow_null=True)
    evidence = serializers.SerializerMethodField()
    corrects = serializers.IntegerField(
        source="corrects_id", allow_null=True, help_text="Id of the update this corrects."
    )
    corrected_by = serializers.SerializerMethodField(
        help_text="Id of the published, standing update that corrects this one."
    )
    approved_at = serializers.DateTimeField(
        allow_null=True, help_text="When a second editor approved this verdict; null if it needed no approval."
    )
    removed_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When this update was taken out of the record (legal or privacy grounds); its status, "
        "rationale and evidence are then withheld and it no longer counts towards the claim's status.",
    )
    removal_reason = serializers.SerializerMethodField(help_text="Why it was removed, as published; null if not.")
    translations = translations_field()

    class Meta:
        model = StatusUpdate
        fields = [
            *(
                "id",
                "status",
                "effective_on",
                "rationale",
                "rationale_language",
                "evidence",
                "corrects",
                "corrected_by",
            ),
            *("recorded_at", "approved_at", "removed_at", "removal_reason", "translations"),
        ]

    @extend_schema_field(StatusBadgeSerializer(allow_null=True))
    def get_status(self, update: StatusUpdate) -> dict | None:
        return None if update.is_removed else StatusBadgeSerializer(update.status).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_rationale(self, update: StatusUpdate) -> str | None:
        return None if update.is_removed else update.rationale

    @extend_schema_field(SourceSerializer(many=True))
    def get_evidence(self, update: StatusUpdate) -> list[dict]:
        return [] if update.is_removed else cast(list[dict], SourceSerializer(update.evidence.all(), many=True).data)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_corrected_by(self, update: StatusUpdate) -> int | None:
        return getattr(update, "corrected_by_id", None)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_removal_reason(self, update: StatusUpdate) -> str | None:
        return update.removal_reason if update.is_removed else None


class ClaimReferenceSerializer(serializers.ModelSerializer):
    """A claim named inside another: its plan or one of its components."""

    status: serializers.SlugRelatedField[Status] = serializers.SlugRelatedField(
        source="current_status", slug_field="slug", read_only=True
    )
    summary_language = language_of("summary")
    translations = translations_field()

    class Meta:
        model = Claim
        fields = ["id", "slug", "summary", "summary_language", "kind", "status", "translations"]


class ClaimSerializer(serializers.ModelSerializer):
    """The schema of a claim's JSON (OpenAPI, docs); the JSON itself is built by ``api.representations``.

    ``tests/test_bench_api_representation.py`` checks this names the fields the representation
    builds. Its methods only type the fields for drf-spectacular; it never serialises a claim.
    """

    claimant = PersonSummarySerializer()
    current_status = StatusBadgeSerializer()
    topics = TopicSerializer(many=True)
    must_act = PersonSummarySerializer(many=True, help_text="Who must act: the people or bodies the claim waits on.")
    # The stubs see Field.parent (the enclosing serializer); DRF's metaclass moves a declared field out of the class.
    parent = serializers.SerializerMethodField()  # type: ignore[assignment]
    components = serializers.SerializerMethodField()
    appearances = AppearanceSerializer(many=True)
    timeline = serializers.SerializerMethodField(
        help_text="Published status updates, newest first; removed ones as a dated note with the reason."
    )
    url = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()
    wording = serializers.ChoiceField(
        choices=Wording.choices,
        help_text="`verbatim`: `quote` is the speaker's exact words; `translation`: a translation of them; "
        "`paraphrase`: reported speech, never to be shown in quotation marks.",
    )
    wording_source = SourceSerializer(
        allow_null=True,
        help_text="The source the words are quoted from (always set for a quote or a translation); for a "
        "paraphrase, who reported it, or null.",
    )
    original_language = serializers.CharField(
        help_text="For a translation: the language tag of the original, e.g. `uk`; otherwise empty."
    )
    original_text = serializers.CharField(help_text="For a translation: the claim in its original language, if known.")
    made_on = serializers.DateField(
        help_text="The first day the claim may have been made (lists sort by it): read it with `made_on_precision`."
    )
    made_on_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, help_text="How precisely the source dates the claim: day, month, year or range."
    )
    made_until = serializers.DateField(allow_null=True, help_text="For a range: the last day it may have been made.")
    term = serializers.IntegerField(
        source="term_id",
        allow_null=True,
        help_text="For a pledge or plan: the id of the claimant's term of office it was made for "
        "(`/api/v1/terms/{id}`, whose scorecard counts it), or null.",
    )
    summary_language = language_of("summary")
    translations = translations_field()
    made_on_period = serializers.CharField(
        source="made_on_iso",
        help_text="The date at its known precision in ISO 8601: `2024-11-07`, `2024-09`, `2024`, or an interval "
        "such as `2024-02/2024-11`. Show this, not `made_on`, to avoid claiming a day that is not known.",
    )

    class Meta:
        model = Claim
        fields = [
            *("id", "slug", "url", "public_url", "kind", "scale", "claimant", "summary", "summary_language", "quote"),
            *("wording", "wording_source", "original_language", "original_text"),
            *("made_on", "made_on_precision", "made_until", "made_on_period"),
            *("deadline", "term", "topics", "must_act", "current_status", "status_changed_on"),
            *("parent", "components"),
            *("appearances", "timeline", "visibility", "version", "published_at", "created_at", "updated_at"),
            "translations",
        ]

    @extend_schema_field(ClaimReferenceSerializer(allow_null=True))
    def get_parent(self, claim: Claim) -> dict | None:
        parent = claim.parent
        if parent is None or not (parent.visibility == Visibility.PUBLISHED or self.context.get("include_unpublished")):
            return None
        return ClaimReferenceSerializer(parent).data

    @extend_schema_field(ClaimReferenceSerializer(many=True))
    def get_components(self, claim: Claim) -> list[dict]:
        # Schema only (to_representation raises): never called, so no queryset sets this attribute.
        return cast(list[dict], ClaimReferenceSerializer(claim.visible_components, many=True).data)  # type: ignore[attr-defined]

    @extend_schema_field(StatusUpdateSerializer(many=True))
    def get_timeline(self, claim: Claim) -> list[dict]:
        # Schema only (to_representation raises): never called, so no queryset sets this attribute.
        timeline = claim.published_timeline  # type: ignore[attr-defined]
        corrected_by = standing_corrections(timeline)
        for update in timeline:
            update.corrected_by_id = corrected_by.get(update.pk)
        return cast(list[dict], StatusUpdateSerializer(timeline, many=True).data)

    def get_url(self, claim: Claim) -> str:
        return _absolute(self.context, reverse("api:claim-detail", kwargs={"pk": claim.pk}))

    def get_public_url(self, claim: Claim) -> str:
        return _absolute(self.context, claim.get_absolute_url())

    def to_representation(self, instance: Any) -> dict[str, Any]:
        # One home per rule: a second way to build the claim's JSON would drift from the first.
        raise NotImplementedError("A claim's JSON is built by api.representations.ClaimRepresenter.")


class TombstoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    deleted = serializers.BooleanField(help_text="Always true: remove this claim from your mirror.")
    reason = serializers.CharField(
        allow_null=True, help_text="Why the claim was withdrawn, as published where it was (null if not given)."
    )


class ChangeSerializer(serializers.ModelSerializer):
    """An entry of the change feed (the claim representation is filled in by the view)."""

    claim = serializers.SerializerMethodField(
        help_text="The claim as it is now, or a tombstone `{id, deleted: true}` if it is not published now."
    )
    related = serializers.SerializerMethodField(
        help_text="Other claims this change altered (the plan a component belongs to): upsert or delete them too."
    )
    status_update = serializers.IntegerField(source="status_update_id", allow_null=True)
    reason = serializers.SerializerMethodField(
        help_text="For `claim_withdrawn` and `status_removed`: the published reason; null otherwise."
    )

    class Meta:
        model = ClaimChange
        fields = ["id", "kind", "recorded_at", "claim", "status_update", "related", "reason"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reason(self, change: ClaimChange) -> str | None:
        return change.note or None

    @extend_schema_field(
        PolymorphicProxySerializer(
            component_name="ClaimOrTombstone",
            serializers=[ClaimSerializer, TombstoneSerializer],
            resource_type_field_name=None,
        )
    )
    def get_claim(self, change: ClaimChange) -> dict:
        return self.context["representations"][change.claim_id]

    @extend_schema_field(ClaimSerializer(many=True))
    def get_related(self, change: ClaimChange) -> list[dict]:
        parent_id = self.context["parents"].get(change.claim_id)
        return [self.context["representations"][parent_id]] if parent_id else []


class ChangePageSerializer(serializers.Serializer):
    cursor = serializers.CharField(help_text="Store this and send it as `after` next time.")
    has_more = serializers.BooleanField(help_text="More changes are waiting: fetch `next` straight away.")
    next = serializers.URLField(allow_null=True)
    results = ChangeSerializer(many=True)


# --- Terms of office and scorecards -------------------------------------------------------------


class PersonLinkSerializer(serializers.ModelSerializer):
    """A person or organisation named in a term or a scorecard, with the address of its API resource."""

    url = serializers.SerializerMethodField(help_text="`/api/v1/people/{slug}`.")

    class Meta:
        model = Person
        fields = ["id", "slug", "name", "kind", "url"]

    def get_url(self, person: Person) -> str:
        return _absolute(self.context, reverse("api:person-detail", kwargs={"slug": person.slug}))


class TermSerializer(serializers.ModelSerializer):
    """A person's time in an office; the pledges made for it are counted by its scorecard."""

    url = serializers.SerializerMethodField(help_text="`/api/v1/terms/{id}`.")
    public_url = serializers.SerializerMethodField(help_text="The term's public scorecard page.")
    scorecard_url = serializers.SerializerMethodField(help_text="`/api/v1/terms/{id}/scorecard`.")
    person = PersonLinkSerializer()
    starts_on = serializers.DateField(help_text="The first day in office.")
    ends_on = serializers.DateField(allow_null=True, help_text="The last day in office; null while it is not known.")

    class Meta:
        model = Term
        fields = ["id", "url", "public_url", "person", "office", "starts_on", "ends_on", "scorecard_url"]

    def get_url(self, term: Term) -> str:
        return _absolute(self.context, reverse("api:term-detail", kwargs={"pk": term.pk}))

    def get_public_url(self, term: Term) -> str:
        return _absolute(self.context, term.get_absolute_url())

    def get_scorecard_url(self, term: Term) -> str:
        return _absolute(self.context, reverse("api:term-scorecard", kwargs={"pk": term.pk}))


class ScorecardStatusSerializer(serializers.Serializer):
    """One status of the promise scale on a scorecard: how many pledges stood at it, and its share of the verdicts."""

    slug = serializers.SlugField()
    # The stubs see Field.label (a str) here; DRF's metaclass moves a declared field out of the class.
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="In the language asked for, where the desk has translated it."
    )
    label_language = language_of("label")
    is_final = serializers.BooleanField(help_text="A verdict (kept, compromise, broken, unclear).")
    colour = serializers.CharField(help_text="The status's colour, `#rrggbb`.")
    count = serializers.IntegerField(help_text="Pledges at this status on `day`.")
    share_of_verdicts = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        allow_null=True,
        help_text="For a verdict: `count` out of `with_verdict`, to four places (`0.4000` is 40 %). Null for a "
        "status that is not a verdict, and while no pledge has a verdict.",
    )
    translations = translations_field()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        # A StatusFigure (claims.scorecards): the status as every badge shows it, then its figures.
        shape = shaped_object(instance.status, ("slug", "label", "is_final", "colour"))
        translations = shape.pop("translations", None)
        shape["count"] = instance.count
        share = instance.share_of_final
        shape["share_of_verdicts"] = None if share is None else str(share)
        if translations is not None:
            shape["translations"] = translations
        return shape


class SeriesWeekSerializer(serializers.Serializer):
    day = serializers.DateField(
        help_text="The figures stand as the record stood at the end of this day: weekly from the start, and the "
        "last point is the scorecard's own day."
    )
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Pledges at each status that day, by status slug: every status of the promise scale, 0 included.",
    )
    total = serializers.IntegerField(help_text="Pledges counted that day (made and published by then).")


class SeriesSerializer(serializers.Serializer):
    """How the pledges' statuses changed week by week, read from the append-only timeline."""

    weeks = SeriesWeekSerializer(many=True)


def series_representation(series: Any) -> dict[str, Any]:
    """A ``claims.scorecards.Series`` as ``SeriesSerializer`` documents it."""
    slugs = [(status.pk, status.slug) for status in series.statuses]
    return {
        "weeks": [
            {
                "day": point.day.isoformat(),
                "counts": {slug: point.counts.get(pk, 0) for pk, slug in slugs},
                "total": point.total,
            }
            for point in series.points
        ]
    }


class _ScorecardSerializer(serializers.Serializer):
    """The figures every scorecard shows; ``instance`` is a ``claims.scorecards.Scorecard`` (and its subject)."""

    # The fields of the subclass that come first (what the scorecard is of).
    leading: tuple[str, ...] = ()

    as_of = serializers.DateField(
        allow_null=True, help_text="The `as_of` day asked for; null for the figures as they stand now."
    )
    day = serializers.DateField(help_text="The day the figures describe: `as_of`, or today.")
    total = serializers.IntegerField(
        help_text="Published pledges counted (a plan with published components counts through its components)."
    )
    with_verdict = serializers.IntegerField(
        source="final_total", help_text="Pledges with a final status (a verdict): what the shares are of."
    )
    still_tracked = serializers.IntegerField(help_text="Pledges without a verdict yet: `total - with_verdict`.")
    statuses = ScorecardStatusSerializer(many=True, source="figures", help_text="Every status of the promise scale.")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        order = [*self.leading, *(name for name in fields if name not in self.leading)]
        return {name: fields[name] for name in order}


class TrackerScorecardSerializer(_ScorecardSerializer):
    """The whole tracker's pledges, or one topic's."""

    leading = ("topic",)
    topic = serializers.SerializerMethodField(help_text="The topic asked for (`topic`), or null for every pledge.")

    @extend_schema_field(TopicSerializer(allow_null=True))
    def get_topic(self, card: Any) -> dict[str, Any] | None:
        topic = self.context.get("topic")
        return None if topic is None else shaped_object(topic, ("slug", "name"))


class PersonScorecardSerializer(_ScorecardSerializer):
    """A person's or organisation's pledges, whatever the term, and how they changed week by week."""

    leading = ("person",)
    person = serializers.SerializerMethodField()
    series = serializers.SerializerMethodField(
        help_text="Weekly from the day the first of these pledges was made to `day`."
    )

    @extend_schema_field(PersonLinkSerializer)
    def get_person(self, card: Any) -> dict[str, Any]:
        return PersonLinkSerializer(self.context["person"], context=self.context).data

    @extend_schema_field(SeriesSerializer)
    def get_series(self, card: Any) -> dict[str, Any]:
        return series_representation(self.context["series"])


class TermScorecardSerializer(_ScorecardSerializer):
    """The pledges made for one term of office, "day N" of the term, and how they changed week by week."""

    leading = ("term", "as_of", "day", "term_day")
    term = serializers.SerializerMethodField()
    term_day = serializers.IntegerField(
        allow_null=True, help_text="`day` as a day of the term (its first day is 1); null outside the term."
    )
    series = serializers.SerializerMethodField(
        help_text="Weekly from the term's first day to `day`, or to its last day if it ended before; empty if "
        "`day` is before the term began."
    )

    @extend_schema_field(TermSerializer)
    def get_term(self, card: Any) -> dict[str, Any]:
        return TermSerializer(card.term, context=self.context).data

    @extend_schema_field(SeriesSerializer)
    def get_series(self, card: Any) -> dict[str, Any]:
        return series_representation(self.context["series"])


# --- Writes (editors' keys) -----------------------------------------------------------------


class SourceInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=1000)
    title = serializers.CharField(max_length=300)
    publisher = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    author = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=Source.Kind.choices, required=False, default=Source.Kind.ARTICLE)


class AppearanceInputSerializer(serializers.Serializer):
    # The stubs see Field.source (a str) here; DRF's metaclass moves a declared field out of the class.
    source = SourceInputSerializer()  # type: ignore[assignment]
    is_first_appearance = serializers.BooleanField(required=False, default=False)
    excerpt = serializers.CharField(required=False, default="", allow_blank=True)


# A BCP 47 language tag as editors write them: "uk", "ru", "pt-BR", "zh-Hant".
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


class SlugReferenceField(serializers.SlugRelatedField):
    """A reference by slug, checked as a slug (the model's pattern and length) before any query.

    Without this a NUL byte reached PostgreSQL, which refuses it with an error (a 500).
    """

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        # Translators: keep {max_length} as it is: it becomes the number of characters.
        "invalid_slug": gettext_lazy(
            "Give a slug: letters, numbers, hyphens or underscores, at most {max_length} characters."
        ),
    }

    def to_internal_value(self, data: Any) -> Any:
        # Every SlugReferenceField is declared with a queryset (it is never read-only).
        queryset = cast("QuerySet[Any]", self.get_queryset())
        max_length = queryset.model._meta.get_field(self.slug_field).max_length
        if not isinstance(data, str) or len(data) > max_length or not SLUG_PATTERN.match(data):
            self.fail("invalid_slug", max_length=max_length)
        return super().to_internal_value(data)


SLUG_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+\Z")


class ClaimCreateSerializer(serializers.Serializer):
    claimant = SlugReferenceField(slug_field="slug", queryset=Person.objects.all(), help_text="Person slug.")
    kind = serializers.ChoiceField(choices=ClaimKind.choices)
    quote = serializers.CharField(help_text="The claim as the source words it; `wording` says whose words they are.")
    wording = serializers.ChoiceField(
        choices=Wording.choices,
        required=False,
        default=Wording.PARAPHRASE,
        help_text="`verbatim` or `translation` need `wording_source`; `translation` needs `original_language`.",
    )
    wording_source = SourceInputSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text="The source the words are quoted from (found by URL or created), or who reported a paraphrase.",
    )
    original_language = serializers.CharField(
        max_length=35, required=False, default="", allow_blank=True, help_text='A language tag, e.g. "uk".'
    )
    original_text = serializers.CharField(required=False, default="", allow_blank=True)
    summary = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=140, required=False, default="", allow_blank=True)
    made_on = serializers.DateField(help_text="The day, or any day of the month, year or first day of the range.")
    made_on_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, required=False, default=DatePrecision.DAY
    )
    made_until = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="For a range (and only then): its last day."
    )
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    # The stubs see Field.parent (the enclosing serializer); DRF's metaclass moves a declared field out of the class.
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=Claim.objects.all(), required=False, allow_null=True, default=None, help_text="Id of the plan."
    )
    topics = SlugReferenceField(
        slug_field="slug",
        queryset=Topic.objects.all(),
        many=True,
        required=False,
        default=list,
        help_text="Topic slugs.",
    )
    appearances = AppearanceInputSerializer(many=True, required=False, default=list)
    visibility = serializers.ChoiceField(
        choices=[Visibility.DRAFT, Visibility.PUBLISHED], required=False, default=Visibility.DRAFT
    )

    def validate_original_language(self, value: str) -> str:
        value = value.strip()
        if value and not LANGUAGE_TAG.match(value):
            # Translators: "uk", "ru" and "pt-BR" are language tags: keep them as they are.
            raise serializers.ValidationError(gettext('Give a language tag such as "uk", "ru" or "pt-BR".'))
        return value

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, str] = {}
        if data["wording"] != Wording.PARAPHRASE and data["wording_source"] is None:
            errors["wording_source"] = gettext("A quote or a translation names the source its words are taken from.")
        if data["wording"] == Wording.TRANSLATION and not data["original_language"]:
            errors["original_language"] = gettext("A translation names the language the claim was made in.")
        if data["made_on_precision"] == DatePrecision.RANGE:
            if data["made_until"] is None:
                errors["made_until"] = gettext("A range of dates needs its last day.")
            elif data["made_until"] <= data["made_on"]:
                errors["made_until"] = gettext("The range must end after it starts.")
        elif data["made_until"] is not None:
            # Translators: %(field)s is a field name and %(value)s one of its values: both stay as they are.
            message = gettext("Only a range (%(field)s `%(value)s`) has a last day.")
            errors["made_until"] = message % {"field": "made_on_precision", "value": DatePrecision.RANGE.value}
        if errors:
            raise serializers.ValidationError(errors)
        return data


class StatusUpdateCreateSerializer(serializers.Serializer):
    status = serializers.SlugField(max_length=40, help_text="Slug of a status on the claim's scale.")
    effective_on = serializers.DateField(help_text="When the status took effect: today at the latest.")
    rationale = serializers.CharField()
    evidence = SourceInputSerializer(
        many=True,
        required=False,
        default=list,
        help_text="At least one source for a published verdict (any status but the scale's default).",
    )
    corrects = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="Id of an update.")
    publish = serializers.BooleanField(
        required=False,
        default=True,
        help_text="`false` saves a draft. With verdict approval required, a published verdict waits for a second "
        "editor (202).",
    )

    def validate_effective_on(self, value: datetime.date) -> datetime.date:
        if in_future := future_status_error(value):
            raise serializers.ValidationError(in_future)
        return value


class PendingVerdictSerializer(serializers.Serializer):
    """The answer to a verdict that waits for a second editor's approval (202 Accepted)."""

    state = serializers.ChoiceField(choices=["awaiting_approval"], help_text="Always `awaiting_approval`.")
    status_update = serializers.IntegerField(help_text="Id of the update awaiting approval.")
    message = serializers.CharField()
    claim = ClaimSerializer(help_text="The claim as it stands: the verdict is not in it until approved.")
