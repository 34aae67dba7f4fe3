"""sellerIdentityVerify: the owner starts verifying the identity behind the seller."""

from __future__ import annotations

from typing import Any

import graphene

from backend.sellers import identity
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation, Payload
from storefront_api.core.scalars import Upload
from storefront_api.sellers.identity_types import IdentityVerification
from storefront_api.sellers.mutations.common import seller_from_id


class SellerIdentityVerifyPayload(Payload):
    verification = graphene.Field(IdentityVerification)
    redirect_url = graphene.String(description="VNeID or the sandbox: send the browser here.")


class SellerIdentityVerify(BaseMutation):
    """Verify the household head's (or the legal representative's) identity. `provider` is one of those
    offered (vneid, manual, sandbox in development); a manual review needs both photos of the CCCD card."""

    class Arguments:
        seller = graphene.ID(required=True)
        provider = graphene.String(required=True)
        full_name = graphene.String(required=True)
        birth_date = graphene.Date(required=True)
        id_number = graphene.String(required=True, description="The 12-digit CCCD number.")
        front_photo = Upload()
        back_photo = Upload()

    class Meta:
        output = SellerIdentityVerifyPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        verification, url = identity.identity_verification_start(
            seller=seller_from_id(arguments["seller"], field="seller"),
            actor=user,
            provider_id=arguments["provider"],
            full_name=arguments["full_name"],
            birth_date=arguments.get("birth_date"),
            id_number=arguments["id_number"],
            front_photo=arguments.get("front_photo"),
            back_photo=arguments.get("back_photo"),
        )
        return {"verification": verification, "redirect_url": url}
