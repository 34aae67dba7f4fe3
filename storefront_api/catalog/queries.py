"""Catalog queries: products, product, categories and the listing report queue."""

from __future__ import annotations

from typing import Any

import graphene
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from graphql import GraphQLError

from backend.catalog.listing import Row, category_row, product_listing, product_rows
from backend.catalog.models import Product as ProductModel
from backend.catalog.selectors import categories_list, filter_products, sort_products, visible_products
from backend.moderation.reports import listing_reports_for
from storefront_api.catalog.inputs import (
    ProductFilter,
    ProductSortInput,
    enum_value,
    product_filters,
    query_id,
)
from storefront_api.catalog.reports import ListingReport, ReportStatus, report_rows
from storefront_api.catalog.types import Category, Product
from storefront_api.core.auth import current_user
from storefront_api.core.connection import Page, build_page, connection_field, page_window
from storefront_api.core.types import PROVINCE_ARGUMENT


def product_connection(
    info: graphene.ResolveInfo,
    *,
    first: int | None = None,
    after: str | None = None,
    filter: dict[str, Any] | None = None,
    sort_by: dict[str, Any] | None = None,
    products: QuerySet[ProductModel] | None = None,
    province: str | None = None,
) -> Page:
    """A `ProductConnection` page of the products the viewer may see.

    `products` narrows the set further (e.g. `Seller.products` passes the
    seller's products); visibility, filters and sorting always apply.
    """
    offset, size = page_window(first, after)
    visible = visible_products(user=current_user(info))
    if products is not None:
        visible = visible & products
    visible = filter_products(visible, product_filters(filter, province=province))
    sort_by = sort_by or {}
    visible = sort_products(
        visible,
        field=enum_value(sort_by.get("field")) or "CREATED",
        descending=(enum_value(sort_by.get("direction")) or "DESC") == "DESC",
    )
    rows, total = product_listing(visible, offset=offset, limit=size)
    return build_page(rows, offset=offset, total=total)


def seller_product_connection(
    info: graphene.ResolveInfo, *, seller_id: int, first: int | None = None, after: str | None = None
) -> Page:
    """`Seller.products`: the seller's products the viewer may see, newest first."""
    return product_connection(info, first=first, after=after, products=ProductModel.objects.filter(seller_id=seller_id))


class CatalogQueries(graphene.ObjectType):
    products = connection_field(
        Product,
        filter=ProductFilter(),
        sort_by=ProductSortInput(description="Default: newest first."),
        province=graphene.String(description=PROVINCE_ARGUMENT),
        description="Products on sale. A seller's staff also see their own drafts and hidden products.",
    )
    product = graphene.Field(
        Product,
        id=graphene.ID(),
        slug=graphene.String(),
        description="One product by ID or slug; null when it does not exist or is not visible to you.",
    )
    categories = connection_field(Category, description="The category tree, parents before their children.")
    listing_reports = connection_field(
        ListingReport,
        status=ReportStatus(),
        description="Reports on listings in your moderation scope, newest first. Province admins only.",
    )

    @staticmethod
    def resolve_products(
        root: Any,
        info: graphene.ResolveInfo,
        first: int | None = None,
        after: str | None = None,
        filter: dict[str, Any] | None = None,
        sort_by: dict[str, Any] | None = None,
        province: str | None = None,
    ) -> Page:
        return product_connection(info, first=first, after=after, filter=filter, sort_by=sort_by, province=province)

    @staticmethod
    def resolve_product(
        root: Any, info: graphene.ResolveInfo, id: str | None = None, slug: str | None = None
    ) -> Row | None:
        products = visible_products(user=current_user(info))
        if id:
            products = products.filter(pk=query_id(id, type_name="Product", field="id"))
        elif slug and slug.strip():
            products = products.filter(slug=slug.strip())
        else:
            return None
        rows = product_rows(products[:1], render_missing_thumbnails=True, details=True)
        return rows[0] if rows else None

    @staticmethod
    def resolve_categories(
        root: Any, info: graphene.ResolveInfo, first: int | None = None, after: str | None = None
    ) -> Page:
        offset, size = page_window(first, after)
        categories = categories_list()
        values = categories[offset : offset + size].values("id", "name", "name_en", "slug", "kind", "parent_id")
        return build_page([category_row(v) for v in values], offset=offset, total=categories.count())

    @staticmethod
    def resolve_listing_reports(
        root: Any,
        info: graphene.ResolveInfo,
        first: int | None = None,
        after: str | None = None,
        status: Any = None,
    ) -> Page:
        user = current_user(info)
        if user is None:
            raise GraphQLError(_("Please sign in first."), extensions={"code": "AUTHENTICATION_REQUIRED"})
        if not user.is_province_admin:
            raise GraphQLError(_("You do not have permission to do this."), extensions={"code": "PERMISSION_DENIED"})
        offset, size = page_window(first, after)
        reports = listing_reports_for(user=user, status=enum_value(status))
        return build_page(report_rows(reports[offset : offset + size]), offset=offset, total=reports.count())
