"""The national overview for platform staff (issue 19): provinces side by side.

For each province: approved sellers, communes covered (with an approved seller that has a
published, visible product) out of its communes, trade (GMV and orders, by the same ledger
rule as the province dashboard), experience bookings and open alerts. A fixed number of
grouped queries whatever the number of provinces. The served provinces come first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q

from backend.accounts.permissions import is_platform_staff
from backend.catalog.models import Product
from backend.core.dates import local_day_bounds
from backend.core.errors import PermissionDenied
from backend.experiences.models import Booking
from backend.orders.models import LedgerEntry, LedgerKind
from backend.regions.models import Commune, Province
from backend.regions.served import is_served, served_province_slugs
from backend.reports.models import Alert
from backend.reports.selectors import _int, check_range, net_gmv
from backend.sellers.models import Seller, SellerStatus


@dataclass(frozen=True)
class ProvinceOverview:
    province: Province
    served: bool
    approved_sellers: int
    communes_covered: int
    communes_total: int
    gmv: int
    orders: int
    bookings: int
    open_alerts: int

    @property
    def coverage_percent(self) -> float:
        return round(100 * self.communes_covered / self.communes_total, 1) if self.communes_total else 0.0


def _counts(rows: Any, key: str) -> dict[int, int]:
    return {row[key]: _int(row["n"]) for row in rows}


def national_overview(
    *, user: Any, date_from: date, date_to: date, served_only: bool = False
) -> list[ProvinceOverview]:
    """Every province's figures (or only the served ones); platform staff only."""
    if not is_platform_staff(user):
        raise PermissionDenied()
    check_range(date_from, date_to)
    start, end = local_day_bounds(date_from, date_to)
    provinces = list(Province.objects.order_by("code"))
    if served_only:
        provinces = [p for p in provinces if is_served(p.slug)]
    sellers = _counts(
        Seller.objects.filter(status=SellerStatus.APPROVED)
        .values("commune__province_id")
        .annotate(n=Count("id"))
        .order_by(),
        "commune__province_id",
    )
    covered = _counts(
        Product.objects.filter(is_published=True, hidden_at__isnull=True, seller__status=SellerStatus.APPROVED)
        .values("seller__commune__province_id")
        .annotate(n=Count("seller__commune_id", distinct=True))
        .order_by(),
        "seller__commune__province_id",
    )
    communes = _counts(Commune.objects.values("province_id").annotate(n=Count("id")).order_by(), "province_id")
    trade = {
        row["seller__commune__province_id"]: (_int(row["gmv"]), _int(row["orders"]))
        for row in LedgerEntry.objects.filter(
            kind=LedgerKind.SALE, created_at__gte=start, created_at__lt=end, seller_order__isnull=False
        )
        .values("seller__commune__province_id")
        .annotate(gmv=net_gmv(), orders=Count("seller_order__order_id", distinct=True))
        .order_by()
    }
    alerts = _counts(
        Alert.objects.filter(resolved_at__isnull=True).values("province_id").annotate(n=Count("id")).order_by(),
        "province_id",
    )
    bookings = _bookings(start=start, end=end)
    order = {slug: index for index, slug in enumerate(served_province_slugs())}
    rows = [
        ProvinceOverview(
            province=p,
            served=is_served(p.slug),
            approved_sellers=sellers.get(p.pk, 0),
            communes_covered=covered.get(p.pk, 0),
            communes_total=communes.get(p.pk, 0),
            gmv=trade.get(p.pk, (0, 0))[0],
            orders=trade.get(p.pk, (0, 0))[1],
            bookings=bookings.get(p.pk, 0),
            open_alerts=alerts.get(p.pk, 0),
        )
        for p in provinces
    ]
    return sorted(rows, key=lambda row: (order.get(row.province.slug, len(order)), row.province.code))


def _bookings(*, start: Any, end: Any) -> dict[int, int]:
    """Confirmed (or no-show) experience bookings made in the range, by the host's province."""
    rows = (
        Booking.objects.filter(Q(status__in=["CONFIRMED", "NO_SHOW"]), created_at__gte=start, created_at__lt=end)
        .values("seller__commune__province_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _counts(rows, "seller__commune__province_id")
