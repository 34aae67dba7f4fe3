"""Catalog input types and their translation into domain values."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils.translation import gettext_lazy as _
from graphql import GraphQLError

from backend.catalog.models import Category as CategoryModel
from backend.catalog.models import Product as ProductModel
from backend.catalog.models import ProductVariant as ProductVariantModel
from backend.catalog.selectors import ProductFilters
from backend.catalog.services import ProductData, VariantData
from backend.core.errors import NotFound, ValidationFailed
from backend.regions.models import Commune as CommuneModel
from backend.regions.selectors import province_scope
from backend.sellers.models import Seller as SellerModel
from storefront_api.catalog.types import ProductKind
from storefront_api.core.ids import decode_id
from storefront_api.core.scalars import BigInt


class ProductFilter(graphene.InputObjectType):
    kind = ProductKind()
    category = graphene.ID(description="Includes the category's sub-categories.")
    seller = graphene.ID()
    commune = graphene.ID()
    price_min = BigInt(description="Products with some variant at or above this price (đồng).")
    price_max = BigInt(description="Products with some variant at or below this price (đồng).")
    ocop_stars_min = graphene.Int()
    in_stock = graphene.Boolean()


class ProductSortField(graphene.Enum):
    CREATED = "CREATED"
    PRICE = "PRICE"
    NAME = "NAME"
    RELEVANCE = "RELEVANCE"


class SortDirection(graphene.Enum):
    ASC = "ASC"
    DESC = "DESC"


class ProductSortInput(graphene.InputObjectType):
    field = ProductSortField(required=True)
    direction = SortDirection(required=True)


class ProductCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    description = graphene.String(required=True)
    category = graphene.ID(required=True)
    kind = ProductKind(required=True)
    commune = graphene.ID(description="Place of origin; defaults to the seller's commune.")
    ocop_stars = graphene.Int(description="3, 4 or 5 when OCOP certified.")
    ocop_certificate_no = graphene.String()
    harvest_months = graphene.List(graphene.NonNull(graphene.Int), description="Months 1–12.")
    storage_notes = graphene.String()
    shipping_notes = graphene.String()
    tax_category = graphene.String(
        description="GOODS, SERVICE or TRANSPORT for the tax withheld for households; empty: from the kind."
    )


class ProductVariantInput(graphene.InputObjectType):
    sku = graphene.String(required=True, description="Unique among the seller's variants.")
    name = graphene.String(required=True)
    price = BigInt(required=True, description="Whole đồng.")
    stock = graphene.Int(required=True)
    weight_grams = graphene.Int()
    unit = graphene.String()


def enum_value(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def query_id(value: str, *, type_name: str, field: str) -> int:
    """A pk from a global ID in a query argument; a malformed one is a GraphQL error."""
    try:
        return decode_id(value, type_name=type_name, field=field)
    except ValidationFailed as exc:
        raise GraphQLError(str(exc.details[0].message), extensions={"code": "INVALID", "field": field}) from None


def product_filters(data: dict[str, Any] | None, *, province: str | None = None) -> ProductFilters:
    """The domain filter of a ProductFilter input, with a listing's optional `province` argument."""
    data = data or {}

    def pk(name: str, type_name: str) -> int | None:
        value = data.get(name)
        return query_id(value, type_name=type_name, field=name) if value else None

    return ProductFilters(
        kind=enum_value(data.get("kind")),
        category_id=pk("category", "Category"),
        seller_id=pk("seller", "Seller"),
        commune_id=pk("commune", "Commune"),
        price_min=data.get("price_min"),
        price_max=data.get("price_max"),
        ocop_stars_min=data.get("ocop_stars_min"),
        in_stock=data.get("in_stock"),
        province_id=province_scope(province),
    )


def _get(model: type[Any], value: str, *, type_name: str, field: str, related: tuple[str, ...] = ()) -> Any:
    pk = decode_id(value, type_name=type_name, field=field)
    found = model.objects.select_related(*related).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."), field=field)
    return found


def product_by_id(value: str, *, field: str = "id") -> ProductModel:
    return _get(ProductModel, value, type_name="Product", field=field, related=("seller__commune",))


def variant_by_id(value: str, *, field: str = "id") -> ProductVariantModel:
    return _get(ProductVariantModel, value, type_name="ProductVariant", field=field, related=("product",))


def seller_by_id(value: str, *, field: str = "seller") -> SellerModel:
    return _get(SellerModel, value, type_name="Seller", field=field, related=("commune",))


def product_data(data: dict[str, Any]) -> ProductData:
    commune = data.get("commune")
    return ProductData(
        name=data.get("name") or "",
        description=data.get("description") or "",
        category=_get(CategoryModel, data["category"], type_name="Category", field="category"),
        kind=enum_value(data.get("kind")) or "",
        commune=_get(CommuneModel, commune, type_name="Commune", field="commune") if commune else None,
        ocop_stars=data.get("ocop_stars"),
        ocop_certificate_no=data.get("ocop_certificate_no") or "",
        harvest_months=list(data.get("harvest_months") or []),
        storage_notes=data.get("storage_notes") or "",
        shipping_notes=data.get("shipping_notes") or "",
        tax_category=data.get("tax_category") or "",
    )


def variant_data(data: dict[str, Any]) -> VariantData:
    return VariantData(
        sku=data.get("sku") or "",
        name=data.get("name") or "",
        price=data["price"],
        stock=data["stock"],
        weight_grams=data.get("weight_grams"),
        unit=data.get("unit") or "",
    )
