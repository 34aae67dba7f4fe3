"""`nationalOverview`: provinces side by side, for platform staff (issue 19)."""

from __future__ import annotations

from datetime import date
from typing import Any

import graphene

from backend.core.errors import DomainError
from backend.reports.national import ProvinceOverview as OverviewRow
from backend.reports.national import national_overview
from storefront_api.core.auth import current_user
from storefront_api.core.types import money_field
from storefront_api.regions.types import Province
from storefront_api.reports.queries import _as_graphql_error


class ProvinceOverview(graphene.ObjectType):
    """One province of the national overview."""

    province = graphene.Field(graphene.NonNull(Province))
    served = graphene.Boolean(required=True, description="This deployment serves it (SERVED_PROVINCES).")
    approved_sellers = graphene.Int(required=True)
    communes_covered = graphene.Int(
        required=True, description="Communes with an approved seller that has a published product."
    )
    communes_total = graphene.Int(required=True)
    coverage_percent = graphene.Float(required=True)
    gmv = money_field(description="Money received for its sellers' orders in the range, less refunds.")
    orders = graphene.Int(required=True, description="Distinct orders with a paid or collected part from it.")
    bookings = graphene.Int(required=True, description="Experience bookings made in the range.")
    open_alerts = graphene.Int(required=True, description="Early warnings still open.")


class NationalQueries(graphene.ObjectType):
    national_overview = graphene.List(
        graphene.NonNull(ProvinceOverview),
        required=True,
        date_from=graphene.Date(required=True, description="First local date, inclusive."),
        date_to=graphene.Date(required=True, description="Last local date, inclusive."),
        served_only=graphene.Boolean(default_value=False, description="Only the provinces this deployment serves."),
        description="Provinces side by side (served ones first): sellers, coverage, trade, bookings, "
        "open alerts. Platform staff only.",
    )

    @staticmethod
    def resolve_national_overview(
        root: Any, info: graphene.ResolveInfo, date_from: date, date_to: date, served_only: bool = False
    ) -> list[OverviewRow]:
        try:
            return national_overview(
                user=current_user(info), date_from=date_from, date_to=date_to, served_only=served_only
            )
        except DomainError as exc:
            raise _as_graphql_error(exc) from None
