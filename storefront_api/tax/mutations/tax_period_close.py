"""taxPeriodClose: mark a province's month as declared to the tax authority."""

from __future__ import annotations

from typing import Any

import graphene

from backend.tax import selectors, services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation, Payload
from storefront_api.tax.queries import province_or_error
from storefront_api.tax.types import TaxDeclaration


class TaxPeriodClosePayload(Payload):
    declaration = graphene.Field(TaxDeclaration)


class TaxPeriodClose(BaseMutation):
    """Province admins of that province and platform staff; once per month, after it ended."""

    class Arguments:
        province = graphene.String(required=True)
        year = graphene.Int(required=True)
        month = graphene.Int(required=True)
        note = graphene.String()

    class Meta:
        output = TaxPeriodClosePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        province = province_or_error(arguments["province"])
        year, month = arguments["year"], arguments["month"]
        services.tax_period_close(
            actor=user, province=province, year=year, month=month, note=arguments.get("note") or ""
        )
        declaration = selectors.monthly_declaration(actor=user, province=province, year=year, month=month)
        return {"declaration": declaration}
