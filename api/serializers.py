"""The JSON representations partners read, and the bodies editors' keys may write."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from claims.models import (
    Claim,
    ClaimAppearance,
    ClaimChange,
    ClaimKind,
    Source,
    Status,
    StatusUpdate,
    Topic,
    Visibility,
)
from people.models import Person


def _absolute(context: dict[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class StatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = Status
        fields = ["scale", "slug", "label", "meaning", "colour", "order", "is_final", "is_default", "rating_value"]


class StatusBadgeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Status
        fields = ["scale", "slug", "label", "is_final", "rating_value", "colour"]


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
    class Meta:
        model = Topic
        fields = ["slug", "name"]


class AppearanceSerializer(serializers.ModelSerializer):
    source = SourceSerializer()

    class Meta:
        model = ClaimAppearance
        fields = ["source", "is_first_appearance", "excerpt"]


class StatusUpdateSerializer(serializers.ModelSerializer):
    status = StatusBadgeSerializer()
    evidence = serializers.SerializerMethodField()
    corrects = serializers.IntegerField(
        source="corrects_id", allow_null=True, help_text="Id of the update this corrects."
    )
    corrected_by = serializers.SerializerMethodField(help_text="Id of the published update that corrects this one.")

    class Meta:
        model = StatusUpdate
        fields = ["id", "status", "effective_on", "rationale", "evidence", "corrects", "corrected_by", "recorded_at"]

    @extend_schema_field(SourceSerializer(many=True))
    def get_evidence(self, update: StatusUpdate) -> list[dict]:
        return SourceSerializer(update.evidence.all(), many=True).data

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_corrected_by(self, update: StatusUpdate) -> int | None:
        return getattr(update, "corrected_by_id", None)


class ClaimReferenceSerializer(serializers.ModelSerializer):
    """A claim named inside another: its plan or one of its components."""

    status = serializers.SlugRelatedField(source="current_status", slug_field="slug", read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "slug", "summary", "kind", "status"]


class ClaimSerializer(serializers.ModelSerializer):
    claimant = PersonSummarySerializer()
    current_status = StatusBadgeSerializer()
    topics = TopicSerializer(many=True)
    must_act = PersonSummarySerializer(many=True, help_text="Who must act: the people or bodies the claim waits on.")
    parent = serializers.SerializerMethodField()
    components = serializers.SerializerMethodField()
    appearances = AppearanceSerializer(many=True)
    timeline = serializers.SerializerMethodField(help_text="Published status updates, newest first.")
    url = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            *("id", "slug", "url", "public_url", "kind", "scale", "claimant", "summary", "quote"),
            *("made_on", "deadline", "topics", "must_act", "current_status", "status_changed_on"),
            *("parent", "components"),
            *("appearances", "timeline", "visibility", "version", "published_at", "created_at", "updated_at"),
        ]

    @extend_schema_field(ClaimReferenceSerializer(allow_null=True))
    def get_parent(self, claim: Claim) -> dict | None:
        parent = claim.parent
        if parent is None or not (parent.visibility == Visibility.PUBLISHED or self.context.get("include_unpublished")):
            return None
        return ClaimReferenceSerializer(parent).data

    @extend_schema_field(ClaimReferenceSerializer(many=True))
    def get_components(self, claim: Claim) -> list[dict]:
        return ClaimReferenceSerializer(claim.visible_components, many=True).data

    @extend_schema_field(StatusUpdateSerializer(many=True))
    def get_timeline(self, claim: Claim) -> list[dict]:
        timeline = claim.published_timeline
        corrected_by = {update.corrects_id: update.pk for update in timeline if update.corrects_id}
        for update in timeline:
            update.corrected_by_id = corrected_by.get(update.pk)
        return StatusUpdateSerializer(timeline, many=True).data

    def get_url(self, claim: Claim) -> str:
        return _absolute(self.context, reverse("api:claim-detail", kwargs={"pk": claim.pk}))

    def get_public_url(self, claim: Claim) -> str:
        return _absolute(self.context, claim.get_absolute_url())


class TombstoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    deleted = serializers.BooleanField(help_text="Always true: remove this claim from your mirror.")


class ChangeSerializer(serializers.ModelSerializer):
    """An entry of the change feed (the claim representation is filled in by the view)."""

    claim = serializers.SerializerMethodField(
        help_text="The claim as it is now, or a tombstone `{id, deleted: true}` if it is not published now."
    )
    related = serializers.SerializerMethodField(
        help_text="Other claims this change altered (the plan a component belongs to): upsert or delete them too."
    )
    status_update = serializers.IntegerField(source="status_update_id", allow_null=True)

    class Meta:
        model = ClaimChange
        fields = ["id", "kind", "recorded_at", "claim", "status_update", "related"]

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


# --- Writes (editors' keys) -----------------------------------------------------------------


class SourceInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=1000)
    title = serializers.CharField(max_length=300)
    publisher = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    author = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=Source.Kind.choices, required=False, default=Source.Kind.ARTICLE)


class AppearanceInputSerializer(serializers.Serializer):
    source = SourceInputSerializer()
    is_first_appearance = serializers.BooleanField(required=False, default=False)
    excerpt = serializers.CharField(required=False, default="", allow_blank=True)


class ClaimCreateSerializer(serializers.Serializer):
    claimant = serializers.SlugRelatedField(slug_field="slug", queryset=Person.objects.all(), help_text="Person slug.")
    kind = serializers.ChoiceField(choices=ClaimKind.choices)
    quote = serializers.CharField()
    summary = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=140, required=False, default="", allow_blank=True)
    made_on = serializers.DateField()
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Claim.objects.all(), required=False, allow_null=True, default=None, help_text="Id of the plan."
    )
    topics = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), many=True, required=False, default=list
    )
    appearances = AppearanceInputSerializer(many=True, required=False, default=list)
    visibility = serializers.ChoiceField(
        choices=[Visibility.DRAFT, Visibility.PUBLISHED], required=False, default=Visibility.DRAFT
    )


class StatusUpdateCreateSerializer(serializers.Serializer):
    status = serializers.SlugField(help_text="Slug of a status on the claim's scale.")
    effective_on = serializers.DateField()
    rationale = serializers.CharField()
    evidence = SourceInputSerializer(many=True, required=False, default=list)
    corrects = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="Id of an update.")
    publish = serializers.BooleanField(required=False, default=True)
