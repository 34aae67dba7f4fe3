"""sellerOrderCodRecord: a cash-on-delivery event (cash collected, delivery failed, returned…)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.orders import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.core.scalars import BigInt
from storefront_api.orders.common import load_seller_order, reloaded
from storefront_api.orders.types import SellerOrderPayload


class SellerOrderCodRecord(BaseMutation):
    """The seller records cash it collected itself (own delivery, pickup), failed deliveries and
    returns; carrier collections, remittance and settlement are recorded by the platform."""

    class Arguments:
        id = graphene.ID(required=True)
        status = graphene.String(
            required=True, description="IN_TRANSIT | COLLECTED | DELIVERY_FAILED | RETURNING | RETURNED …"
        )
        amount = BigInt(description="Cash collected (đồng); must equal the seller order's total.")

    class Meta:
        output = SellerOrderPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        seller_order = services.cod_record(
            seller_order=load_seller_order(arguments["id"]),
            actor=user,
            status=(arguments["status"] or "").strip().upper(),
            amount=arguments.get("amount"),
        )
        return {"seller_order": reloaded(seller_order)}
