"""GraphQL types of the province dashboard and alerts (read from backend.reports dataclasses)."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils import timezone

from backend.reports.models import Alert as AlertModel
from backend.reports.models import AlertKind as AlertKindChoices
from storefront_api.core.ids import global_id
from storefront_api.core.types import money_field
from storefront_api.regions.types import Commune, Province

AlertKind = graphene.Enum("AlertKind", [(value, value) for value in AlertKindChoices.values])


class CommuneTrade(graphene.ObjectType):
    """One commune of the province: trade in the range and its sellers today."""

    commune = graphene.Field(graphene.NonNull(Commune))
    gmv = money_field(description="Money received for its sellers' orders, less refunds.")
    orders = graphene.Int(required=True, description="Distinct orders with a paid or collected part from it.")
    sellers_approved = graphene.Int(required=True)
    sellers_pending = graphene.Int(required=True)
    sellers_suspended = graphene.Int(required=True)
    covered = graphene.Boolean(required=True, description="At least one approved seller with a published product.")


class CategoryTrade(graphene.ObjectType):
    category_id = graphene.ID(description="Global ID of the Category; null for lines whose variant is gone.")
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    gmv = money_field(description="Goods value of the lines, refunds shared pro rata; no delivery fees.")
    ocop_gmv = money_field(description="The part of `gmv` from OCOP-rated products.")
    orders = graphene.Int(required=True)

    @staticmethod
    def resolve_category_id(root: Any, info: graphene.ResolveInfo) -> str | None:
        return global_id("Category", root.category_id) if root.category_id else None


class DayTrade(graphene.ObjectType):
    day = graphene.Date(required=True, description="Local date (Asia/Ho_Chi_Minh).")
    gmv = money_field()
    orders = graphene.Int(required=True)


class Coverage(graphene.ObjectType):
    communes_total = graphene.Int(required=True)
    communes_covered = graphene.Int(required=True)
    rate = graphene.Float(description="Covered / total; null for a province without communes.")
    uncovered = graphene.List(
        graphene.NonNull(Commune), required=True, description="Communes without an approved seller selling."
    )


class Onboarding(graphene.ObjectType):
    decided = graphene.Int(required=True, description="Applications first decided in the range.")
    median_hours = graphene.Float(description="Application to decision, median; null when none.")
    p90_hours = graphene.Float(description="Application to decision, 90th percentile; null when none.")


class ExperienceFigures(graphene.ObjectType):
    bookings = graphene.Int(required=True, description="Confirmed and no-show bookings made in the range.")
    participants = graphene.Int(required=True)
    tickets_due = graphene.Int(required=True, description="Valid tickets of those bookings whose slot has started.")
    checked_in = graphene.Int(required=True)
    check_in_rate = graphene.Float(description="checkedIn / ticketsDue; null when no ticket is due yet.")


class TopProduct(graphene.ObjectType):
    product_id = graphene.ID()
    name = graphene.String(required=True)
    seller_name = graphene.String(required=True)
    gmv = money_field()
    quantity = graphene.Int(required=True)

    @staticmethod
    def resolve_product_id(root: Any, info: graphene.ResolveInfo) -> str | None:
        return global_id("Product", root.product_id) if root.product_id else None


class TopSeller(graphene.ObjectType):
    seller_id = graphene.ID(required=True)
    name = graphene.String(required=True)
    commune_name = graphene.String(required=True)
    gmv = money_field()
    orders = graphene.Int(required=True)

    @staticmethod
    def resolve_seller_id(root: Any, info: graphene.ResolveInfo) -> str:
        return global_id("Seller", root.seller_id)


class SellerStatusCount(graphene.ObjectType):
    status = graphene.String(required=True)
    count = graphene.Int(required=True)


class ProvinceDashboard(graphene.ObjectType):
    """Trade of one province over local dates dateFrom..dateTo (inclusive)."""

    province = graphene.Field(graphene.NonNull(Province))
    date_from = graphene.Date(required=True)
    date_to = graphene.Date(required=True)
    gmv = money_field(description="Online payments captured and cash collected, less refunds.")
    orders = graphene.Int(required=True)
    goods_gmv = money_field(description="`gmv` without delivery fees (the sum of byCategory).")
    ocop_gmv = money_field()
    ocop_share = graphene.Float(description="ocopGmv / goodsGmv; null without sales.")
    by_commune = graphene.List(graphene.NonNull(CommuneTrade), required=True, description="Largest GMV first.")
    by_category = graphene.List(graphene.NonNull(CategoryTrade), required=True)
    by_day = graphene.List(graphene.NonNull(DayTrade), required=True)
    sellers = graphene.List(graphene.NonNull(SellerStatusCount), required=True, description="Sellers by status today.")
    coverage = graphene.Field(graphene.NonNull(Coverage))
    onboarding = graphene.Field(graphene.NonNull(Onboarding))
    experiences = graphene.Field(ExperienceFigures, description="Null when experiences are not available.")
    top_products = graphene.List(graphene.NonNull(TopProduct), required=True)
    top_sellers = graphene.List(graphene.NonNull(TopSeller), required=True)

    @staticmethod
    def resolve_sellers(root: Any, info: graphene.ResolveInfo) -> list[dict[str, Any]]:
        return [{"status": status, "count": count} for status, count in sorted(root.sellers.items())]


class Alert(graphene.ObjectType):
    """An early warning about a seller, a listing or a commune."""

    id = graphene.ID(required=True)
    kind = graphene.Field(graphene.NonNull(AlertKind))
    title = graphene.String(required=True, description="The kind in words (Vietnamese by default).")
    commune = graphene.Field(Commune)
    seller_id = graphene.ID()
    seller_name = graphene.String()
    product_id = graphene.ID()
    product_name = graphene.String()
    figure = graphene.Float(required=True, description="Days, a rate (0–1), a count or a price ratio.")
    threshold = graphene.Float(required=True)
    first_seen_at = graphene.DateTime(required=True)
    last_seen_at = graphene.DateTime(required=True)
    resolved_at = graphene.DateTime()

    @staticmethod
    def resolve_id(root: AlertModel, info: graphene.ResolveInfo) -> str:
        return global_id("Alert", root.pk)

    @staticmethod
    def resolve_title(root: AlertModel, info: graphene.ResolveInfo) -> str:
        return str(root.get_kind_display())

    @staticmethod
    def resolve_seller_id(root: AlertModel, info: graphene.ResolveInfo) -> str | None:
        return global_id("Seller", root.seller_id) if root.seller_id else None

    @staticmethod
    def resolve_seller_name(root: AlertModel, info: graphene.ResolveInfo) -> str | None:
        return root.seller.name if root.seller_id and root.seller else None

    @staticmethod
    def resolve_product_id(root: AlertModel, info: graphene.ResolveInfo) -> str | None:
        return global_id("Product", root.product_id) if root.product_id else None

    @staticmethod
    def resolve_product_name(root: AlertModel, info: graphene.ResolveInfo) -> str | None:
        return root.product.name if root.product_id and root.product else None

    @staticmethod
    def resolve_first_seen_at(root: AlertModel, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.first_seen_at)

    @staticmethod
    def resolve_last_seen_at(root: AlertModel, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.last_seen_at)

    @staticmethod
    def resolve_resolved_at(root: AlertModel, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.resolved_at) if root.resolved_at else None
