"""helperHouseholdConsentRequest / helperHouseholdRegister: a helper registers a household seller,
which consents by reading back the code sent to its own phone."""

from __future__ import annotations

from typing import Any

import graphene

from backend.core.net import client_ip
from backend.helpers import services
from storefront_api.accounts.types import OtpRequestPayload
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.sellers.mutations.common import commune_from_id
from storefront_api.sellers.types import SellerPayload


class HelperHouseholdConsentRequest(BaseMutation):
    """Send the household the consent code (only in the helper's communes)."""

    class Arguments:
        commune = graphene.ID(required=True)
        phone = graphene.String(required=True, description="The household's own mobile.")

    class Meta:
        output = OtpRequestPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        asked = services.household_consent_request(
            helper=require_user(info),
            commune=commune_from_id(arguments["commune"]),
            phone=arguments["phone"],
            ip=client_ip(info.context),
        )
        return {
            "phone": asked.phone,
            "resend_after_seconds": asked.resend_after_seconds,
            "expires_in_seconds": asked.expires_in_seconds,
        }


class HelperHouseholdRegisterInput(graphene.InputObjectType):
    commune = graphene.ID(required=True)
    name = graphene.String(required=True)
    phone = graphene.String(required=True)
    code = graphene.String(required=True, description="The code the household read from its phone.")
    description = graphene.String()


class HelperHouseholdRegister(BaseMutation):
    """The household seller starts PENDING (the province approves it), owned by the household's phone."""

    class Arguments:
        input = HelperHouseholdRegisterInput(required=True)

    class Meta:
        output = SellerPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        data = arguments["input"]
        seller = services.household_register(
            helper=require_user(info),
            commune=commune_from_id(data.commune),
            name=data.name,
            phone=data.phone,
            code=data.code,
            ip=client_ip(info.context),
            description=data.description or "",
        )
        return {"seller": seller}
