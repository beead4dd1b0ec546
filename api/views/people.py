"""People and organisations with a published claim."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from api import serializers as api_serializers
from api.filters import PersonFilterSet, StrictFilterBackend
from api.pagination import ApiCursorPagination
from api.views.http_caching import ApiViewMixin
from people.models import Person


@extend_schema(tags=["people"])
class PersonListView(ApiViewMixin, generics.ListAPIView):
    """People and organisations whose claims are tracked."""

    serializer_class = api_serializers.PersonSerializer
    # Only people with a published claim, as on the public pages: someone whose claims are all drafts
    # or withdrawn has no public page, and is not listed or fetched here either.
    queryset = Person.objects.tracked()
    filter_backends = [StrictFilterBackend]
    filterset_class = PersonFilterSet
    pagination_class = ApiCursorPagination


@extend_schema(tags=["people"], responses={200: api_serializers.PersonSerializer})
class PersonDetailView(ApiViewMixin, generics.RetrieveAPIView):
    """One person or organisation with a published claim (404 otherwise, as their public page)."""

    serializer_class = api_serializers.PersonSerializer
    queryset = Person.objects.tracked()
    lookup_field = "slug"
