"""reviewHide: a province admin hides a review for a listed reason."""

from __future__ import annotations

from typing import Any

import graphene

from backend.reviews import services
from storefront_api.catalog.inputs import enum_value
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.reviews.common import review_by_id
from storefront_api.reviews.types import ReviewHideReason, ReviewPayload


class ReviewHide(BaseMutation):
    """Province admins covering the seller's commune only; audited. The review then shows as
    "hidden by moderation" with the reason; its stars still count."""

    class Arguments:
        id = graphene.ID(required=True)
        reason = ReviewHideReason(required=True)
        note = graphene.String(description="For the audit log.")

    class Meta:
        output = ReviewPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        review = services.review_hide(
            review=review_by_id(arguments["id"]),
            actor=user,
            reason=enum_value(arguments["reason"]) or "",
            note=arguments.get("note") or "",
        )
        return {"review": review}
