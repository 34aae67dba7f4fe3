"""listingReportDismiss: a province admin closes a report without action."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils.translation import gettext_lazy as _

from backend.core.errors import NotFound
from backend.moderation.models import ListingReport as ListingReportModel
from backend.moderation.reports import listing_report_dismiss
from storefront_api.catalog.reports import ListingReportPayload, report_rows
from storefront_api.core.auth import require_user
from storefront_api.core.ids import decode_id
from storefront_api.core.mutations import BaseMutation


class ListingReportDismiss(BaseMutation):
    """Close an open report: the listing is fine (audited)."""

    class Arguments:
        id = graphene.ID(required=True)
        note = graphene.String()

    class Meta:
        output = ListingReportPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        report = ListingReportModel.objects.filter(pk=decode_id(arguments["id"], type_name="ListingReport")).first()
        if report is None:
            raise NotFound(_("Not found."), field="id")
        report = listing_report_dismiss(actor=user, report=report, note=arguments.get("note") or "")
        return {"report": report_rows(ListingReportModel.objects.filter(pk=report.pk))[0]}
