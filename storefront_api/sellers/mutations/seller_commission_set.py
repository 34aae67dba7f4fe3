"""sellerCommissionSet: change the platform's commission on a seller's future orders (platform staff)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.sellers import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.sellers.mutations.common import seller_from_id
from storefront_api.sellers.types import SellerPayload


class SellerCommissionSet(BaseMutation):
    """Platform staff (or a province operator, see PLATFORM_OPERATOR_PROVINCES). Orders already
    placed keep their rate; the change is audited with its reason."""

    class Arguments:
        id = graphene.ID(required=True)
        rate_bp = graphene.Int(required=True, description="Basis points: 500 = 5 %, at most 3000.")
        reason = graphene.String(required=True)

    class Meta:
        output = SellerPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        seller = services.seller_commission_set(
            seller=seller_from_id(arguments["id"]),
            actor=require_user(info),
            rate_bp=arguments["rate_bp"],
            reason=arguments.get("reason") or "",
        )
        return {"seller": seller}
