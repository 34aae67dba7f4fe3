"""Review mutations: one module per mutation."""

import graphene

from storefront_api.reviews.mutations.review_create import ReviewCreate
from storefront_api.reviews.mutations.review_hide import ReviewHide
from storefront_api.reviews.mutations.review_reply import ReviewReply
from storefront_api.reviews.mutations.review_report import ReviewReport
from storefront_api.reviews.mutations.review_update import ReviewUpdate


class ReviewMutations(graphene.ObjectType):
    review_create = ReviewCreate.Field(required=True)
    review_update = ReviewUpdate.Field(required=True)
    review_reply = ReviewReply.Field(required=True)
    review_hide = ReviewHide.Field(required=True)
    review_report = ReviewReport.Field(required=True)
