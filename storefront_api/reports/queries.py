"""Province admin reports: `provinceDashboard` and `provinceAlerts`."""

from __future__ import annotations

from datetime import date
from typing import Any

import graphene
from graphql import GraphQLError

from backend.core.errors import DomainError
from backend.regions.models import Province as ProvinceModel
from backend.reports import selectors
from backend.reports.models import AlertKind as AlertKindChoices
from storefront_api.core.auth import current_user
from storefront_api.core.connection import Page, connection_field, paginate
from storefront_api.reports.types import Alert, AlertKind, ProvinceDashboard


def _as_graphql_error(exc: DomainError) -> GraphQLError:
    detail = exc.details[0]
    extensions: dict[str, Any] = {"code": detail.code}
    if detail.field:
        extensions["field"] = detail.field
    return GraphQLError(str(detail.message), extensions=extensions)


def _province(info: graphene.ResolveInfo, key: str) -> ProvinceModel:
    try:
        return selectors.province_for_viewer(user=current_user(info), key=key)
    except DomainError as exc:
        raise _as_graphql_error(exc) from None


class ReportQueries(graphene.ObjectType):
    province_dashboard = graphene.Field(
        graphene.NonNull(ProvinceDashboard),
        province=graphene.String(required=True, description='Slug ("lam-dong"), code ("68") or name.'),
        date_from=graphene.Date(required=True, description="First local date, inclusive."),
        date_to=graphene.Date(required=True, description="Last local date, inclusive."),
        description="Trade commune by commune, coverage, onboarding and top sellers. Admins of the province only.",
    )
    province_alerts = connection_field(
        Alert,
        province=graphene.String(required=True),
        include_resolved=graphene.Boolean(
            default_value=False, description="Resolved alerts too (after the open ones)."
        ),
        kind=graphene.Argument(AlertKind),
        description="Early warnings of a province, open ones first. Admins of the province only.",
    )

    @staticmethod
    def resolve_province_dashboard(
        root: Any, info: graphene.ResolveInfo, province: str, date_from: date, date_to: date
    ) -> selectors.ProvinceDashboard:
        target = _province(info, province)
        try:
            return selectors.province_dashboard(province=target, date_from=date_from, date_to=date_to)
        except DomainError as exc:
            raise _as_graphql_error(exc) from None

    @staticmethod
    def resolve_province_alerts(
        root: Any,
        info: graphene.ResolveInfo,
        province: str,
        first: int | None = None,
        after: str | None = None,
        include_resolved: bool = False,
        kind: Any = None,
    ) -> Page:
        target = _province(info, province)
        value = getattr(kind, "value", kind)
        wanted = str(value) if value in AlertKindChoices.values else None
        alerts = selectors.province_alerts(province=target, include_resolved=include_resolved, kind=wanted)
        return paginate(alerts, first=first, after=after)
