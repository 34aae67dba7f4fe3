"""Tax withheld: the province's monthly declaration, a seller's statement, Decree 91 information."""

from __future__ import annotations

from typing import Any

import graphene

from backend.tax import selectors
from backend.tax.models import TaxMode as TaxModeChoices
from storefront_api.core.types import money_field
from storefront_api.regions.types import Province
from storefront_api.sellers.types import Seller

TaxMode = graphene.Enum("TaxMode", [(value, value) for value in TaxModeChoices.values])


class TaxFigures(graphene.ObjectType):
    """Revenue by category (sales), what cancelled and returned sales took back, VAT and PIT."""

    revenue_goods = money_field()
    revenue_service = money_field()
    revenue_transport = money_field(description="Transport and services tied to goods (delivery fees included).")
    revenue_total = money_field()
    revenue_reversed = money_field(description="Revenue of refunded (cancelled or returned) sales.")
    revenue_net = money_field()
    vat_withheld = money_field()
    pit_withheld = money_field()
    vat_reversed = money_field()
    pit_reversed = money_field()
    vat_net = money_field()
    pit_net = money_field()

    @staticmethod
    def resolve_revenue_goods(parent: selectors.TaxFigures, info: Any) -> int:
        return parent.revenue.get("GOODS", 0)

    @staticmethod
    def resolve_revenue_service(parent: selectors.TaxFigures, info: Any) -> int:
        return parent.revenue.get("SERVICE", 0)

    @staticmethod
    def resolve_revenue_transport(parent: selectors.TaxFigures, info: Any) -> int:
        return parent.revenue.get("TRANSPORT", 0)

    @staticmethod
    def resolve_vat_withheld(parent: selectors.TaxFigures, info: Any) -> int:
        return parent.vat

    @staticmethod
    def resolve_pit_withheld(parent: selectors.TaxFigures, info: Any) -> int:
        return parent.pit


class TaxSellerRow(graphene.ObjectType):
    seller = graphene.Field(graphene.NonNull(Seller))
    mode = graphene.Field(graphene.NonNull(TaxMode))
    figures = graphene.Field(graphene.NonNull(TaxFigures))


class TaxDeclaration(graphene.ObjectType):
    """A province's monthly withholding declaration (Decree 117/2025), due by the 20th."""

    province = graphene.Field(graphene.NonNull(Province))
    period = graphene.String(required=True, description='"YYYY-MM".')
    due_date = graphene.Date(required=True)
    closed_at = graphene.DateTime(description="When the month was declared; null while open.")
    withheld = graphene.Field(graphene.NonNull(TaxFigures), description="What the platform withheld and pays.")
    self_declared = graphene.Field(
        graphene.NonNull(TaxFigures), description="Cash the sellers collected themselves (they declare it)."
    )
    sellers = graphene.List(graphene.NonNull(TaxSellerRow), required=True)

    @staticmethod
    def resolve_period(parent: selectors.Declaration, info: Any) -> str:
        return f"{parent.period:%Y-%m}"

    @staticmethod
    def resolve_due_date(parent: selectors.Declaration, info: Any) -> Any:
        return parent.due

    @staticmethod
    def resolve_closed_at(parent: selectors.Declaration, info: Any) -> Any:
        return parent.closed.closed_at if parent.closed else None

    @staticmethod
    def resolve_sellers(parent: selectors.Declaration, info: Any) -> list[selectors.SellerTaxRow]:
        return parent.rows


class TaxStatementLine(graphene.ObjectType):
    order_number = graphene.String(required=True)
    occurred_at = graphene.DateTime(required=True)
    mode = graphene.Field(graphene.NonNull(TaxMode))
    category = graphene.String(required=True)
    reversal = graphene.Boolean(required=True, description="A refund offsetting an earlier sale.")
    revenue = money_field()
    vat = money_field()
    pit = money_field()

    @staticmethod
    def resolve_order_number(parent: Any, info: Any) -> str:
        return str(parent.seller_order.order.number)

    @staticmethod
    def resolve_reversal(parent: Any, info: Any) -> bool:
        return parent.refund_id is not None


class SellerTaxStatement(graphene.ObjectType):
    seller = graphene.Field(graphene.NonNull(Seller))
    year = graphene.Int(required=True)
    month = graphene.Int(description="Null for a whole year.")
    withheld = graphene.Field(graphene.NonNull(TaxFigures))
    self_declared = graphene.Field(graphene.NonNull(TaxFigures))
    lines = graphene.List(graphene.NonNull(TaxStatementLine), required=True)
    withholding_applies = graphene.Boolean(
        required=True,
        description="True for households and individuals; cooperatives and enterprises declare their own tax.",
    )


class TaxSellerInformation(graphene.ObjectType):
    """One seller in the quarterly Decree 91/2022 report."""

    seller = graphene.Field(graphene.NonNull(Seller))
    tax_code = graphene.String(required=True)
    withheld = graphene.Boolean(required=True, description="The platform withholds this seller's tax.")
    revenue = money_field(description="Sales less refunds in the quarter.")
    tax_withheld = money_field()

    @staticmethod
    def resolve_tax_code(parent: selectors.SellerInformation, info: Any) -> str:
        return str(parent.seller.tax_code)
