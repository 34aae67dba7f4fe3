"""sellerInvitationAccept: the invited (signed-in) user joins the seller's staff."""

from __future__ import annotations

from typing import Any

import graphene

from backend.sellers import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.sellers.types import SellerPayload


class SellerInvitationAccept(BaseMutation):
    """Accept an invitation with the code from the e-mail; sign in with the invited address first."""

    class Arguments:
        token = graphene.String(required=True)

    class Meta:
        output = SellerPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        token = arguments["token"]
        user = require_user(info)
        membership = services.seller_invitation_accept(token=token, user=user)
        return {"seller": membership.seller}
