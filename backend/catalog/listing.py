"""The product card selector: plain dicts from a fixed number of SQL statements.

`product_listing` serves `products(...)` grids; `product_rows` serves one
product (`product(id|slug)`, mutation payloads) through the same code. Cost:
one statement for the products joined to category, seller and communes; on
first use by the API, one for the variants of the whole page and one per
requested thumbnail size for the first images of the page (plus a COUNT for a
listing). A page of 50 costs the same as a page of 5.

Rows are dicts with API-ready values (global IDs precomputed). Communes and
provinces are unsaved model instances shared by every row of the page, because
the region types only accept those.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import FilteredRelation, OuterRef, Q, QuerySet, Subquery

from backend.catalog import images
from backend.catalog.models import Product, ProductImage, ProductVariant
from backend.regions.models import Commune, Province

Row = dict[str, Any]

_REGION = ("code", "name", "short_name", "slug", "kind")
_PROVINCE = ("code", "name", "short_name", "slug", "name_en")
_COMMUNE_PREFIXES = ("commune", "seller__commune")
_COMMUNE_COLUMNS = (
    "_id",
    *(f"__{c}" for c in _REGION),
    "__province_id",
    *(f"__province__{c}" for c in _PROVINCE),
)
PRODUCT_COLUMNS: tuple[str, ...] = (
    "id",
    "slug",
    "name",
    "description",
    "kind",
    "ocop_stars",
    "ocop_certificate_no",
    "harvest_months",
    "storage_notes",
    "shipping_notes",
    "is_published",
    "hidden_at",
    "price_min",
    "price_max",
    "in_stock",
    "created_at",
    "category_id",
    "category__name",
    "category__name_en",
    "category__slug",
    "category__kind",
    "category__parent_id",
    "seller_id",
    "seller__slug",
    "seller__name",
    "seller__kind",
    "seller__status",
    *(f"{prefix}{column}" for prefix in _COMMUNE_PREFIXES for column in _COMMUNE_COLUMNS),
)


def global_id(type_name: str, pk: int) -> str:
    """The Relay global ID, base64("Type:pk"), as the API layer decodes it."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def available_quantities(variants: list[Row]) -> None:
    """Set `quantity_available` on variant rows of one page (today: the stock).

    The one place that decides what a buyer can still add to a cart; checkout
    subtracts live reservations here, with one query for the whole page.
    """
    for variant in variants:
        variant["quantity_available"] = max(variant["stock"], 0)


def variant_row(values: dict[str, Any]) -> Row:
    row = dict(values)
    row["pk"] = values["id"]
    row["id"] = global_id("ProductVariant", values["id"])
    return row


def variant_rows(variants: list[ProductVariant]) -> list[Row]:
    """Rows for variant model instances (mutation payloads)."""
    rows = [variant_row({c: getattr(v, c) for c in _VARIANT_COLUMNS}) for v in variants]
    available_quantities(rows)
    return rows


_VARIANT_COLUMNS = ("id", "product_id", "sku", "name", "price", "stock", "weight_grams", "unit", "position")


def image_row(*, name: str, alt: str, width: int | None, height: int | None) -> Row:
    return {"url": default_storage.url(name), "alt": alt or None, "width": width, "height": height}


class ProductPage:
    """Loads the variants and images of a page of products once, for all of them."""

    def __init__(self, names: dict[int, str], *, render_missing_thumbnails: bool = False) -> None:
        self.names = names
        self.render_missing_thumbnails = render_missing_thumbnails
        self._variants: dict[int, list[Row]] | None = None
        self._images: dict[int, list[Row]] | None = None
        self._thumbnails: dict[int, dict[int, Row]] = {}

    def variants(self, product_id: int) -> list[Row]:
        if self._variants is None:
            by_product: dict[int, list[Row]] = defaultdict(list)
            values = (
                ProductVariant.objects.filter(product_id__in=list(self.names))
                .order_by("product_id", "position", "id")
                .values(*_VARIANT_COLUMNS)
            )
            rows = [variant_row(v) for v in values]
            available_quantities(rows)
            for row in rows:
                by_product[row["product_id"]].append(row)
            self._variants = by_product
        return self._variants.get(product_id, [])

    def images(self, product_id: int) -> list[Row]:
        if self._images is None:
            by_product: dict[int, list[Row]] = defaultdict(list)
            values = (
                ProductImage.objects.filter(product_id__in=list(self.names))
                .order_by("product_id", "position", "id")
                .values_list("product_id", "image", "alt", "width", "height")
            )
            for pid, name, alt, width, height in values:
                by_product[pid].append(image_row(name=name, alt=alt or self.names[pid], width=width, height=height))
            self._images = by_product
        return self._images.get(product_id, [])

    def thumbnail(self, product_id: int, requested: int | None) -> Row | None:
        size = images.thumbnail_size(requested)
        if size not in self._thumbnails:
            self._thumbnails[size] = self._load_thumbnails(size)
        return self._thumbnails[size].get(product_id)

    def _load_thumbnails(self, size: int) -> dict[int, Row]:
        first_image = (
            ProductImage.objects.filter(product_id=OuterRef("product_id")).order_by("position", "id").values("id")[:1]
        )
        values = (
            ProductImage.objects.filter(product_id__in=list(self.names), id=Subquery(first_image))
            .annotate(thumb=FilteredRelation("thumbnails", condition=Q(thumbnails__size=size)))
            .values_list(
                "id", "product_id", "image", "alt", "width", "height", "thumb__file", "thumb__width", "thumb__height"
            )
        )
        found: dict[int, Row] = {}
        for image_id, pid, name, alt, width, height, thumb, thumb_width, thumb_height in values:
            alt = alt or self.names[pid]
            if thumb:
                found[pid] = image_row(name=thumb, alt=alt, width=thumb_width, height=thumb_height)
            elif self.render_missing_thumbnails:
                made = images.make_thumbnails(image_id=image_id, sizes=(size,))[0]
                found[pid] = image_row(name=made.file.name, alt=alt, width=made.width, height=made.height)
            else:
                images.request_thumbnail(image_id=image_id, size=size)
                found[pid] = image_row(name=name, alt=alt, width=width, height=height)
        return found


# Communes are reference data shared by every page: keep their read-only instances
# per process, keyed by all their values so an edited commune gets a new one.
_COMMUNES: dict[tuple[Any, ...], Commune] = {}
_COMMUNES_MAX = 5000


def _region(values: dict[str, Any], prefix: str, cache: dict[int, Commune]) -> Commune:
    commune_id = values[f"{prefix}_id"]
    commune = cache.get(commune_id)
    if commune is None:
        key = tuple(values[f"{prefix}{column}"] for column in _COMMUNE_COLUMNS)
        commune = _COMMUNES.get(key)
        if commune is None:
            province = Province(
                id=values[f"{prefix}__province_id"],
                **{c: values[f"{prefix}__province__{c}"] for c in _PROVINCE},
            )
            commune = Commune(id=commune_id, province=province, **{c: values[f"{prefix}__{c}"] for c in _REGION})
            if len(_COMMUNES) >= _COMMUNES_MAX:
                _COMMUNES.clear()
            _COMMUNES[key] = commune
        cache[commune_id] = commune
    return commune


def category_row(values: Mapping[str, Any]) -> Row:
    """A category row from `Category.objects.values("id", "name", "name_en", "slug", "kind", "parent_id")`."""
    return {
        "id": global_id("Category", values["id"]),
        "pk": values["id"],
        "name": values["name"],
        "name_en": values["name_en"],
        "slug": values["slug"],
        "kind": values["kind"],
        "parent_pk": values["parent_id"],
    }


def _category(values: dict[str, Any], cache: dict[int, Row]) -> Row:
    pk = values["category_id"]
    category = cache.get(pk)
    if category is None:
        category = category_row(
            {"id": pk, **{c: values[f"category__{c}"] for c in ("name", "name_en", "slug", "kind", "parent_id")}}
        )
        cache[pk] = category
    return category


def _seller(values: dict[str, Any], communes: dict[int, Commune], cache: dict[int, Row]) -> Row:
    pk = values["seller_id"]
    seller = cache.get(pk)
    if seller is None:
        seller = {
            "id": pk,
            "pk": pk,
            "slug": values["seller__slug"],
            "name": values["seller__name"],
            "kind": values["seller__kind"],
            "status": values["seller__status"],
            "commune": _region(values, "seller__commune", communes),
        }
        cache[pk] = seller
    return seller


def product_rows(products: QuerySet[Product], *, render_missing_thumbnails: bool = False) -> list[Row]:
    """Card rows for `products` (already filtered, ordered and sliced): one SELECT."""
    values = list(products.values(*PRODUCT_COLUMNS))
    page = ProductPage({v["id"]: v["name"] for v in values}, render_missing_thumbnails=render_missing_thumbnails)
    communes: dict[int, Commune] = {}
    categories: dict[int, Row] = {}
    sellers: dict[int, Row] = {}
    rows = []
    for v in values:
        rows.append(
            {
                "id": global_id("Product", v["id"]),
                "pk": v["id"],
                "slug": v["slug"],
                "name": v["name"],
                "description": v["description"],
                "kind": v["kind"],
                "ocop_stars": v["ocop_stars"],
                "ocop_certificate_no": v["ocop_certificate_no"] or None,
                "harvest_months": v["harvest_months"] or [],
                "storage_notes": v["storage_notes"],
                "shipping_notes": v["shipping_notes"],
                "is_published": v["is_published"],
                "is_hidden": v["hidden_at"] is not None,
                "in_stock": v["in_stock"],
                "created_at": v["created_at"],
                "pricing": {"price_min": v["price_min"] or 0, "price_max": v["price_max"] or 0},
                "category": _category(v, categories),
                "seller": _seller(v, communes, sellers),
                "commune": _region(v, "commune", communes),
                "page": page,
            }
        )
    return rows


def product_listing(products: QuerySet[Product], *, offset: int, limit: int) -> tuple[list[Row], int]:
    """One page of card rows and the total count: two statements (plus lazy loads)."""
    rows = product_rows(products[offset : offset + limit]) if limit else []
    return rows, products.count()


def product_row(product_id: int) -> Row | None:
    """The card row of one product, without visibility checks (payloads, admin views)."""
    rows = product_rows(Product.objects.filter(pk=product_id), render_missing_thumbnails=True)
    return rows[0] if rows else None
