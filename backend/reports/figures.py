"""The figures of a province dashboard as plain data, and the shaping both ways of computing them
share (the portable queries in `selectors`, the one PostgreSQL statement in `trade_sql`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from backend.catalog.models import Category
from backend.regions.models import Commune, Province

TOP_N = 10


@dataclass(frozen=True)
class CommuneFigures:
    commune: Commune
    gmv: int = 0
    orders: int = 0
    sellers_approved: int = 0
    sellers_pending: int = 0
    sellers_suspended: int = 0
    covered: bool = False


@dataclass(frozen=True)
class CategoryFigures:
    category_id: int | None
    name: str
    slug: str
    gmv: int
    orders: int
    ocop_gmv: int


@dataclass(frozen=True)
class DayFigures:
    day: date
    gmv: int
    orders: int


@dataclass(frozen=True)
class Coverage:
    communes_total: int
    communes_covered: int
    uncovered: list[Commune]

    @property
    def rate(self) -> float | None:
        return self.communes_covered / self.communes_total if self.communes_total else None


@dataclass(frozen=True)
class Onboarding:
    """Application to first decision (approval or rejection) of sellers decided in the range."""

    decided: int
    median_hours: float | None
    p90_hours: float | None


@dataclass(frozen=True)
class Experiences:
    bookings: int
    participants: int
    tickets_due: int
    checked_in: int

    @property
    def check_in_rate(self) -> float | None:
        return self.checked_in / self.tickets_due if self.tickets_due else None


@dataclass(frozen=True)
class TopProduct:
    product_id: int | None
    name: str
    seller_name: str
    gmv: int
    quantity: int


@dataclass(frozen=True)
class TopSeller:
    seller_id: int
    name: str
    commune_name: str
    gmv: int
    orders: int


@dataclass(frozen=True)
class ProvinceDashboard:
    province: Province
    date_from: date
    date_to: date
    gmv: int
    orders: int
    goods_gmv: int
    ocop_gmv: int
    by_commune: list[CommuneFigures]
    by_category: list[CategoryFigures]
    by_day: list[DayFigures]
    coverage: Coverage
    onboarding: Onboarding
    experiences: Experiences | None
    top_products: list[TopProduct]
    top_sellers: list[TopSeller]
    sellers: dict[str, int] = field(default_factory=dict)  # status → count, whole province

    @property
    def ocop_share(self) -> float | None:
        return self.ocop_gmv / self.goods_gmv if self.goods_gmv > 0 else None


@dataclass(frozen=True)
class TradeFigures:
    gmv: int
    orders: int
    by_commune: dict[int, tuple[int, int]]  # commune id → (GMV, orders)
    by_day: list[DayFigures]
    by_category: list[CategoryFigures]
    top_products: list[TopProduct]
    top_sellers: list[TopSeller]


def fill_days(found: dict[date, tuple[int, int]], *, date_from: date, date_to: date) -> list[DayFigures]:
    """Every date of the range in order, (GMV, orders) from `found` or zeros."""
    result = []
    for offset in range((date_to - date_from).days + 1):
        day = date_from + timedelta(days=offset)
        gmv, orders = found.get(day, (0, 0))
        result.append(DayFigures(day=day, gmv=gmv, orders=orders))
    return result


def category_figures(found: dict[int | None, tuple[int, int, int]]) -> list[CategoryFigures]:
    """Named figures from category id → (GMV, OCOP GMV, orders), largest first (one query)."""
    categories = Category.objects.in_bulk([pk for pk in found if pk is not None])
    result = []
    for pk, (gmv, ocop, orders) in found.items():
        category = categories.get(pk) if pk is not None else None
        result.append(
            CategoryFigures(
                category_id=pk,
                name=category.name if category else str(_("Other")),
                slug=category.slug if category else "",
                gmv=gmv,
                orders=orders,
                ocop_gmv=ocop,
            )
        )
    result.sort(key=lambda c: (-c.gmv, c.name))
    return result
