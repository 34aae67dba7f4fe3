"""reviewUpdate: the author edits a review within the edit window; the earlier text is kept."""

from __future__ import annotations

from typing import Any

import graphene

from backend.reviews import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.core.scalars import Upload
from storefront_api.reviews.common import review_by_id
from storefront_api.reviews.types import ReviewPayload


class ReviewUpdate(BaseMutation):
    """Change the stars and text, add photos (5 in all). EDIT_WINDOW_CLOSED after REVIEW_EDIT_DAYS."""

    class Arguments:
        id = graphene.ID(required=True)
        stars = graphene.Int(required=True)
        text = graphene.String()
        photos = graphene.List(graphene.NonNull(Upload), description="Added to the existing photos.")

    class Meta:
        output = ReviewPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        review = services.review_update(
            review=review_by_id(arguments["id"]),
            actor=user,
            stars=arguments["stars"],
            text=arguments.get("text") or "",
            photos=arguments.get("photos") or [],
        )
        return {"review": review}
