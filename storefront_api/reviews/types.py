"""GraphQL types of reviews and ratings.

`Rating` reads the counters already on a product or seller row (no query of its own); a
`Review` page costs one query for the reviews and one for their photos.
"""

from __future__ import annotations

from typing import Any

import graphene
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from graphene import relay

from backend.reviews import selectors
from backend.reviews.models import HideReason
from backend.reviews.models import Review as ReviewModel
from backend.reviews.models import ReviewPhoto as ReviewPhotoModel
from storefront_api.core.connection import connection_type, paginate
from storefront_api.core.ids import global_id
from storefront_api.core.mutations import Payload


class ReviewHideReason(graphene.Enum):
    ABUSE = "ABUSE"
    PERSONAL_DATA = "PERSONAL_DATA"
    OFF_TOPIC = "OFF_TOPIC"


class StarCount(graphene.ObjectType):
    stars = graphene.Int(required=True, description="1 to 5.")
    count = graphene.Int(required=True)


class Rating(graphene.ObjectType):
    """Verified reviews' stars. `average` is the plain mean shown to people; `score` ranks: a
    Bayesian average with REVIEW_PRIOR_WEIGHT reviews at REVIEW_PRIOR_MEAN (1 review of 5★ does not
    outrank 200 of 4.8★)."""

    count = graphene.Int(required=True)
    average = graphene.Float(description="Mean stars, one decimal; null without reviews.")
    score = graphene.Float(required=True, description="Shrunk average used for sorting and the 4★+ filter.")
    stars = graphene.List(graphene.NonNull(StarCount), required=True, description="Reviews by stars, 1★ first.")


class ReviewPhoto(graphene.ObjectType):
    url = graphene.String(required=True)
    thumbnail_url = graphene.String(required=True, description="WebP, 256 px.")
    width = graphene.Int()
    height = graphene.Int()

    @staticmethod
    def resolve_url(root: ReviewPhotoModel, info: graphene.ResolveInfo) -> str:
        return default_storage.url(root.image.name)

    @staticmethod
    def resolve_thumbnail_url(root: ReviewPhotoModel, info: graphene.ResolveInfo) -> str:
        return default_storage.url(root.thumbnail.name or root.image.name)


class ReviewReply(graphene.ObjectType):
    text = graphene.String(required=True)
    replied_at = graphene.DateTime(required=True)


class Review(graphene.ObjectType):
    """A verified buyer's review. Hidden by moderation: `text` and `photos` are withheld and
    `hiddenReason` says why; the stars still count (a hide is never a lever on a rating)."""

    class Meta:
        interfaces = (relay.Node,)

    id = graphene.ID(required=True)
    stars = graphene.Int(required=True)
    text = graphene.String(description="Null when hidden by moderation.")
    photos = graphene.List(graphene.NonNull(ReviewPhoto), required=True)
    author_name = graphene.String(required=True, description='Given name and initial, e.g. "Lan N.".')
    verified_purchase = graphene.Boolean(required=True)
    created_at = graphene.DateTime(required=True)
    edited_at = graphene.DateTime()
    reply = graphene.Field(ReviewReply, description="The seller's public answer (one).")
    is_hidden = graphene.Boolean(required=True)
    hidden_reason = graphene.Field(ReviewHideReason)
    hidden_label = graphene.String(description='"Ẩn bởi kiểm duyệt: …" when hidden.')
    product_id = graphene.ID(required=True)

    @staticmethod
    def resolve_id(root: ReviewModel, info: graphene.ResolveInfo) -> str:
        return global_id("Review", root.pk)

    @staticmethod
    def resolve_product_id(root: ReviewModel, info: graphene.ResolveInfo) -> str:
        return global_id("Product", root.product_id)

    @staticmethod
    def resolve_text(root: ReviewModel, info: graphene.ResolveInfo) -> str | None:
        return None if root.hidden_at else root.text

    @staticmethod
    def resolve_photos(root: ReviewModel, info: graphene.ResolveInfo) -> list[ReviewPhotoModel]:
        return [] if root.hidden_at else list(root.photos.all())

    @staticmethod
    def resolve_created_at(root: ReviewModel, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.created_at)

    @staticmethod
    def resolve_edited_at(root: ReviewModel, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.edited_at) if root.edited_at else None

    @staticmethod
    def resolve_reply(root: ReviewModel, info: graphene.ResolveInfo) -> ReviewReply | None:
        if root.replied_at is None:
            return None
        return ReviewReply(text=root.reply_text, replied_at=timezone.localtime(root.replied_at))

    @staticmethod
    def resolve_is_hidden(root: ReviewModel, info: graphene.ResolveInfo) -> bool:
        return root.hidden_at is not None

    @staticmethod
    def resolve_hidden_reason(root: ReviewModel, info: graphene.ResolveInfo) -> str | None:
        return HideReason(root.hidden_reason).value if root.hidden_reason else None

    @staticmethod
    def resolve_hidden_label(root: ReviewModel, info: graphene.ResolveInfo) -> str | None:
        if root.hidden_at is None:
            return None
        return _("Hidden by moderation: %(reason)s") % {"reason": HideReason(root.hidden_reason).label}

    @classmethod
    def get_node(cls, info: graphene.ResolveInfo, id: str) -> ReviewModel | None:
        return selectors.review_get(pk=int(id)) if str(id).isdigit() else None

    @classmethod
    def is_type_of(cls, root: object, info: graphene.ResolveInfo) -> bool:
        return isinstance(root, ReviewModel)


ReviewConnection = connection_type(Review)


def review_connection(*, product_id: int | None = None, seller_id: int | None = None, **page: Any) -> Any:
    reviews = (
        selectors.product_reviews(product_id=product_id)
        if product_id is not None
        else selectors.seller_reviews(seller_id=seller_id or 0)
    )
    return paginate(reviews, first=page.get("first"), after=page.get("after"))


class ReviewPayload(Payload):
    review = graphene.Field(Review)
