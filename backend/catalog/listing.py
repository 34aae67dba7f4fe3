"""The product card selector: plain dicts from a fixed number of SQL statements.

`product_listing` serves `products(...)` grids; `product_rows` serves one
product (`product(id|slug)`, mutation payloads) through the same code. Cost:
one statement for the card columns of the products joined to category and
seller, one for the communes (and provinces) of the page, a COUNT for a
listing; on first use by the API, one for the variants of the whole page, one
per requested thumbnail size for the first images of the page, one for the
detail columns (description, notes…) of the page. A page of 50 costs the same
as a page of 5.

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
from django.db import connection
from django.db.models import QuerySet

from backend.catalog import images
from backend.catalog.models import Certification, Product, ProductImage, ProductVariant, Thumbnail
from backend.regions.models import Commune, Province

Row = dict[str, Any]

_REGION = ("code", "name", "short_name", "slug", "kind")
_PROVINCE = ("code", "name", "short_name", "slug", "name_en")
# The communes (and their provinces) of a page come from a statement of their
# own: joining them to the product query twice made it an 8-table join that took
# PostgreSQL longer to plan (~8 ms) than to run (~1 ms).
# What a grid card needs, in one statement; the long or rarely shown columns
# (DETAIL_COLUMNS) are loaded for the whole page on first use.
CARD_COLUMNS: tuple[str, ...] = (
    "id",
    "slug",
    "name",
    "kind",
    "ocop_stars",
    "is_published",
    "hidden_at",
    "price_min",
    "price_max",
    "in_stock",
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
    "seller__commune_id",
    "commune_id",
)
DETAIL_COLUMNS: tuple[str, ...] = (
    "description",
    "ocop_certificate_no",
    "harvest_months",
    "storage_notes",
    "shipping_notes",
    "created_at",
)


def _details(values: Mapping[str, Any]) -> Row:
    """The detail keys of a product row (see `product_detail`), from DETAIL_COLUMNS values."""
    return {
        "description": values["description"],
        "ocop_certificate_no": values["ocop_certificate_no"] or None,
        "harvest_months": values["harvest_months"] or [],
        "storage_notes": values["storage_notes"],
        "shipping_notes": values["shipping_notes"],
        "created_at": values["created_at"],
    }


def product_detail(row: Row, key: str) -> Any:
    """A detail value of a product row (description, notes, harvest months…), loaded for its page on first use."""
    if key not in row:
        row.update(row["page"].details(row["pk"]))
    return row[key]


def global_id(type_name: str, pk: int) -> str:
    """The Relay global ID, base64("Type:pk"), as the API layer decodes it."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def available_quantities(variants: list[Row]) -> None:
    """Set `quantity_available` on variant rows of one page: stock − live checkout holds.

    The one place that decides what a buyer can still add to a cart; one query
    for the whole page (none when no variant has stock).
    """
    # Inside: catalog sits below checkout (an upward import, tests/test_architecture.py KNOWN_UPWARD).
    from backend.checkout.reservations import held_quantities

    held = held_quantities(v["pk"] for v in variants if v["stock"] > 0)
    for variant in variants:
        variant["quantity_available"] = max(variant["stock"] - held.get(variant["pk"], 0), 0)


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


# The page-level statements are fixed in shape and keyed by product ids only (no
# visibility rules): plain SQL, valid on PostgreSQL and SQLite, saves the ORM's
# per-statement compile and row-conversion cost (~1 ms each here).
_VARIANTS_SQL = (
    "SELECT id, product_id, sku, name, price, stock, weight_grams, unit, position"
    f" FROM {ProductVariant._meta.db_table} WHERE product_id IN ({{ids}}) ORDER BY product_id, position, id"
)
# The first image of each product (by position, then id) and its thumbnail of one size.
_THUMBNAILS_SQL = (
    "SELECT i.id, i.product_id, i.image, i.alt, i.width, i.height, t.file, t.width, t.height"
    f" FROM {ProductImage._meta.db_table} i"
    f" LEFT JOIN {Thumbnail._meta.db_table} t ON t.image_id = i.id AND t.size = %s"
    " WHERE i.product_id IN ({ids}) AND i.id = ("
    f"SELECT u.id FROM {ProductImage._meta.db_table} u WHERE u.product_id = i.product_id"
    " ORDER BY u.position, u.id LIMIT 1)"
)
_COMMUNES_SQL = (
    "SELECT c.id, c.code, c.name, c.short_name, c.slug, c.kind, c.province_id,"
    " p.code, p.name, p.short_name, p.slug, p.name_en"
    f" FROM {Commune._meta.db_table} c JOIN {Province._meta.db_table} p ON p.id = c.province_id"
    " WHERE c.id IN ({ids})"
)


def _rows_for_products(sql: str, ids: list[int], *params: Any) -> list[tuple[Any, ...]]:
    """Run a page-level statement for `ids` (`{ids}` in `sql`, after `params`); none for no ids."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql.format(ids=", ".join(["%s"] * len(ids))), [*params, *ids])
        return cursor.fetchall()


class ProductPage:
    """Loads the variants and images of a page of products once, for all of them."""

    def __init__(self, names: dict[int, str], *, render_missing_thumbnails: bool = False) -> None:
        self.names = names
        self.render_missing_thumbnails = render_missing_thumbnails
        self._variants: dict[int, list[Row]] | None = None
        self._images: dict[int, list[Row]] | None = None
        self._details: dict[int, Row] | None = None
        self._certifications: dict[int, list[Certification]] | None = None
        self._experiences: dict[int, Any] | None = None
        self._thumbnails: dict[int, dict[int, Row]] = {}

    def variants(self, product_id: int) -> list[Row]:
        if self._variants is None:
            by_product: dict[int, list[Row]] = defaultdict(list)
            values = _rows_for_products(_VARIANTS_SQL, list(self.names))
            rows = [variant_row(dict(zip(_VARIANT_COLUMNS, v, strict=True))) for v in values]
            available_quantities(rows)
            for row in rows:
                by_product[row["product_id"]].append(row)
            self._variants = by_product
        return self._variants.get(product_id, [])

    def certifications(self, product_id: int) -> list[Certification]:
        if self._certifications is None:
            by_product: dict[int, list[Certification]] = defaultdict(list)
            for certification in Certification.objects.filter(product_id__in=list(self.names)).order_by("id"):
                by_product[certification.product_id].append(certification)
            self._certifications = by_product
        return self._certifications.get(product_id, [])

    def experience(self, product_id: int) -> Any:
        """The experience details of a product of the page (two queries for the whole page)."""
        if self._experiences is None:
            # Inside: catalog sits below experiences (KNOWN_UPWARD in tests/test_architecture.py).
            from backend.experiences.models import Experience

            rows = (
                Experience.objects.filter(product_id__in=list(self.names))
                .select_related("meeting_commune__province")
                .prefetch_related("participant_types")
            )
            self._experiences = {e.product_id: e for e in rows}
        return self._experiences.get(product_id)

    def details(self, product_id: int) -> Row:
        if self._details is None:
            values = Product.objects.filter(pk__in=list(self.names)).values("id", *DETAIL_COLUMNS)
            self._details = {v["id"]: _details(v) for v in values}
        return self._details.get(product_id, {})

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
        values = _rows_for_products(_THUMBNAILS_SQL, list(self.names), size)
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


def communes_by_pk(ids: set[int]) -> dict[int, Commune]:
    """Unsaved Commune instances (with their Province) for `ids`: one statement."""
    found: dict[int, Commune] = {}
    for values in _rows_for_products(_COMMUNES_SQL, sorted(ids)):
        commune = _COMMUNES.get(values)
        if commune is None:
            province = Province(id=values[6], **dict(zip(_PROVINCE, values[7:], strict=True)))
            commune = Commune(id=values[0], province=province, **dict(zip(_REGION, values[1:6], strict=True)))
            if len(_COMMUNES) >= _COMMUNES_MAX:
                _COMMUNES.clear()
            _COMMUNES[values] = commune
        found[values[0]] = commune
    return found


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
            "commune": communes[values["seller__commune_id"]],
        }
        cache[pk] = seller
    return seller


def product_rows(
    products: QuerySet[Product], *, render_missing_thumbnails: bool = False, details: bool = False
) -> list[Row]:
    """Card rows for `products` (already filtered, ordered and sliced): one SELECT, plus
    one for their communes. `details` selects the detail columns at once (one product)."""
    values = list(products.values(*CARD_COLUMNS, *(DETAIL_COLUMNS if details else ())))
    page = ProductPage({v["id"]: v["name"] for v in values}, render_missing_thumbnails=render_missing_thumbnails)
    communes = communes_by_pk({v["commune_id"] for v in values} | {v["seller__commune_id"] for v in values})
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
                "kind": v["kind"],
                "ocop_stars": v["ocop_stars"],
                "is_published": v["is_published"],
                "is_hidden": v["hidden_at"] is not None,
                "in_stock": v["in_stock"],
                "pricing": {"price_min": v["price_min"] or 0, "price_max": v["price_max"] or 0},
                "category": _category(v, categories),
                "seller": _seller(v, communes, sellers),
                "commune": communes[v["commune_id"]],
                "page": page,
            }
        )
        if details:
            rows[-1].update(_details(v))
    return rows


def product_listing(products: QuerySet[Product], *, offset: int, limit: int) -> tuple[list[Row], int]:
    """One page of card rows and the total count: three statements (plus lazy loads)."""
    rows = product_rows(products[offset : offset + limit]) if limit else []
    return rows, products.count()


def product_row(product_id: int) -> Row | None:
    """The card row of one product, without visibility checks (payloads, admin views)."""
    rows = product_rows(Product.objects.filter(pk=product_id), render_missing_thumbnails=True, details=True)
    return rows[0] if rows else None
