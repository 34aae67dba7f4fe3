"""The one builder of search documents, from the database, for every backend."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from backend.catalog.models import Product
from backend.catalog.selectors import public_products_q
from search.base import SearchDocument

BATCH = 1000


def indexable_products() -> QuerySet[Product]:
    """What buyers may see, shaped for the builder (one query per batch)."""
    return (
        Product.objects.filter(public_products_q())
        .select_related("category", "commune", "seller__commune")
        .order_by("id")
    )


def build(product: Product) -> SearchDocument:
    parts = (
        product.pk,
        product.name,
        product.description,
        str(product.kind),
        product.category_id,
        product.category.path,
        product.category.name,
        product.commune_id,
        product.commune.name,
        product.seller_id,
        product.seller.name,
        product.price_min,
        product.price_max,
        product.ocop_stars,
        product.in_stock,
        product.created_at.isoformat(),
        product.seller.commune.province_id,
    )
    fingerprint = hashlib.sha1(repr(parts).encode()).hexdigest()
    return SearchDocument(
        id=product.pk,
        name=product.name,
        description=product.description,
        kind=str(product.kind),
        category_id=product.category_id,
        category_path=product.category.path,
        category_name=product.category.name,
        commune_id=product.commune_id,
        commune_name=product.commune.name,
        seller_id=product.seller_id,
        seller_name=product.seller.name,
        price_min=product.price_min,
        price_max=product.price_max,
        ocop_stars=product.ocop_stars,
        in_stock=product.in_stock,
        created_at=product.created_at,
        fingerprint=fingerprint,
        province_id=product.seller.commune.province_id,
    )


def documents_for(ids: Iterable[int]) -> tuple[list[SearchDocument], set[int]]:
    """(documents to index, ids to delete) for products that changed."""
    wanted = set(ids)
    documents = [build(p) for p in indexable_products().filter(pk__in=wanted)]
    return documents, wanted - {d.id for d in documents}


def all_documents() -> Iterator[SearchDocument]:
    last = 0
    while True:
        batch = list(indexable_products().filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        yield from (build(p) for p in batch)
        last = batch[-1].pk
