"""takedownRecord: a province officer records an authority's request; the listings are hidden at once."""

from __future__ import annotations

from typing import Any

import graphene

from backend.moderation.takedowns import takedown_record
from storefront_api.catalog.inputs import product_by_id
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation, Payload
from storefront_api.moderation.takedowns import TakedownRequest


class TakedownRecordInput(graphene.InputObjectType):
    authority = graphene.String(required=True, description="E.g. Sở Công Thương Lâm Đồng.")
    document_number = graphene.String(required=True)
    document_date = graphene.Date(required=True)
    received_at = graphene.DateTime(description="When the request arrived; now when omitted.")
    reason = graphene.String(required=True, description="The reason the authority states; sellers read it.")
    listings = graphene.List(graphene.NonNull(graphene.ID), required=True, description="Product IDs.")


class TakedownRecordPayload(Payload):
    takedown = graphene.Field(TakedownRequest)


class TakedownRecord(BaseMutation):
    """Every listing must belong to a seller you moderate; its seller is told by e-mail. Audited."""

    class Arguments:
        input = TakedownRecordInput(required=True)

    class Meta:
        output = TakedownRecordPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        data = arguments["input"]
        request = takedown_record(
            actor=user,
            authority=data.authority,
            document_number=data.document_number,
            document_date=data.document_date,
            received_at=data.received_at,
            reason=data.reason,
            products=[product_by_id(value, field="listings") for value in data.listings],
        )
        return {"takedown": request}
