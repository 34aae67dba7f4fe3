"""orderRefund: refund (part of) a seller order after a complaint (platform or province admin)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.orders import payments
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.core.scalars import BigInt
from storefront_api.orders.common import load_seller_order, reloaded
from storefront_api.orders.types import SellerOrderPayload


class OrderRefund(BaseMutation):
    """Platform staff, or a province admin of the seller's province."""

    class Arguments:
        id = graphene.ID(required=True, description="The SellerOrder to refund.")
        amount = BigInt(description="Đồng; the whole remaining amount when omitted.")
        reason = graphene.String(required=True)

    class Meta:
        output = SellerOrderPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        seller_order = load_seller_order(arguments["id"])
        payments.order_refund(
            seller_order=seller_order, actor=user, amount=arguments.get("amount"), reason=arguments["reason"]
        )
        return {"seller_order": reloaded(seller_order)}
