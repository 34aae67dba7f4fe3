"""Read side of province reports: every dashboard figure, computed by the database.

`province_dashboard(province=…, date_from=…, date_to=…)` is the one entry point; the GraphQL
query, the Django admin page, the exports and the web console all read its `ProvinceDashboard`.

Definitions (README, "Province analytics, alerts and imports"):

- money comes from the seller ledger: a seller order counts on the local (Asia/Ho_Chi_Minh) date of
  its SALE entry, written when an online payment is captured or cash on delivery is collected; its
  GMV is its total less everything refunded on it. Unpaid or cancelled-before-payment orders never
  have a SALE entry and count for nothing;
- a seller order belongs to its SELLER's commune; the province is that commune's province;
- order counts are distinct buyer orders with at least one such seller order;
- category, OCOP and product figures are goods value (order lines, no delivery fees) net of refunds,
  a refund shared over the lines of its seller order pro rata.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Count, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import NullIf, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, admin_province_ids, ensure_may, may, place_of
from backend.catalog.models import Product
from backend.core.dates import local_day_bounds
from backend.core.errors import NotFound, PermissionDenied, ValidationFailed
from backend.orders.models import LedgerEntry, LedgerKind, OrderLine
from backend.regions.models import Commune, Province
from backend.regions.selectors import province_filter
from backend.reports.figures import (
    TOP_N,
    CategoryFigures,
    CommuneFigures,
    Coverage,
    DayFigures,
    Experiences,
    Onboarding,
    ProvinceDashboard,
    TopProduct,
    TopSeller,
    TradeFigures,
    category_figures,
    fill_days,
)
from backend.reports.models import Alert
from backend.reports.trade_sql import trade_figures_postgresql
from backend.sellers.models import Seller, SellerStatus

MAX_RANGE_DAYS = 731


# --- access -------------------------------------------------------------------------------


def province_by_key(key: str) -> Province | None:
    """A province by code, slug or name (see `regions.selectors.province_filter`)."""
    if not (key or "").strip():
        return None
    return Province.objects.filter(province_filter(key)).first()


def can_view_province(*, user: Any, province: Province) -> bool:
    """Superusers and the province's admins (a scope limited to some communes included)."""
    return may(user, Act.PROVINCE_DASHBOARD, place_of(province=province))


def province_for_viewer(*, user: Any, key: str) -> Province:
    """The province `user` asks for, or PermissionDenied / NotFound.

    Someone who administers nowhere learns nothing, not even whether the province exists.
    """
    allowed = admin_province_ids(user)
    if not allowed:
        raise PermissionDenied()
    province = province_by_key(key)
    if province is None:
        raise NotFound(_("Unknown province."), field="province")
    ensure_may(actor=user, act=Act.PROVINCE_DASHBOARD, place=place_of(province=province))
    return province


# --- result structure -----------------------------------------------------------------------


# --- building blocks ----------------------------------------------------------------------


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def check_range(date_from: date, date_to: date) -> None:
    if date_from > date_to:
        raise ValidationFailed(_("The start date must not be after the end date."), field="dateFrom")
    if (date_to - date_from).days >= MAX_RANGE_DAYS:
        raise ValidationFailed(_("Choose a range of at most two years."), field="dateTo")


def sales_in(*, province: Province, date_from: date, date_to: date) -> QuerySet[LedgerEntry]:
    """SALE ledger entries of the province's sellers dated in the range (one per seller order)."""
    start, end = local_day_bounds(date_from, date_to)
    return LedgerEntry.objects.filter(
        kind=LedgerKind.SALE,
        created_at__gte=start,
        created_at__lt=end,
        seller__commune__province_id=province.pk,
        seller_order__isnull=False,
    )


def net_gmv() -> Sum:
    """Σ (seller order total − refunded) over SALE entries."""
    return Sum(F("seller_order__total") - F("seller_order__refunded_amount"))


def lines_in(*, province: Province, date_from: date, date_to: date) -> QuerySet[OrderLine]:
    """Order lines of the seller orders counted in the range (see `sales_in`)."""
    start, end = local_day_bounds(date_from, date_to)
    return OrderLine.objects.filter(
        seller_order__ledger_entries__kind=LedgerKind.SALE,
        seller_order__ledger_entries__created_at__gte=start,
        seller_order__ledger_entries__created_at__lt=end,
        seller_order__seller__commune__province_id=province.pk,
    )


def net_line_value() -> ExpressionWrapper:
    """A line's goods value less its pro-rata share of its seller order's refunds (whole đồng,
    truncated the same way by SQLite and PostgreSQL; a zero-total seller order counts nothing)."""
    return ExpressionWrapper(
        F("total")
        * (F("seller_order__total") - F("seller_order__refunded_amount"))
        / NullIf(F("seller_order__total"), 0),
        output_field=BigIntegerField(),
    )


def _int(value: Any) -> int:
    return int(value or 0)


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# --- figures --------------------------------------------------------------------------------


def communes_of(province: Province) -> list[Commune]:
    return list(Commune.objects.filter(province=province).select_related("province").order_by("name", "code"))


def gmv_totals(*, province: Province, date_from: date, date_to: date) -> tuple[int, int]:
    """(GMV, distinct orders) of the province in the range."""
    row = sales_in(province=province, date_from=date_from, date_to=date_to).aggregate(
        gmv=net_gmv(), orders=Count("seller_order__order_id", distinct=True)
    )
    return _int(row["gmv"]), _int(row["orders"])


def gmv_by_commune(*, province: Province, date_from: date, date_to: date) -> dict[int, tuple[int, int]]:
    """commune id → (GMV, distinct orders), by the seller's commune."""
    rows = (
        sales_in(province=province, date_from=date_from, date_to=date_to)
        .values("seller__commune_id")
        .annotate(gmv=net_gmv(), orders=Count("seller_order__order_id", distinct=True))
        .order_by()
    )
    return {row["seller__commune_id"]: (_int(row["gmv"]), _int(row["orders"])) for row in rows}


def gmv_by_day(*, province: Province, date_from: date, date_to: date) -> list[DayFigures]:
    """Every local date of the range, with zeros on days without sales."""
    rows = (
        sales_in(province=province, date_from=date_from, date_to=date_to)
        .annotate(day=TruncDate("created_at", tzinfo=local_zone()))
        .values("day")
        .annotate(gmv=net_gmv(), orders=Count("seller_order__order_id", distinct=True))
        .order_by()
    )
    found = {row["day"]: (_int(row["gmv"]), _int(row["orders"])) for row in rows}
    return fill_days(found, date_from=date_from, date_to=date_to)


def gmv_by_category(*, province: Province, date_from: date, date_to: date) -> list[CategoryFigures]:
    """Goods GMV, OCOP goods GMV and distinct orders per product category, largest first.

    Lines whose variant was deleted since fall under a category without id."""
    rows = (
        lines_in(province=province, date_from=date_from, date_to=date_to)
        .values("variant__product__category_id")
        .annotate(
            gmv=Sum(net_line_value()),
            ocop=Sum(net_line_value(), filter=Q(variant__product__ocop_stars__isnull=False)),
            orders=Count("seller_order__order_id", distinct=True),
        )
        .order_by()
    )
    return category_figures(
        {
            row["variant__product__category_id"]: (_int(row["gmv"]), _int(row["ocop"]), _int(row["orders"]))
            for row in rows
        }
    )


def top_products(*, province: Province, date_from: date, date_to: date, limit: int = TOP_N) -> list[TopProduct]:
    rows = (
        lines_in(province=province, date_from=date_from, date_to=date_to)
        .filter(variant__isnull=False)
        .values("variant__product_id", "variant__product__name", "seller_order__seller__name")
        .annotate(gmv=Sum(net_line_value()), quantity=Sum("quantity"))
        .order_by("-gmv", "variant__product_id")[:limit]
    )
    return [
        TopProduct(
            product_id=row["variant__product_id"],
            name=row["variant__product__name"],
            seller_name=row["seller_order__seller__name"],
            gmv=_int(row["gmv"]),
            quantity=_int(row["quantity"]),
        )
        for row in rows
    ]


def top_sellers(*, province: Province, date_from: date, date_to: date, limit: int = TOP_N) -> list[TopSeller]:
    rows = (
        sales_in(province=province, date_from=date_from, date_to=date_to)
        .values("seller_id", "seller__name", "seller__commune__name")
        .annotate(gmv=net_gmv(), orders=Count("seller_order__order_id", distinct=True))
        .order_by("-gmv", "seller_id")[:limit]
    )
    return [
        TopSeller(
            seller_id=row["seller_id"],
            name=row["seller__name"],
            commune_name=row["seller__commune__name"],
            gmv=_int(row["gmv"]),
            orders=_int(row["orders"]),
        )
        for row in rows
    ]


def sellers_by_commune(*, province: Province) -> dict[int, dict[str, int]]:
    """commune id → {status: number of sellers} today."""
    rows = (
        Seller.objects.filter(commune__province=province)
        .values("commune_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        result.setdefault(row["commune_id"], {})[row["status"]] = row["n"]
    return result


def covered_commune_ids(*, province: Province) -> set[int]:
    """Communes with at least one approved seller that has a published, unhidden product."""
    return set(
        Product.objects.filter(
            is_published=True,
            hidden_at__isnull=True,
            seller__status=SellerStatus.APPROVED,
            seller__commune__province=province,
        )
        .values_list("seller__commune_id", flat=True)
        .distinct()
    )


def onboarding_time(*, province: Province, date_from: date, date_to: date) -> Onboarding:
    """Median and 90th percentile of application → first decision, for decisions in the range.

    The durations of a province's decisions (a few hundred rows at most) are ranked in Python:
    SQLite has no percentile function."""
    start, end = local_day_bounds(date_from, date_to)
    pairs = Seller.objects.filter(commune__province=province, decided_at__gte=start, decided_at__lt=end).values_list(
        "applied_at", "decided_at"
    )
    hours = [max((decided - applied).total_seconds(), 0) / 3600 for applied, decided in pairs if decided]
    return Onboarding(decided=len(hours), median_hours=percentile(hours, 0.5), p90_hours=percentile(hours, 0.9))


def experiences(
    *, province: Province, date_from: date, date_to: date, now: datetime | None = None
) -> Experiences | None:
    """Experience bookings (confirmed or no-show) made in the range, and the check-in rate of
    their valid tickets whose slot has started. None when the experiences app is not installed."""
    if not apps.is_installed("backend.experiences"):
        return None
    # Inside: the experiences app is optional (INSTALLED_APPS), its models exist only when installed.
    from backend.experiences.models import Booking, Ticket

    start, end = local_day_bounds(date_from, date_to)
    bookings = Booking.objects.filter(
        status__in=["CONFIRMED", "NO_SHOW"],
        created_at__gte=start,
        created_at__lt=end,
        seller__commune__province_id=province.pk,
    )
    booked = bookings.aggregate(n=Count("id"), people=Sum("quantity"))
    tickets = Ticket.objects.filter(
        booking__in=bookings.values("pk"), status="VALID", slot__starts_at__lte=now or timezone.now()
    ).aggregate(due=Count("id"), checked=Count("id", filter=Q(checked_in_at__isnull=False)))
    return Experiences(
        bookings=_int(booked["n"]),
        participants=_int(booked["people"]),
        tickets_due=_int(tickets["due"]),
        checked_in=_int(tickets["checked"]),
    )


class _Window(TypedDict):
    province: Province
    date_from: date
    date_to: date


# --- trade: the money figures, portable or in one PostgreSQL statement -----------------------


def trade_figures(*, province: Province, date_from: date, date_to: date) -> TradeFigures:
    """The money figures of the range. On PostgreSQL one statement computes them all from one
    join of the window (`trade_sql`), several times faster on a year of orders; elsewhere the
    portable queries above. Both give the same figures (the dashboard tests run on both)."""
    if connection.vendor == "postgresql":
        return trade_figures_postgresql(province=province, date_from=date_from, date_to=date_to)
    window: _Window = {"province": province, "date_from": date_from, "date_to": date_to}
    gmv, orders = gmv_totals(**window)
    return TradeFigures(
        gmv=gmv,
        orders=orders,
        by_commune=gmv_by_commune(**window),
        by_day=gmv_by_day(**window),
        by_category=gmv_by_category(**window),
        top_products=top_products(**window),
        top_sellers=top_sellers(**window),
    )


# --- the entry point ------------------------------------------------------------------------


def province_dashboard(*, province: Province, date_from: date, date_to: date) -> ProvinceDashboard:
    """Every dashboard figure of `province` for the local dates date_from..date_to (inclusive).

    Callers check access first (`province_for_viewer`). A fixed number of queries, whatever the
    number of orders: every sum and count runs in the database.
    """
    check_range(date_from, date_to)
    window: _Window = {"province": province, "date_from": date_from, "date_to": date_to}
    communes = communes_of(province)
    trade = trade_figures(**window)
    money = trade.by_commune
    statuses = sellers_by_commune(province=province)
    covered = covered_commune_ids(province=province)
    by_commune = []
    for commune in communes:
        gmv, orders = money.get(commune.pk, (0, 0))
        counts = statuses.get(commune.pk, {})
        by_commune.append(
            CommuneFigures(
                commune=commune,
                gmv=gmv,
                orders=orders,
                sellers_approved=counts.get(SellerStatus.APPROVED, 0),
                sellers_pending=counts.get(SellerStatus.PENDING, 0),
                sellers_suspended=counts.get(SellerStatus.SUSPENDED, 0),
                covered=commune.pk in covered,
            )
        )
    by_commune.sort(key=lambda c: (-c.gmv, c.commune.name))
    categories = trade.by_category
    seller_totals: dict[str, int] = {}
    for counts in statuses.values():
        for status, n in counts.items():
            seller_totals[status] = seller_totals.get(status, 0) + n
    return ProvinceDashboard(
        province=province,
        date_from=date_from,
        date_to=date_to,
        gmv=trade.gmv,
        orders=trade.orders,
        goods_gmv=sum(c.gmv for c in categories),
        ocop_gmv=sum(c.ocop_gmv for c in categories),
        by_commune=by_commune,
        by_category=categories,
        by_day=trade.by_day,
        coverage=Coverage(
            communes_total=len(communes),
            communes_covered=sum(1 for c in communes if c.pk in covered),
            uncovered=[c for c in communes if c.pk not in covered],
        ),
        onboarding=onboarding_time(**window),
        experiences=experiences(**window),
        top_products=trade.top_products,
        top_sellers=trade.top_sellers,
        sellers=seller_totals,
    )


# --- alerts ---------------------------------------------------------------------------------


def province_alerts(*, province: Province, include_resolved: bool = False, kind: str | None = None) -> QuerySet[Any]:
    """The province's alerts, open ones first then newest, with what the listing shows loaded."""
    alerts = Alert.objects.filter(province=province).select_related("commune__province", "seller", "product")
    if not include_resolved:
        alerts = alerts.filter(resolved_at__isnull=True)
    if kind:
        alerts = alerts.filter(kind=kind)
    return alerts.order_by(F("resolved_at").desc(nulls_first=True), "-first_seen_at", "-id")
