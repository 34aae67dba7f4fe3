"""sellerOrderMarkDelivered: the fulfilled goods reached the buyer (starts the payout hold)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.orders import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.orders.common import load_seller_order, reloaded
from storefront_api.orders.types import SellerOrderPayload


class SellerOrderMarkDelivered(BaseMutation):
    """Staff of the seller only; the order must be fulfilled."""

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        output = SellerOrderPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        seller_order = services.seller_order_mark_delivered(seller_order=load_seller_order(arguments["id"]), actor=user)
        return {"seller_order": reloaded(seller_order)}
