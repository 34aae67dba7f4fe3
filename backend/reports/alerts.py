"""Early-warning rules. Each rule lists the subjects whose condition holds now in one province;
`services.evaluate_alerts` opens, refreshes and resolves Alert rows from those lists.

Thresholds come from the province's AlertThreshold row when a field is set there, else from the
ALERT_* settings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from backend.catalog.models import Product
from backend.moderation.models import ReportStatus
from backend.orders.models import CodStatus, SellerOrder, SellerOrderStatus
from backend.regions.models import Province
from backend.reports.models import AlertKind, AlertThreshold
from backend.reports.selectors import percentile
from backend.sellers.models import Seller, SellerStatus
from backend.tax.periods import due_date
from backend.tax.selectors import unclosed_periods

RATE_WINDOW = timedelta(days=30)
FAILED_COD = (CodStatus.DELIVERY_FAILED, CodStatus.RETURNING, CodStatus.RETURNED)
# Online orders nobody paid are cancelled by the system: not the seller's doing.
UNPAID_REASON = "unpaid"
MIN_PRODUCTS_FOR_MEDIAN = 3


@dataclass(frozen=True)
class Thresholds:
    pending_application_days: int
    cancellation_rate: float
    failed_cod_rate: float
    rate_min_orders: int
    reports_threshold: int
    price_ratio: float

    @classmethod
    def for_province(cls, province: Province) -> Thresholds:
        own = AlertThreshold.objects.filter(province=province).first()
        return cls(
            pending_application_days=int(_pick(own, "pending_application_days", "ALERT_PENDING_APPLICATION_DAYS")),
            cancellation_rate=float(_pick(own, "cancellation_rate", "ALERT_CANCELLATION_RATE")),
            failed_cod_rate=float(_pick(own, "failed_cod_rate", "ALERT_FAILED_COD_RATE")),
            rate_min_orders=int(_pick(own, "rate_min_orders", "ALERT_RATE_MIN_ORDERS")),
            reports_threshold=int(_pick(own, "reports_threshold", "ALERT_REPORTS_THRESHOLD")),
            price_ratio=float(_pick(own, "price_ratio", "ALERT_PRICE_RATIO")),
        )


def _pick(own: AlertThreshold | None, name: str, setting: str) -> Any:
    """The province's own value when set, else the setting."""
    value = getattr(own, name, None) if own is not None else None
    return getattr(settings, setting) if value is None else value


@dataclass(frozen=True)
class Finding:
    """One subject whose condition holds now."""

    subject_key: str
    figure: float
    threshold: float
    commune_id: int | None = None
    seller_id: int | None = None
    product_id: int | None = None


Rule = Callable[[Province, Thresholds, datetime], list[Finding]]


def _approved_products(province: Province) -> Q:
    return Q(
        seller__commune__province=province,
        seller__status=SellerStatus.APPROVED,
        is_published=True,
        hidden_at__isnull=True,
    )


def pending_applications(province: Province, limits: Thresholds, now: datetime) -> list[Finding]:
    """Applications waiting longer than N days (figure: days waiting)."""
    cutoff = now - timedelta(days=limits.pending_application_days)
    rows = Seller.objects.filter(
        commune__province=province, status=SellerStatus.PENDING, applied_at__lt=cutoff
    ).values_list("pk", "commune_id", "applied_at")
    return [
        Finding(
            subject_key=f"seller:{pk}",
            figure=round((now - applied).total_seconds() / 86400, 1),
            threshold=limits.pending_application_days,
            commune_id=commune_id,
            seller_id=pk,
        )
        for pk, commune_id, applied in rows
    ]


def _seller_rates(
    province: Province, limits: Thresholds, now: datetime, *, bad: Q, base: Q, threshold: float
) -> list[Finding]:
    rows = (
        SellerOrder.objects.filter(base, seller__commune__province=province, created_at__gte=now - RATE_WINDOW)
        .values("seller_id", "seller__commune_id")
        .annotate(total=Count("id"), bad=Count("id", filter=bad))
        .order_by()
    )
    findings = []
    for row in rows:
        if row["total"] < limits.rate_min_orders:
            continue
        rate = row["bad"] / row["total"]
        if rate > threshold:
            findings.append(
                Finding(
                    subject_key=f"seller:{row['seller_id']}",
                    figure=round(rate, 4),
                    threshold=threshold,
                    commune_id=row["seller__commune_id"],
                    seller_id=row["seller_id"],
                )
            )
    return findings


def high_cancellation(province: Province, limits: Thresholds, now: datetime) -> list[Finding]:
    """Sellers cancelling more than the threshold share of their last 30 days' orders."""
    return _seller_rates(
        province,
        limits,
        now,
        base=~Q(cancel_reason=UNPAID_REASON),
        bad=Q(status=SellerOrderStatus.CANCELLED),
        threshold=limits.cancellation_rate,
    )


def high_failed_cod(province: Province, limits: Thresholds, now: datetime) -> list[Finding]:
    """Sellers whose cash-on-delivery orders of the last 30 days fail or come back too often."""
    return _seller_rates(
        province,
        limits,
        now,
        base=~Q(cod_status="") & ~Q(cod_status=CodStatus.CANCELLED),
        bad=Q(cod_status__in=FAILED_COD),
        threshold=limits.failed_cod_rate,
    )


def reported_listings(province: Province, limits: Thresholds, now: datetime) -> list[Finding]:
    """Listings with more open reports than the threshold (figure: open reports)."""
    rows = (
        Product.objects.filter(seller__commune__province=province)
        .annotate(open_reports=Count("reports", filter=Q(reports__status=ReportStatus.OPEN)))
        .filter(open_reports__gt=limits.reports_threshold)
        .values_list("pk", "seller_id", "seller__commune_id", "open_reports")
    )
    return [
        Finding(
            subject_key=f"product:{pk}",
            figure=n,
            threshold=limits.reports_threshold,
            commune_id=commune_id,
            seller_id=seller_id,
            product_id=pk,
        )
        for pk, seller_id, commune_id, n in rows
    ]


def price_outliers(province: Province, limits: Thresholds, now: datetime) -> list[Finding]:
    """Public listings priced above ratio × or below 1/ratio × their category's median price in the
    province (figure: price / median). Categories with fewer than 3 priced listings are skipped."""
    rows = list(
        Product.objects.filter(_approved_products(province), price_min__isnull=False).values_list(
            "pk", "category_id", "price_min", "seller_id", "seller__commune_id"
        )
    )
    prices: dict[int, list[float]] = defaultdict(list)
    for _pk, category_id, price, _seller, _commune in rows:
        prices[category_id].append(float(price or 0))
    medians = {
        category_id: percentile(values, 0.5)
        for category_id, values in prices.items()
        if len(values) >= MIN_PRODUCTS_FOR_MEDIAN
    }
    findings = []
    for pk, category_id, price, seller_id, commune_id in rows:
        median = medians.get(category_id)
        if not median:
            continue
        ratio = (price or 0) / median
        if ratio > limits.price_ratio or ratio < 1 / limits.price_ratio:
            findings.append(
                Finding(
                    subject_key=f"product:{pk}",
                    figure=round(ratio, 3),
                    threshold=limits.price_ratio,
                    commune_id=commune_id,
                    seller_id=seller_id,
                    product_id=pk,
                )
            )
    return findings


def out_of_stock_in_season(province: Province, limits: Thresholds, now: datetime) -> list[Finding]:
    """Public listings out of stock during one of their harvest months (figure: the month)."""
    month = timezone.localtime(now).month
    rows = Product.objects.filter(_approved_products(province), in_stock=False).values_list(
        "pk", "harvest_months", "seller_id", "seller__commune_id"
    )
    # harvest_months is a JSON list: `contains` is not available on SQLite, and out-of-stock
    # public listings of one province are few.
    return [
        Finding(
            subject_key=f"product:{pk}",
            figure=month,
            threshold=0,
            commune_id=commune_id,
            seller_id=seller_id,
            product_id=pk,
        )
        for pk, months, seller_id, commune_id in rows
        if month in (months or [])
    ]


def communes_without_sellers(province: Province, limits: Thresholds, now: datetime) -> list[Finding]:
    """Communes that had an active seller (one now suspended) and have no approved seller left
    (figure: suspended sellers there)."""
    rows = (
        Seller.objects.filter(commune__province=province)
        .values("commune_id")
        .annotate(
            approved=Count("id", filter=Q(status=SellerStatus.APPROVED)),
            suspended=Count("id", filter=Q(status=SellerStatus.SUSPENDED)),
        )
        .filter(approved=0, suspended__gt=0)
        .order_by()
    )
    return [
        Finding(
            subject_key=f"commune:{row['commune_id']}",
            figure=row["suspended"],
            threshold=0,
            commune_id=row["commune_id"],
        )
        for row in rows
    ]


def tax_months_not_closed(province: Province, limits: Thresholds, now: datetime) -> list[Finding]:
    """Ended months with tax withheld that are not closed as declared (due by the 20th of the next
    month, Decree 117/2025); figure: days left until the due date (negative once overdue)."""
    today = timezone.localtime(now).date()
    return [
        Finding(subject_key=f"tax:{period:%Y-%m}", figure=(due_date(period) - today).days, threshold=0)
        for period in unclosed_periods(province=province, today=today)
    ]


RULES: dict[str, Rule] = {
    AlertKind.PENDING_APPLICATION: pending_applications,
    AlertKind.HIGH_CANCELLATION_RATE: high_cancellation,
    AlertKind.HIGH_FAILED_COD_RATE: high_failed_cod,
    AlertKind.LISTING_REPORTED: reported_listings,
    AlertKind.PRICE_OUTLIER: price_outliers,
    AlertKind.OUT_OF_STOCK_IN_SEASON: out_of_stock_in_season,
    AlertKind.COMMUNE_LOST_SELLERS: communes_without_sellers,
    AlertKind.TAX_MONTH_NOT_CLOSED: tax_months_not_closed,
}
