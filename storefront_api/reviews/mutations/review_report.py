"""reviewReport: a signed-in user reports a review through the listing reports of its product."""

from __future__ import annotations

from typing import Any

import graphene

from backend.moderation.models import ListingReport as ListingReportModel
from backend.reviews import services
from storefront_api.catalog.reports import ListingReportPayload, report_rows
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.reviews.common import review_by_id


class ReviewReport(BaseMutation):
    """Abuse, personal data, off-topic: the province admins of the seller see a listing report
    (reason REVIEW, the note naming the review) and may hide the review (`reviewHide`)."""

    class Arguments:
        id = graphene.ID(required=True)
        note = graphene.String()

    class Meta:
        output = ListingReportPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        report = services.review_report(
            review=review_by_id(arguments["id"]), reporter=user, note=arguments.get("note") or ""
        )
        return {"report": report_rows(ListingReportModel.objects.filter(pk=report.pk))[0]}
