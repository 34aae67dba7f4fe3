"""productReport: a signed-in buyer reports a listing to the province admins."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils.translation import gettext_lazy as _

from backend.catalog.selectors import visible_products
from backend.core.errors import NotFound
from backend.moderation.models import ListingReport as ListingReportModel
from backend.moderation.reports import listing_report_create
from storefront_api.catalog.inputs import enum_value
from storefront_api.catalog.reports import ListingReportPayload, ReportReason, report_rows
from storefront_api.core.auth import require_user
from storefront_api.core.ids import decode_id
from storefront_api.core.mutations import BaseMutation


class ProductReport(BaseMutation):
    """Report a counterfeit OCOP claim, wrong origin, prohibited item, misleading price…

    Reporting the same product again while your report is open returns that report.
    """

    class Arguments:
        product = graphene.ID(required=True)
        reason = ReportReason(required=True)
        note = graphene.String()

    class Meta:
        output = ListingReportPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        pk = decode_id(arguments["product"], type_name="Product", field="product")
        product = visible_products(user=user).filter(pk=pk).first()
        if product is None:
            raise NotFound(_("Not found."), field="product")
        report = listing_report_create(
            reporter=user,
            product=product,
            reason=enum_value(arguments["reason"]) or "",
            note=arguments.get("note") or "",
        )
        return {"report": report_rows(ListingReportModel.objects.filter(pk=report.pk))[0]}
