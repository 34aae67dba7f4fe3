"""sellerReject: PENDING → REJECTED, with a reason the applicant reads. Province admin."""

from __future__ import annotations

from typing import Any

import graphene

from backend.sellers import services
from storefront_api.core.mutations import BaseMutation
from storefront_api.sellers.mutations.common import seller_from_id
from storefront_api.sellers.types import SellerPayload


class SellerReject(BaseMutation):
    """PENDING → REJECTED, with a reason the applicant reads. Province admin."""

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    class Meta:
        output = SellerPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        seller = services.seller_reject(
            seller=seller_from_id(arguments["id"]), actor=info.context.user, reason=arguments.get("reason") or ""
        )
        return {"seller": seller}
