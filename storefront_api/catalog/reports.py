"""GraphQL types of listing reports (the province admins' moderation queue)."""

from __future__ import annotations

from typing import Any

import graphene
from django.db.models import QuerySet
from django.utils import timezone
from graphene import relay

from backend.catalog.listing import Row, global_id, product_rows
from backend.catalog.models import Product as ProductModel
from backend.moderation.models import ListingReport as ListingReportModel
from storefront_api.catalog.types import Product
from storefront_api.core.mutations import Payload


class ReportReason(graphene.Enum):
    COUNTERFEIT_OCOP = "COUNTERFEIT_OCOP"
    WRONG_ORIGIN = "WRONG_ORIGIN"
    PROHIBITED_ITEM = "PROHIBITED_ITEM"
    MISLEADING_PRICE = "MISLEADING_PRICE"
    REVIEW = "REVIEW"
    OTHER = "OTHER"


class ReportStatus(graphene.Enum):
    OPEN = "OPEN"
    ACTIONED = "ACTIONED"
    DISMISSED = "DISMISSED"


class ListingReport(graphene.ObjectType):
    """A buyer's report that a listing breaks the rules."""

    class Meta:
        interfaces = (relay.Node,)

    id = graphene.ID(required=True)
    product = graphene.Field(graphene.NonNull(Product))
    reason = graphene.Field(graphene.NonNull(ReportReason))
    note = graphene.String(required=True)
    status = graphene.Field(graphene.NonNull(ReportStatus))
    created_at = graphene.DateTime(required=True)
    resolved_at = graphene.DateTime()

    @staticmethod
    def resolve_created_at(root: Row, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root["created_at"])

    @staticmethod
    def resolve_resolved_at(root: Row, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root["resolved_at"]) if root["resolved_at"] else None


class ListingReportPayload(Payload):
    report = graphene.Field(ListingReport)


_REPORT_COLUMNS = ("id", "product_id", "reason", "note", "status", "created_at", "resolved_at")


def report_rows(reports: QuerySet[ListingReportModel]) -> list[Row]:
    """Rows for a page of reports with their products: two statements (plus lazy loads)."""
    values = list(reports.values(*_REPORT_COLUMNS))
    products = {
        row["pk"]: row for row in product_rows(ProductModel.objects.filter(pk__in={v["product_id"] for v in values}))
    }
    return [
        {**v, "id": global_id("ListingReport", v["id"]), "pk": v["id"], "product": products[v["product_id"]]}
        for v in values
    ]
