"""Sources cited by published claims (every source for an editor's key)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from api import serializers as api_serializers
from api.filters import SourceFilterSet, StrictFilterBackend
from api.pagination import ApiCursorPagination
from api.selectors import visible_sources
from api.views.http_caching import ApiViewMixin
from claims.models import Source


class _SourceQuerysetMixin(ApiViewMixin):
    def get_queryset(self) -> QuerySet[Source]:
        return Source.objects.all() if self.include_unpublished() else visible_sources()


@extend_schema(tags=["sources"])
class SourceListView(_SourceQuerysetMixin, ApiViewMixin, generics.ListAPIView):
    """Articles, posts, transcripts, documents and videos cited by published claims."""

    serializer_class = api_serializers.SourceSerializer
    filter_backends = [StrictFilterBackend]
    filterset_class = SourceFilterSet
    pagination_class = ApiCursorPagination


@extend_schema(tags=["sources"], responses={200: api_serializers.SourceSerializer})
class SourceDetailView(_SourceQuerysetMixin, ApiViewMixin, generics.RetrieveAPIView):
    serializer_class = api_serializers.SourceSerializer
