"""Reads of the tax withheld: the monthly declaration of a province, a seller's statement, and the
quarterly seller information of Decree 91/2022. Each figure is a SUM over TaxLine rows in the
database; the declaration and the statement share one aggregation, so they always agree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may, place_of
from backend.catalog.models import TaxCategory
from backend.core.errors import ValidationFailed
from backend.orders.models import LedgerEntry, LedgerKind
from backend.regions.models import Province
from backend.sellers.models import Seller
from backend.sellers.permissions import seller_place
from backend.tax.models import TaxLine, TaxMode, TaxPeriodClose
from backend.tax.periods import due_date, local_midnight, month_start, next_month, quarter_months
from backend.tax.status import seller_is_withheld

CATEGORIES = [str(c) for c in TaxCategory.values]


@dataclass
class TaxFigures:
    """Revenue by category (sales), what refunds took back, and the VAT and PIT of both."""

    revenue: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    revenue_reversed: int = 0
    vat: int = 0
    pit: int = 0
    vat_reversed: int = 0
    pit_reversed: int = 0

    @property
    def revenue_total(self) -> int:
        return sum(self.revenue.values())

    @property
    def revenue_net(self) -> int:
        return self.revenue_total - self.revenue_reversed

    @property
    def vat_net(self) -> int:
        return self.vat - self.vat_reversed

    @property
    def pit_net(self) -> int:
        return self.pit - self.pit_reversed

    @property
    def tax_net(self) -> int:
        return self.vat_net + self.pit_net

    def add(self, other: TaxFigures) -> None:
        for category, amount in other.revenue.items():
            self.revenue[category] = self.revenue.get(category, 0) + amount
        self.revenue_reversed += other.revenue_reversed
        self.vat += other.vat
        self.pit += other.pit
        self.vat_reversed += other.vat_reversed
        self.pit_reversed += other.pit_reversed


@dataclass
class SellerTaxRow:
    seller: Seller
    mode: str
    figures: TaxFigures


def _rows(lines: QuerySet[TaxLine]) -> list[SellerTaxRow]:
    """One row per (seller, mode): two queries whatever the number of sellers."""
    sale, refund = Q(refund__isnull=True), Q(refund__isnull=False)
    grouped = (
        lines.values("seller_id", "mode", "category")
        .annotate(
            sales=Sum("revenue", filter=sale),
            sales_back=Sum("revenue", filter=refund),
            vat_sales=Sum("vat", filter=sale),
            pit_sales=Sum("pit", filter=sale),
            vat_back=Sum("vat", filter=refund),
            pit_back=Sum("pit", filter=refund),
        )
        .order_by()
    )
    figures: dict[tuple[int, str], TaxFigures] = defaultdict(TaxFigures)
    for g in grouped:
        f = figures[(g["seller_id"], g["mode"])]
        f.revenue[g["category"]] = f.revenue.get(g["category"], 0) + int(g["sales"] or 0)
        f.revenue_reversed -= int(g["sales_back"] or 0)
        f.vat += int(g["vat_sales"] or 0)
        f.pit += int(g["pit_sales"] or 0)
        f.vat_reversed -= int(g["vat_back"] or 0)
        f.pit_reversed -= int(g["pit_back"] or 0)
    sellers = Seller.objects.select_related("commune").in_bulk({seller_id for seller_id, _mode in figures})
    rows = [SellerTaxRow(seller=sellers[s], mode=m, figures=f) for (s, m), f in figures.items()]
    return sorted(rows, key=lambda r: (r.mode != TaxMode.WITHHELD, r.seller.name, r.seller.pk))


def _total(rows: list[SellerTaxRow], mode: str) -> TaxFigures:
    total = TaxFigures()
    for row in rows:
        if row.mode == mode:
            total.add(row.figures)
    return total


@dataclass
class Declaration:
    """The monthly withholding declaration of one province (withheld rows: what the platform pays;
    self-declared rows: the sellers' own cash, reported for information)."""

    province: Province
    period: date
    due: date
    closed: TaxPeriodClose | None
    rows: list[SellerTaxRow]
    withheld: TaxFigures
    self_declared: TaxFigures


def check_period(year: int, month: int) -> date:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationFailed(_("Choose a month between 1 and 12 of a real year."), field="month")
    return month_start(year, month)


def monthly_declaration(*, actor: Any, province: Province, year: int, month: int) -> Declaration:
    ensure_may(actor=actor, act=Act.TAX_DECLARATION_VIEW, place=place_of(province=province))
    period = check_period(year, month)
    rows = _rows(TaxLine.objects.filter(province=province, period=period))
    return Declaration(
        province=province,
        period=period,
        due=due_date(period),
        closed=TaxPeriodClose.objects.filter(province=province, period=period).first(),
        rows=rows,
        withheld=_total(rows, TaxMode.WITHHELD),
        self_declared=_total(rows, TaxMode.SELF_DECLARED),
    )


@dataclass
class Statement:
    """What was withheld from one seller in a month or a year, with every order behind it."""

    seller: Seller
    year: int
    month: int | None
    withheld: TaxFigures
    self_declared: TaxFigures
    lines: list[TaxLine]
    # Does the platform withhold for this seller now (household) or does it declare its own tax?
    withholding_applies: bool


def seller_statement(*, actor: Any, seller: Seller, year: int, month: int | None = None) -> Statement:
    ensure_may(actor=actor, act=Act.TAX_STATEMENT_VIEW, place=seller_place(seller))
    start = check_period(year, month or 1)
    end = next_month(start) if month else date(year + 1, 1, 1)
    lines = TaxLine.objects.filter(seller=seller, period__gte=start, period__lt=end)
    rows = _rows(lines)
    detail = list(lines.select_related("seller_order__order").order_by("occurred_at", "id"))
    return Statement(
        seller=seller,
        year=year,
        month=month,
        withheld=_total(rows, TaxMode.WITHHELD),
        self_declared=_total(rows, TaxMode.SELF_DECLARED),
        lines=detail,
        withholding_applies=seller_is_withheld(seller),
    )


@dataclass
class SellerInformation:
    seller: Seller
    withheld: bool
    revenue: int
    tax_withheld: int


def seller_information(*, actor: Any, province: Province, year: int, quarter: int) -> list[SellerInformation]:
    """Decree 91/2022: every seller of the province that is approved or sold in the quarter, with its
    identity, tax code and revenue (sales less refunds on the ledger) and the tax withheld."""
    ensure_may(actor=actor, act=Act.TAX_DECLARATION_VIEW, place=place_of(province=province))
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        raise ValidationFailed(_("Choose a quarter between 1 and 4."), field="quarter")
    first, after = quarter_months(year, quarter)
    window = Q(created_at__gte=local_midnight(first), created_at__lt=local_midnight(after))
    revenue = dict(
        LedgerEntry.objects.filter(
            window, seller__commune__province=province, kind__in=[LedgerKind.SALE, LedgerKind.REFUND]
        )
        .values("seller_id")
        .annotate(s=Sum("amount"))
        .order_by()
        .values_list("seller_id", "s")
    )
    withheld = dict(
        TaxLine.objects.filter(province=province, period__gte=first, period__lt=after, mode=TaxMode.WITHHELD)
        .values("seller_id")
        .annotate(s=Sum(F("vat") + F("pit")))
        .order_by()
        .values_list("seller_id", "s")
    )
    sellers = (
        Seller.objects.filter(commune__province=province)
        .filter(Q(status="APPROVED") | Q(pk__in=list(revenue)))
        .select_related("commune")
        .order_by("name", "pk")
    )
    return [
        SellerInformation(
            seller=s,
            withheld=seller_is_withheld(s),
            revenue=int(revenue.get(s.pk) or 0),
            tax_withheld=int(withheld.get(s.pk) or 0),
        )
        for s in sellers
    ]


def unclosed_periods(*, province: Province, today: date) -> list[date]:
    """Ended months with tax lines in the province that nobody closed yet (oldest first)."""
    current = today.replace(day=1)
    closed = TaxPeriodClose.objects.filter(province=province).values_list("period", flat=True)
    periods = (
        TaxLine.objects.filter(province=province, period__lt=current)
        .exclude(period__in=closed)
        .values_list("period", flat=True)
        .distinct()
        .order_by("period")
    )
    return list(periods)
