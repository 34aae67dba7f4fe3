"""sellerOrderCancel: the seller cancels its part; stock goes back and payment is refunded."""

from __future__ import annotations

from typing import Any

import graphene

from backend.orders import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.orders.common import load_seller_order, reloaded
from storefront_api.orders.types import SellerOrderPayload


class SellerOrderCancel(BaseMutation):
    """Staff of the seller only; a reason is required (the buyer sees it)."""

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    class Meta:
        output = SellerOrderPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        seller_order = services.seller_order_cancel(
            seller_order=load_seller_order(arguments["id"]), actor=user, reason=arguments["reason"]
        )
        return {"seller_order": reloaded(seller_order)}
