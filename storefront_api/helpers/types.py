"""GraphQL types of commune helpers."""

from __future__ import annotations

import graphene

from backend.helpers.models import HelperAct as HelperActModel
from storefront_api.core.mutations import Payload


class HelperAct(graphene.ObjectType):
    """One act a commune helper did for a seller ("by helper X for seller Y")."""

    helper_name = graphene.String(required=True)
    act = graphene.String(required=True, description="The permission act, e.g. product.edit.")
    at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_helper_name(root: HelperActModel, info: graphene.ResolveInfo) -> str:
        return root.helper.full_name or str(root.helper)


class HelperCount(graphene.ObjectType):
    helper = graphene.String(required=True)
    commune = graphene.String(required=True)
    sellers_onboarded = graphene.Int(required=True)
    products_listed = graphene.Int(required=True)


class HelperAppointPayload(Payload):
    communes = graphene.List(graphene.NonNull(graphene.String), description="The communes' names.")


class SellerHelperRevokePayload(Payload):
    revoked = graphene.Boolean()
