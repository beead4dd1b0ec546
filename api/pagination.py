"""Cursor pagination: no COUNT(*), stable pages while rows are added, a capped page size."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from api.exceptions import InvalidCursor, InvalidFilter

MAX_PAGE_SIZE = 200


class ApiCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = f"Results per page, 1 to {MAX_PAGE_SIZE} (default 50)."
    max_page_size = MAX_PAGE_SIZE
    cursor_query_description = "Opaque cursor from a previous page's `next` or `previous` link."
    ordering: str | list[str] | tuple[str, ...] = "id"

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if not raw.isdigit() or int(raw) < 1:
            message = gettext("A whole number from 1 to %(maximum)d.") % {"maximum": MAX_PAGE_SIZE}
            raise InvalidFilter({self.page_size_query_param: [message]})
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters

    def decode_cursor(self, request: Request) -> Any:
        try:
            return super().decode_cursor(request)
        except Exception as error:  # DRF raises NotFound for a cursor it cannot read.
            raise InvalidCursor() from error


class ClaimCursorPagination(ApiCursorPagination):
    # Most recently changed first; the OrderingFilter may pick another of the view's ordering fields.
    ordering = ("-updated_at", "-id")


def changes_page_response(*, results: list[dict], cursor: int, has_more: bool, next_url: str | None) -> Response:
    return Response({"cursor": str(cursor), "has_more": has_more, "next": next_url, "results": results})
