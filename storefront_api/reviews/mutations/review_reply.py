"""reviewReply: the seller answers a review once, publicly."""

from __future__ import annotations

from typing import Any

import graphene

from backend.reviews import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.reviews.common import review_by_id
from storefront_api.reviews.types import ReviewPayload


class ReviewReply(BaseMutation):
    """The seller's staff reply once (ALREADY_REPLIED after). Sellers can answer, never hide."""

    class Arguments:
        id = graphene.ID(required=True)
        text = graphene.String(required=True)

    class Meta:
        output = ReviewPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        review = services.review_reply(review=review_by_id(arguments["id"]), actor=user, text=arguments["text"])
        return {"review": review}
