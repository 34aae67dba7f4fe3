"""sellerHouseholdAdd: a cooperative's staff list a member household."""

from __future__ import annotations

from typing import Any

import graphene

from backend.sellers import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation, Payload
from storefront_api.sellers.mutations.common import commune_from_id, seller_from_id
from storefront_api.sellers.types import MemberHousehold, Seller


class SellerHouseholdInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    commune = graphene.ID(required=True)
    phone = graphene.String(description="Vietnamese number; stored as E.164.")


class SellerHouseholdAddPayload(Payload):
    seller = graphene.Field(Seller)
    household = graphene.Field(MemberHousehold)


class SellerHouseholdAdd(BaseMutation):
    """Add a member household to a cooperative (its staff only)."""

    class Arguments:
        seller = graphene.ID(required=True)
        input = SellerHouseholdInput(required=True)

    class Meta:
        output = SellerHouseholdAddPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        seller = arguments["seller"]
        input = arguments["input"]
        user = require_user(info)
        target = seller_from_id(seller, field="seller")
        household = services.seller_household_add(
            seller=target,
            actor=user,
            name=input.name,
            commune=commune_from_id(input.commune),
            phone=input.phone or "",
        )
        return {"seller": target, "household": household}
