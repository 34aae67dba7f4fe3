"""Tax queries: `taxDeclaration`, `sellerTaxStatement`, `taxSellerInformation`."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils.translation import gettext as _
from graphql import GraphQLError

from backend.core.errors import DomainError, NotFound
from backend.regions.models import Province
from backend.regions.selectors import province_filter
from backend.tax import selectors
from storefront_api.core.auth import current_user
from storefront_api.sellers.mutations.common import seller_from_id
from storefront_api.tax.types import SellerTaxStatement, TaxDeclaration, TaxSellerInformation


def as_graphql_error(exc: DomainError) -> GraphQLError:
    detail = exc.details[0]
    extensions: dict[str, Any] = {"code": detail.code}
    if detail.field:
        extensions["field"] = detail.field
    return GraphQLError(str(detail.message), extensions=extensions)


def province_or_error(key: str) -> Province:
    province = Province.objects.filter(province_filter(key)).first() if (key or "").strip() else None
    if province is None:
        raise NotFound(_("Unknown province."), field="province")
    return province


class TaxQueries(graphene.ObjectType):
    tax_declaration = graphene.Field(
        graphene.NonNull(TaxDeclaration),
        province=graphene.String(required=True, description='Slug ("lam-dong"), code or name.'),
        year=graphene.Int(required=True),
        month=graphene.Int(required=True),
        description="The monthly withholding declaration. Province admins of that province and platform staff.",
    )
    seller_tax_statement = graphene.Field(
        graphene.NonNull(SellerTaxStatement),
        seller=graphene.ID(required=True),
        year=graphene.Int(required=True),
        month=graphene.Int(description="Omit for the whole year."),
        description="Tax withheld from one seller. Its staff, its province's admins and platform staff.",
    )
    tax_seller_information = graphene.List(
        graphene.NonNull(TaxSellerInformation),
        required=True,
        province=graphene.String(required=True),
        year=graphene.Int(required=True),
        quarter=graphene.Int(required=True),
        description="Decree 91/2022 quarterly seller information. Province admins and platform staff.",
    )

    @staticmethod
    def resolve_tax_declaration(
        root: Any, info: graphene.ResolveInfo, province: str, year: int, month: int
    ) -> selectors.Declaration:
        try:
            target = province_or_error(province)
            return selectors.monthly_declaration(actor=current_user(info), province=target, year=year, month=month)
        except DomainError as exc:
            raise as_graphql_error(exc) from None

    @staticmethod
    def resolve_seller_tax_statement(
        root: Any, info: graphene.ResolveInfo, seller: str, year: int, month: int | None = None
    ) -> selectors.Statement:
        try:
            target = seller_from_id(seller, field="seller")
            return selectors.seller_statement(actor=current_user(info), seller=target, year=year, month=month)
        except DomainError as exc:
            raise as_graphql_error(exc) from None

    @staticmethod
    def resolve_tax_seller_information(
        root: Any, info: graphene.ResolveInfo, province: str, year: int, quarter: int
    ) -> list[selectors.SellerInformation]:
        try:
            target = province_or_error(province)
            return selectors.seller_information(actor=current_user(info), province=target, year=year, quarter=quarter)
        except DomainError as exc:
            raise as_graphql_error(exc) from None
