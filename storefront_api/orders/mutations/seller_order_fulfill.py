"""sellerOrderFulfill: the goods are handed to the carrier or the buyer."""

from __future__ import annotations

from typing import Any

import graphene

from backend.orders import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.orders.common import load_seller_order, reloaded
from storefront_api.orders.types import SellerOrderPayload


class SellerOrderFulfill(BaseMutation):
    """Staff of the seller only; the order must be confirmed."""

    class Arguments:
        id = graphene.ID(required=True)
        tracking_number = graphene.String()

    class Meta:
        output = SellerOrderPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        seller_order = services.seller_order_fulfill(
            seller_order=load_seller_order(arguments["id"]),
            actor=user,
            tracking_number=arguments.get("tracking_number") or "",
        )
        return {"seller_order": reloaded(seller_order)}
