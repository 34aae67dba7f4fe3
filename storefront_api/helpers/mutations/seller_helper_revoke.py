"""sellerHelperRevoke: the seller's owner ends a commune helper's access."""

from __future__ import annotations

from typing import Any

import graphene

from backend.accounts.models import User
from backend.core.errors import NotFound
from backend.helpers import services
from storefront_api.core.auth import require_user
from storefront_api.core.ids import decode_id
from storefront_api.core.mutations import BaseMutation
from storefront_api.helpers.types import SellerHelperRevokePayload
from storefront_api.sellers.mutations.common import seller_from_id


class SellerHelperRevoke(BaseMutation):
    class Arguments:
        seller = graphene.ID(required=True)
        helper = graphene.ID(required=True, description="The helper's User id.")

    class Meta:
        output = SellerHelperRevokePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        actor = require_user(info)
        seller = seller_from_id(arguments["seller"], field="seller")
        helper = User.objects.filter(pk=decode_id(arguments["helper"], type_name="User", field="helper")).first()
        if helper is None:
            raise NotFound(field="helper")
        services.helper_revoke(actor=actor, seller=seller, helper=helper)
        return {"revoked": True}
