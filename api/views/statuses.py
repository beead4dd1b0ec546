"""The two rating scales and their statuses."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from api import serializers as api_serializers
from api.filters import StatusFilterSet, StrictFilterBackend
from api.views.http_caching import ApiViewMixin
from claims.models import Status


@extend_schema(tags=["statuses"])
class StatusListView(ApiViewMixin, generics.ListAPIView):
    """The two rating scales, each status in order. Not paginated: there are only a few."""

    serializer_class = api_serializers.StatusSerializer
    queryset = Status.objects.order_by("scale", "order")
    filter_backends = [StrictFilterBackend]
    filterset_class = StatusFilterSet
    pagination_class = None
