"""reviewCreate: a buyer reviews a delivered line (or an attended experience), once."""

from __future__ import annotations

from typing import Any

import graphene

from backend.reviews import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.core.scalars import Upload
from storefront_api.reviews.common import line_by_id
from storefront_api.reviews.types import ReviewPayload


class ReviewCreate(BaseMutation):
    """1 to 5 stars, a text and up to 5 photos (multipart request; metadata such as GPS removed).

    Only the buyer of a delivered line, within REVIEW_WINDOW_DAYS of delivery (an experience: a
    checked-in ticket, after the slot ended). Errors: NOT_REVIEWABLE, ALREADY_REVIEWED,
    REVIEW_WINDOW_CLOSED, PERMISSION_DENIED (another account used this phone), THROTTLED.
    """

    class Arguments:
        line = graphene.ID(required=True, description="`OrderLine.id` of one of your orders.")
        stars = graphene.Int(required=True)
        text = graphene.String()
        photos = graphene.List(graphene.NonNull(Upload))

    class Meta:
        output = ReviewPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        review = services.review_create(
            line=line_by_id(arguments["line"]),
            actor=user,
            stars=arguments["stars"],
            text=arguments.get("text") or "",
            photos=arguments.get("photos") or [],
        )
        return {"review": review}
