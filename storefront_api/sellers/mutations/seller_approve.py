"""sellerApprove: PENDING → APPROVED. Province admin of the seller's commune."""

from __future__ import annotations

from typing import Any

import graphene

from backend.sellers import services
from storefront_api.core.mutations import BaseMutation
from storefront_api.sellers.mutations.common import seller_from_id
from storefront_api.sellers.types import SellerPayload


class SellerApprove(BaseMutation):
    """PENDING → APPROVED. Province admin of the seller's commune."""

    class Arguments:
        id = graphene.ID(required=True)
        note = graphene.String()

    class Meta:
        output = SellerPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        seller = services.seller_approve(
            seller=seller_from_id(arguments["id"]), actor=info.context.user, note=arguments.get("note") or ""
        )
        return {"seller": seller}
