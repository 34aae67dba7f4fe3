"""Product search for the API and the web pages: the configured search backend,
the catalog's visibility rule applied to its hits, and a database fallback
when the engine is unavailable."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from backend.catalog.listing import Row, product_rows
from backend.catalog.models import Category, Product
from backend.catalog.selectors import ProductFilters, filter_products, sort_products, visible_products
from backend.core.text import fold
from backend.regions.models import Commune, Province
from search.base import FACETS, IndexDamaged, SearchFilters, SearchUnavailable, Suggestion
from search.indexing import request_rebuild
from search.registry import get_backend
from search.synonyms import rewrite

logger = logging.getLogger(__name__)
MAX_QUERY_LENGTH = 200
# Orders other than relevance: (ProductSortField, descending). With words typed, the engine's best
# SORTED_HITS matches are put in that order by the database; without words, every product is.
SORTS = {
    "price_asc": ("PRICE", False),
    "price_desc": ("PRICE", True),
    "newest": ("CREATED", True),
    "ocop": ("OCOP", True),
}
SORTED_HITS = 1000


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class ProductSearch:
    rows: list[Row]
    scores: list[float | None]
    total: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    degraded: bool = False


def _search_filters(filters: ProductFilters) -> SearchFilters:
    category_path = None
    if filters.category_id is not None:
        category_path = Category.objects.filter(pk=filters.category_id).values_list("path", flat=True).first() or "-"
    return SearchFilters(
        kind=filters.kind,
        category_path=category_path,
        seller_id=filters.seller_id,
        commune_id=filters.commune_id,
        price_min=filters.price_min,
        price_max=filters.price_max,
        ocop_stars_min=filters.ocop_stars_min,
        in_stock=filters.in_stock,
        province_id=filters.province_id,
    )


def _labels(facets: dict[str, list[Any]]) -> dict[str, list[FacetValue]]:
    category_ids = [int(f.value) for f in facets.get("category", []) if f.value.isdigit()]
    commune_ids = [int(f.value) for f in facets.get("commune", []) if f.value.isdigit()]
    province_ids = [int(f.value) for f in facets.get("province", []) if f.value.isdigit()]
    names = {
        "category": dict(Category.objects.filter(pk__in=category_ids).values_list("pk", "name")),
        "commune": dict(Commune.objects.filter(pk__in=commune_ids).values_list("pk", "name")),
    }
    # A province's facet value is its slug, which the `province` arguments take.
    provinces = (
        {
            pk: (slug, name)
            for pk, slug, name in Province.objects.filter(pk__in=province_ids).values_list("pk", "slug", "short_name")
        }
        if province_ids
        else {}
    )
    labelled: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        values = []
        for facet in facets.get(name, []):
            if name == "province":
                slug, label = provinces.get(int(facet.value), (facet.value, facet.value))
                values.append(FacetValue(value=slug, label=label, count=facet.count))
                continue
            lookup = names.get(name)
            label = (
                lookup.get(int(facet.value), facet.value)
                if lookup is not None and facet.value.isdigit()
                else facet.value
            )
            values.append(FacetValue(value=facet.value, label=str(label), count=facet.count))
        labelled[name] = values
    return labelled


def search_products(
    *, user: Any, query: str, filters: ProductFilters, offset: int, limit: int, sort: str = ""
) -> ProductSearch:
    """Ranked visible products for `query` (or in a `SORTS` order); degrades to database filtering
    when the engine is down."""
    query = rewrite(" ".join(query.split())[:MAX_QUERY_LENGTH])
    if sort in SORTS:
        return _sorted_search(user=user, query=query, filters=filters, offset=offset, limit=limit, sort=sort)
    try:
        results = get_backend().search(
            query=query, filters=_search_filters(filters), offset=offset, limit=limit, with_facets=True
        )
    except SearchUnavailable as exc:
        _heal_if_damaged(exc)
        return _database_search(user=user, query=query, filters=filters, offset=offset, limit=limit)
    ids = [hit.id for hit in results.hits]
    # The index may lag behind a moderation act by a moment: visibility is checked again here.
    rows_by_id = {row["pk"]: row for row in product_rows(visible_products(user=user).filter(pk__in=ids))}
    kept = [hit for hit in results.hits if hit.id in rows_by_id]
    return ProductSearch(
        rows=[rows_by_id[hit.id] for hit in kept],
        scores=[hit.score for hit in kept],
        total=results.total - (len(results.hits) - len(kept)),
        facets=_labels(results.facets),
    )


def _heal_if_damaged(exc: SearchUnavailable) -> None:
    """A missing or unreadable index is rebuilt in the background; an unreachable engine just waits."""
    if isinstance(exc, IndexDamaged):
        logger.warning("Search index damaged, answering from the database: %s", exc)
        request_rebuild(reason=str(exc))


def _sorted_search(
    *, user: Any, query: str, filters: ProductFilters, offset: int, limit: int, sort: str
) -> ProductSearch:
    field, descending = SORTS[sort]
    try:
        results = get_backend().search(
            query=query, filters=_search_filters(filters), offset=0, limit=SORTED_HITS if query else 0, with_facets=True
        )
    except SearchUnavailable as exc:
        _heal_if_damaged(exc)
        return _database_search(user=user, query=query, filters=filters, offset=offset, limit=limit, sort=sort)
    products = filter_products(visible_products(user=user), filters)
    if query:
        products = products.filter(pk__in=[hit.id for hit in results.hits])
    products = sort_products(products, field=field, descending=descending)
    rows = product_rows(products[offset : offset + limit])
    return ProductSearch(rows=rows, scores=[None] * len(rows), total=products.count(), facets=_labels(results.facets))


def _database_search(
    *, user: Any, query: str, filters: ProductFilters, offset: int, limit: int, sort: str = ""
) -> ProductSearch:
    products = filter_products(visible_products(user=user), filters)
    for word in query.split()[:8]:
        products = products.filter(Q(name__icontains=word) | Q(description__icontains=word))
    field, descending = SORTS.get(sort, ("CREATED", True))
    products = sort_products(products, field=field, descending=descending)
    rows = product_rows(products[offset : offset + limit])
    facets = {name: _count_by(products, name) for name in ("category", "commune")}
    facets["province"] = [
        FacetValue(
            value=r["seller__commune__province__slug"], label=r["seller__commune__province__short_name"], count=r["n"]
        )
        for r in products.order_by()
        .values("seller__commune__province__slug", "seller__commune__province__short_name")
        .annotate(n=Count("id"))
    ]
    return ProductSearch(rows=rows, scores=[None] * len(rows), total=products.count(), facets=facets, degraded=True)


def _count_by(products: QuerySet[Product], relation: str) -> list[FacetValue]:
    """Facet values of a foreign key (`category`, `commune`) counted in SQL, labelled with its name."""
    rows = products.order_by().values(f"{relation}_id", f"{relation}__name").annotate(n=Count("id"))
    return [FacetValue(value=str(r[f"{relation}_id"]), label=r[f"{relation}__name"], count=r["n"]) for r in rows]


def suggest(*, user: Any, query: str, limit: int) -> tuple[list[Suggestion], dict[int, Row]]:
    """Type-ahead suggestions from 2 characters, with the card rows of suggested products."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if len(fold(query)) < 2:
        return [], {}
    try:
        suggestions = get_backend().suggest(query=rewrite(query), limit=limit)
    except SearchUnavailable as exc:
        _heal_if_damaged(exc)
        names = visible_products(user=user).filter(name__icontains=query).values_list("pk", "name")[:limit]
        suggestions = [Suggestion(text=name, product_id=pk) for pk, name in names]
    product_ids = [s.product_id for s in suggestions if s.product_id is not None]
    rows = {row["pk"]: row for row in product_rows(visible_products(user=user).filter(pk__in=product_ids))}
    kept = [s for s in suggestions if s.product_id is None or s.product_id in rows]
    return kept, rows
