"""sellerDocumentUpload: the owner attaches a business registration or food-safety certificate."""

from __future__ import annotations

from typing import Any

import graphene

from backend.sellers import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation, Payload
from storefront_api.core.scalars import Upload
from storefront_api.sellers.mutations.common import seller_from_id
from storefront_api.sellers.types import Seller, SellerDocument


class SellerDocumentUploadPayload(Payload):
    seller = graphene.Field(Seller)
    document = graphene.Field(SellerDocument)


class SellerDocumentUpload(BaseMutation):
    """Upload a PDF, JPEG or PNG of at most 10 MB (owner only)."""

    class Arguments:
        seller = graphene.ID(required=True)
        kind = graphene.String(required=True, description="BUSINESS_REGISTRATION | FOOD_SAFETY_CERTIFICATE")
        file = Upload(required=True)

    class Meta:
        output = SellerDocumentUploadPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        seller = arguments["seller"]
        kind = arguments["kind"]
        file = arguments["file"]
        user = require_user(info)
        target = seller_from_id(seller, field="seller")
        document = services.seller_document_upload(seller=target, actor=user, kind=kind, file=file)
        return {"seller": target, "document": document}
