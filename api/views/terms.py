"""Terms of office of the people whose claims are tracked."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from api import serializers as api_serializers
from api.filters import StrictFilterBackend, TermFilterSet
from api.pagination import ApiCursorPagination
from api.views.http_caching import ApiViewMixin
from people.models import Term


@extend_schema(tags=["terms"])
class TermListView(ApiViewMixin, generics.ListAPIView):
    """Terms of office of the people and organisations whose claims are tracked, oldest record first."""

    serializer_class = api_serializers.TermSerializer
    queryset = Term.objects.of_tracked_people().select_related("person")
    filter_backends = [StrictFilterBackend]
    filterset_class = TermFilterSet
    pagination_class = ApiCursorPagination


@extend_schema(tags=["terms"], responses={200: api_serializers.TermSerializer})
class TermDetailView(ApiViewMixin, generics.RetrieveAPIView):
    """One term of office (404 unless its holder has a published claim, as the term's public page)."""

    serializer_class = api_serializers.TermSerializer
    queryset = Term.objects.of_tracked_people().select_related("person")
