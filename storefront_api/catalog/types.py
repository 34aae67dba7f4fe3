"""Catalog GraphQL types, fed by the plain dict rows of `backend.catalog.listing`.

Plain `graphene.ObjectType`s with default (dict) resolvers wherever possible:
a product card resolves ~40 fields, so per-field work matters. Global IDs are
precomputed by the selector; variants and images come from the page loader
the rows share, so a page costs a fixed number of SQL statements.
"""

from __future__ import annotations

from typing import Any

import graphene
from django.utils import timezone
from graphene import relay

from backend.catalog.listing import Row, category_row, product_detail
from backend.catalog.models import Category as CategoryModel
from backend.reviews.selectors import product_reviews
from storefront_api.core.connection import paginate
from storefront_api.core.mutations import Payload
from storefront_api.core.types import money_field
from storefront_api.regions.types import Commune


class ProductKind(graphene.Enum):
    GOODS = "GOODS"
    EXPERIENCE = "EXPERIENCE"


def categories_by_pk(info: graphene.ResolveInfo) -> dict[int, Row]:
    """Every category as a row, loaded once per request (the tree is small)."""
    cached: dict[int, Row] | None = getattr(info.context, "_catalog_categories", None)
    if cached is None:
        cached = {row["pk"]: row for row in map(category_row, CategoryModel.objects.values(*_CATEGORY_COLUMNS))}
        info.context._catalog_categories = cached
    return cached


_CATEGORY_COLUMNS = ("id", "name", "name_en", "slug", "kind", "parent_id", "path")


class Category(graphene.ObjectType):
    class Meta:
        interfaces = (relay.Node,)

    id = graphene.ID(required=True)
    name = graphene.String(required=True, description='Vietnamese name, e.g. "Trái cây".')
    name_en = graphene.String(description='English name, e.g. "Fruit".')
    slug = graphene.String(required=True)
    kind = graphene.Field(graphene.NonNull(ProductKind))
    parent = graphene.Field(lambda: Category)

    @staticmethod
    def resolve_name_en(root: Row, info: graphene.ResolveInfo) -> str | None:
        return root["name_en"] or None

    @staticmethod
    def resolve_parent(root: Row, info: graphene.ResolveInfo) -> Row | None:
        parent_pk = root["parent_pk"]
        return None if parent_pk is None else categories_by_pk(info).get(parent_pk)


class Image(graphene.ObjectType):
    url = graphene.String(required=True, description="Absolute, or relative to the site root.")
    alt = graphene.String()
    width = graphene.Int()
    height = graphene.Int()


class ProductPricing(graphene.ObjectType):
    price_min = money_field(description="Lowest variant price (0 while there is no variant).")
    price_max = money_field(description="Highest variant price.")


class ProductVariant(graphene.ObjectType):
    class Meta:
        interfaces = (relay.Node,)

    id = graphene.ID(required=True)
    sku = graphene.String(required=True)
    name = graphene.String(required=True, description='e.g. "Hộp 1 kg".')
    price = money_field()
    quantity_available = graphene.Int(required=True, description="Stock minus live reservations.")
    weight_grams = graphene.Int()
    unit = graphene.String(description='e.g. "kg", "hộp".')

    @staticmethod
    def resolve_unit(root: Row, info: graphene.ResolveInfo) -> str | None:
        return root["unit"] or None


class Product(graphene.ObjectType):
    """Farm goods or an experience (tour, homestay, workshop…) of one seller."""

    class Meta:
        interfaces = (relay.Node,)

    id = graphene.ID(required=True)
    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    description = graphene.String(required=True)
    kind = graphene.Field(graphene.NonNull(ProductKind))
    category = graphene.Field(graphene.NonNull(Category))
    seller = graphene.Field(graphene.NonNull("storefront_api.sellers.types.Seller"))
    commune = graphene.Field(graphene.NonNull(Commune), description="Place of origin, or where the experience happens.")
    ocop_stars = graphene.Int(description="3 to 5 when OCOP certified, else null.")
    ocop_certificate_no = graphene.String()
    harvest_months = graphene.List(
        graphene.NonNull(graphene.Int), required=True, description="Harvest season, months 1–12."
    )
    storage_notes = graphene.String(required=True)
    shipping_notes = graphene.String(required=True)
    thumbnail = graphene.Field(
        Image,
        size=graphene.Int(description="Wanted size in pixels; the nearest of 128, 256, 512, 1024 is served."),
        description="The first image as a WebP of the nearest allowed size.",
    )
    images = graphene.List(graphene.NonNull(Image), required=True)
    pricing = graphene.Field(graphene.NonNull(ProductPricing))
    variants = graphene.List(graphene.NonNull(ProductVariant), required=True, description="In display order.")
    in_stock = graphene.Boolean(required=True)
    is_published = graphene.Boolean(required=True)
    is_hidden = graphene.Boolean(required=True, description="Hidden by a province admin (seen by staff only).")
    created_at = graphene.DateTime(required=True)
    experience = graphene.Field(
        "storefront_api.experiences.types.ExperienceDetails",
        description="Duration, meeting point, participant prices, policy, schedules (experiences only).",
    )
    certifications = graphene.List(
        graphene.NonNull(lambda: _certification_type()),
        required=True,
        description="VietGAP, GlobalGAP, organic…: `verified` once a province admin checked the document.",
    )
    rating = graphene.Field(
        graphene.NonNull("storefront_api.reviews.types.Rating"), description="From verified reviews (no extra query)."
    )
    sold_count = graphene.Int(required=True, description='"Đã bán": units delivered over the last 12 months.')
    reviews = graphene.Field(
        graphene.NonNull("storefront_api.reviews.types.ReviewConnection"),
        first=graphene.Int(),
        after=graphene.String(),
        description="Verified buyers' reviews, newest first (hidden ones say so).",
    )

    @staticmethod
    def resolve_reviews(
        root: Row, info: graphene.ResolveInfo, first: int | None = None, after: str | None = None
    ) -> Any:
        return paginate(product_reviews(product_id=root["pk"]), first=first, after=after)

    @staticmethod
    def resolve_thumbnail(root: Row, info: graphene.ResolveInfo, size: int | None = None) -> Row | None:
        return root["page"].thumbnail(root["pk"], size)

    @staticmethod
    def resolve_images(root: Row, info: graphene.ResolveInfo) -> list[Row]:
        return root["page"].images(root["pk"])

    @staticmethod
    def resolve_certifications(root: Row, info: graphene.ResolveInfo) -> list[Any]:
        return root["page"].certifications(root["pk"])

    @staticmethod
    def resolve_experience(root: Row, info: graphene.ResolveInfo) -> Any:
        return root["page"].experience(root["pk"])

    @staticmethod
    def resolve_variants(root: Row, info: graphene.ResolveInfo) -> list[Row]:
        return root["page"].variants(root["pk"])

    @staticmethod
    def resolve_created_at(root: Row, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(product_detail(root, "created_at"))

    # Detail fields: loaded for the whole page when first asked for (not by grid cards).
    @staticmethod
    def resolve_description(root: Row, info: graphene.ResolveInfo) -> str:
        return product_detail(root, "description")

    @staticmethod
    def resolve_ocop_certificate_no(root: Row, info: graphene.ResolveInfo) -> str | None:
        return product_detail(root, "ocop_certificate_no")

    @staticmethod
    def resolve_harvest_months(root: Row, info: graphene.ResolveInfo) -> list[int]:
        return product_detail(root, "harvest_months")

    @staticmethod
    def resolve_storage_notes(root: Row, info: graphene.ResolveInfo) -> str:
        return product_detail(root, "storage_notes")

    @staticmethod
    def resolve_shipping_notes(root: Row, info: graphene.ResolveInfo) -> str:
        return product_detail(root, "shipping_notes")


class ProductPayload(Payload):
    product = graphene.Field(Product)


class ProductVariantPayload(Payload):
    variant = graphene.Field(ProductVariant)


class ProductImagePayload(Payload):
    image = graphene.Field(Image)


def _certification_type() -> type[graphene.ObjectType]:
    # Imported lazily: the certifications module imports catalog inputs, which import these types.
    from storefront_api.catalog.certifications import Certification

    return Certification
