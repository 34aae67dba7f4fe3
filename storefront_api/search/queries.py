"""`search` and `searchSuggest`."""

from __future__ import annotations

from typing import Any

import graphene

from backend.catalog.search_service import search_products, suggest
from storefront_api.catalog.inputs import ProductFilter, product_filters
from storefront_api.core.auth import current_user
from storefront_api.core.connection import build_page, page_window
from storefront_api.core.types import PROVINCE_ARGUMENT
from storefront_api.search.types import Facet, FacetValue, SearchEdge, SearchResult, SearchSuggestion

MAX_SUGGESTIONS = 20


class SearchQueries(graphene.ObjectType):
    search = graphene.Field(
        graphene.NonNull(SearchResult),
        query=graphene.String(required=True),
        filter=ProductFilter(),
        province=graphene.String(description=PROVINCE_ARGUMENT),
        first=graphene.Int(),
        after=graphene.String(),
        description="Products ranked for a query (diacritics optional, typos tolerated), with facets.",
    )
    search_suggest = graphene.List(
        graphene.NonNull(SearchSuggestion),
        required=True,
        query=graphene.String(required=True),
        first=graphene.Int(),
        description="Type-ahead from 2 characters: product names and categories.",
    )

    @staticmethod
    def resolve_search(
        root: Any,
        info: graphene.ResolveInfo,
        query: str,
        filter: dict[str, Any] | None = None,
        first: int | None = None,
        after: str | None = None,
        province: str | None = None,
    ) -> SearchResult:
        offset, size = page_window(first, after)
        found = search_products(
            user=current_user(info),
            query=query,
            filters=product_filters(filter, province=province),
            offset=offset,
            limit=size,
        )
        page = build_page(found.rows, offset=offset, total=found.total)
        edges = [
            SearchEdge(node=edge.node, score=score, cursor=edge.cursor)
            for edge, score in zip(page.edges, found.scores, strict=True)
        ]
        facets = [
            Facet(name=name, values=[FacetValue(value=v.value, label=v.label, count=v.count) for v in values])
            for name, values in found.facets.items()
        ]
        return SearchResult(
            total_count=found.total, edges=edges, facets=facets, page_info=page.page_info, degraded=found.degraded
        )

    @staticmethod
    def resolve_search_suggest(
        root: Any, info: graphene.ResolveInfo, query: str, first: int | None = None
    ) -> list[SearchSuggestion]:
        limit = max(1, min(first or 8, MAX_SUGGESTIONS))
        suggestions, rows = suggest(user=current_user(info), query=query, limit=limit)
        return [
            SearchSuggestion(text=s.text, product=rows.get(s.product_id) if s.product_id else None) for s in suggestions
        ]
