"""sellerStaffInvite: the owner invites someone to the staff by e-mail."""

from __future__ import annotations

from typing import Any

import graphene

from backend.sellers import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation, Payload
from storefront_api.sellers.mutations.common import seller_from_id
from storefront_api.sellers.types import SellerInvitation


class SellerStaffInvitePayload(Payload):
    invitation = graphene.Field(SellerInvitation)


class SellerStaffInvite(BaseMutation):
    """Invite a staff member (owner only). The code is e-mailed; it is valid for 7 days."""

    class Arguments:
        seller = graphene.ID(required=True)
        email = graphene.String(required=True)

    class Meta:
        output = SellerStaffInvitePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        seller = arguments["seller"]
        email = arguments["email"]
        user = require_user(info)
        target = seller_from_id(seller, field="seller")
        return {"invitation": services.seller_staff_invite(seller=target, actor=user, email=email)}
