"""Relay connections with totalCount, built on offset cursors.

Each listing uses `connection_type(NodeType)` for its type and
`paginate(queryset_or_list, first=…, after=…)` in its resolver. `first` is
capped at GRAPHQL_MAX_PAGE_SIZE: a larger value is an error, never a silent cut.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import graphene
from django.conf import settings
from django.db.models import QuerySet
from graphene import relay
from graphql import GraphQLError

DEFAULT_PAGE_SIZE = 20
_CURSOR_PREFIX = "offset:"


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not raw.startswith(_CURSOR_PREFIX):
            raise ValueError(raw)
        offset = int(raw[len(_CURSOR_PREFIX) :])
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise GraphQLError("Invalid cursor in `after`.") from None
    if offset < 0:
        raise GraphQLError("Invalid cursor in `after`.")
    return offset


def check_first(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    limit = settings.GRAPHQL_MAX_PAGE_SIZE
    if first < 0:
        raise GraphQLError("`first` must not be negative.")
    if first > limit:
        raise GraphQLError(f"`first` is limited to {limit}; ask for the next page with `after`.")
    return first


@dataclass
class Edge:
    node: Any
    cursor: str


@dataclass
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@dataclass
class Page:
    edges: list[Edge]
    page_info: PageInfo
    total_count: int


def page_window(first: int | None, after: str | None) -> tuple[int, int]:
    """(offset, size) of the page a `first`/`after` pair asks for."""
    size = check_first(first)
    return (decode_cursor(after) + 1 if after else 0), size


def build_page(rows: list[Any], *, offset: int, total: int) -> Page:
    """A connection page from the rows starting at `offset` of `total`."""
    edges = [Edge(node=row, cursor=encode_cursor(offset + i)) for i, row in enumerate(rows)]
    return Page(
        edges=edges,
        total_count=total,
        page_info=PageInfo(
            has_next_page=offset + len(rows) < total,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


def paginate(
    items: QuerySet[Any] | Sequence[Any],
    *,
    first: int | None,
    after: str | None,
    count: Callable[[], int] | None = None,
) -> Page:
    """Slice one page. Costs one COUNT and one SELECT on a queryset."""
    start, size = page_window(first, after)
    rows = list(items[start : start + size])
    if count is not None:
        total = count()
    elif isinstance(items, QuerySet):
        total = items.count() if rows or start else 0
    else:
        total = len(items)
    return build_page(rows, offset=start, total=total)


_connections: dict[str, type[graphene.ObjectType]] = {}


def connection_type(node_type: type[graphene.ObjectType], name: str | None = None) -> type[graphene.ObjectType]:
    """`{Name}Connection { totalCount pageInfo edges { node cursor } }` for a node type."""
    base = name or node_type._meta.name
    if base in _connections:
        return _connections[base]
    edge = type(
        f"{base}Edge",
        (graphene.ObjectType,),
        {"node": graphene.Field(graphene.NonNull(node_type)), "cursor": graphene.String(required=True)},
    )
    connection = type(
        f"{base}Connection",
        (graphene.ObjectType,),
        {
            "total_count": graphene.Int(required=True),
            "page_info": graphene.Field(graphene.NonNull(relay.PageInfo)),
            "edges": graphene.List(graphene.NonNull(edge), required=True),
        },
    )
    _connections[base] = connection
    return connection


def connection_field(node_type: type[graphene.ObjectType], **arguments: Any) -> graphene.Field:
    return graphene.Field(
        graphene.NonNull(connection_type(node_type)),
        first=graphene.Int(),
        after=graphene.String(),
        **arguments,
    )
