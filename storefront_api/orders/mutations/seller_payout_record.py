"""sellerPayoutRecord: pay a seller what is available now (platform staff)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.orders import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation, Payload
from storefront_api.core.scalars import BigInt
from storefront_api.sellers.mutations.common import seller_from_id
from storefront_api.sellers.types import Seller


class SellerPayoutRecordPayload(Payload):
    seller = graphene.Field(Seller)
    amount = graphene.Field(BigInt, description="Đồng paid out now; 0 when nothing was available.")


class SellerPayoutRecord(BaseMutation):
    """Record the bank transfer of everything available for payout as one PAYOUT ledger entry
    (never twice the same money). Platform staff, or a province operator."""

    class Arguments:
        seller = graphene.ID(required=True)
        reference = graphene.String(description="The bank transfer's reference.")

    class Meta:
        output = SellerPayoutRecordPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        seller = seller_from_id(arguments["seller"], field="seller")
        entry = services.payout_record(seller=seller, actor=user, reference=arguments.get("reference") or "")
        return {"seller": seller, "amount": -entry.amount if entry is not None else 0}
