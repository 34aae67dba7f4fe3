"""sellerApply: any signed-in user applies to sell; the seller starts PENDING."""

from __future__ import annotations

from typing import Any

import graphene

from backend.sellers import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.sellers.mutations.common import commune_from_id
from storefront_api.sellers.types import SellerKind, SellerPayload, SellerTaxStatus


class SellerApplyInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    kind = SellerKind(required=True)
    commune = graphene.ID(required=True, description="A commune since the July 2025 reform.")
    tax_code = graphene.String(
        description="Mã số thuế: 10 digits with the check digit, or 10 digits + '-' + 3 for a branch."
    )
    tax_status = SellerTaxStatus(description="Defaults to the kind's: households are HOUSEHOLD (tax withheld).")
    personal_id = graphene.String(description="CCCD number (12 digits) of a household or individual; stored encrypted.")
    business_registration_no = graphene.String(description="Cooperatives and enterprises: the registration number.")
    phone = graphene.String(required=True, description="Vietnamese number; stored as E.164.")
    description = graphene.String()
    address = graphene.String(description="Street address within the commune.")
    email = graphene.String(description="Contact address for the shop; decisions are also sent there.")


class SellerApply(BaseMutation):
    """Apply to sell. You become the seller's owner; a province admin reviews the application."""

    class Arguments:
        input = SellerApplyInput(required=True)

    class Meta:
        output = SellerPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        data = arguments["input"]
        seller = services.seller_apply(
            applicant=user,
            name=data.name,
            kind=str(getattr(data.kind, "value", data.kind)),
            commune=commune_from_id(data.commune),
            phone=data.phone,
            tax_code=data.tax_code,
            tax_status=str(getattr(data.tax_status, "value", data.tax_status or "")),
            personal_id=data.personal_id,
            business_registration_no=data.business_registration_no,
            description=data.description or "",
            address=data.address or "",
            email=data.email or "",
        )
        return {"seller": seller}
