"""GraphQL of takedown requests: the type, the province admins' list, and the export's rows."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils import timezone

from backend.moderation.models import TakedownRequest as TakedownRequestModel
from backend.moderation.takedowns import handling_hours, takedowns_for
from storefront_api.core.auth import current_user
from storefront_api.core.connection import Page, connection_type, paginate
from storefront_api.core.ids import global_id


class TakedownListing(graphene.ObjectType):
    product_id = graphene.ID(required=True)
    product_name = graphene.String(required=True)
    seller_name = graphene.String(required=True)
    was_hidden = graphene.Boolean(required=True, description="Already hidden before this request.")


class TakedownRequest(graphene.ObjectType):
    """An authority's takedown request and the listings it named (province admins in scope)."""

    id = graphene.ID(required=True)
    authority = graphene.String(required=True)
    document_number = graphene.String(required=True)
    document_date = graphene.Date(required=True)
    reason = graphene.String(required=True)
    received_at = graphene.DateTime(required=True)
    handled_at = graphene.DateTime(required=True, description="When the listings were hidden.")
    handling_hours = graphene.Float(required=True)
    recorded_by = graphene.String(required=True, description="The officer's e-mail.")
    listings = graphene.List(graphene.NonNull(TakedownListing), required=True)

    @staticmethod
    def resolve_id(root: TakedownRequestModel, info: graphene.ResolveInfo) -> str:
        return global_id("TakedownRequest", root.pk)

    @staticmethod
    def resolve_received_at(root: TakedownRequestModel, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.received_at)

    @staticmethod
    def resolve_handled_at(root: TakedownRequestModel, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.handled_at)

    @staticmethod
    def resolve_handling_hours(root: TakedownRequestModel, info: graphene.ResolveInfo) -> float:
        return handling_hours(root)

    @staticmethod
    def resolve_recorded_by(root: TakedownRequestModel, info: graphene.ResolveInfo) -> str:
        return root.recorded_by.email or root.recorded_by.phone or ""

    @staticmethod
    def resolve_listings(root: TakedownRequestModel, info: graphene.ResolveInfo) -> list[TakedownListing]:
        return [
            TakedownListing(
                product_id=global_id("Product", listing.product_id),
                product_name=listing.product.name,
                seller_name=listing.seller.name,
                was_hidden=listing.was_hidden,
            )
            for listing in root.listings.all()
        ]


class TakedownQueries(graphene.ObjectType):
    takedown_requests = graphene.Field(
        graphene.NonNull(connection_type(TakedownRequest)),
        first=graphene.Int(),
        after=graphene.String(),
        description="Takedown requests touching listings you moderate, newest first. Province admins.",
    )

    @staticmethod
    def resolve_takedown_requests(
        root: Any, info: graphene.ResolveInfo, first: int | None = None, after: str | None = None
    ) -> Page:
        return paginate(takedowns_for(user=current_user(info)), first=first, after=after)
