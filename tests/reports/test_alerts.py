"""Early warnings: each rule raises an alert and resolves it when its condition clears; provinceAlerts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from backend.catalog.models import Product
from backend.moderation.models import ListingReport, ReportStatus
from backend.orders.models import CodStatus, SellerOrder, SellerOrderStatus
from backend.regions.models import Province
from backend.reports.models import Alert, AlertKind, AlertThreshold
from backend.reports.services import evaluate_alerts
from backend.reports.tasks import evaluate_alerts as evaluate_task
from backend.sellers.models import Seller, SellerStatus
from storefront_api.core.ids import global_id
from tests.conftest import GQL
from tests.factories import CategoryFactory, ProductFactory, SellerFactory, UserFactory, VariantFactory, add_staff
from tests.factories import commune as commune_by_code
from tests.reports.helpers import local, make_order, province_admin

pytestmark = pytest.mark.django_db

NOW = local("2026-11-23 09:00")  # November: month 11

ALERTS = """
query A($province: String!, $first: Int, $after: String, $all: Boolean, $kind: AlertKind) {
  provinceAlerts(province: $province, first: $first, after: $after, includeResolved: $all, kind: $kind) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id kind title commune { code } sellerId sellerName productId productName
                   figure threshold firstSeenAt lastSeenAt resolvedAt } }
  }
}
"""


@pytest.fixture
def lam_dong(regions: None) -> Province:
    return Province.objects.get(slug="lam-dong")


def run(province: Province, now: Any = NOW) -> None:
    evaluate_alerts(province=province, now=now)


def open_alerts(kind: str) -> list[Alert]:
    return list(Alert.objects.filter(kind=kind, resolved_at__isnull=True))


def test_pending_application_raises_then_resolves_on_decision(lam_dong: Province, gql: GQL) -> None:
    seller = SellerFactory(status=SellerStatus.PENDING)
    Seller.objects.filter(pk=seller.pk).update(applied_at=NOW - timedelta(days=10))
    fresh = SellerFactory(status=SellerStatus.PENDING)
    Seller.objects.filter(pk=fresh.pk).update(applied_at=NOW - timedelta(days=2))
    run(lam_dong)
    [alert] = open_alerts(AlertKind.PENDING_APPLICATION)
    assert alert.seller_id == seller.pk and alert.figure == 10.0 and alert.threshold == 7
    assert alert.commune_id == seller.commune_id and alert.first_seen_at == NOW

    run(lam_dong, NOW + timedelta(hours=1))  # still pending: the same row, refreshed
    assert Alert.objects.filter(kind=AlertKind.PENDING_APPLICATION).count() == 1
    alert.refresh_from_db()
    assert alert.last_seen_at == NOW + timedelta(hours=1) and alert.first_seen_at == NOW

    Seller.objects.filter(pk=seller.pk).update(status=SellerStatus.APPROVED)
    run(lam_dong, NOW + timedelta(hours=2))
    alert.refresh_from_db()
    assert alert.resolved_at == NOW + timedelta(hours=2)
    assert open_alerts(AlertKind.PENDING_APPLICATION) == []


def test_province_threshold_overrides_setting(lam_dong: Province) -> None:
    seller = SellerFactory(status=SellerStatus.PENDING)
    Seller.objects.filter(pk=seller.pk).update(applied_at=NOW - timedelta(days=10))
    AlertThreshold.objects.create(province=lam_dong, pending_application_days=14)
    run(lam_dong)
    assert open_alerts(AlertKind.PENDING_APPLICATION) == []


def _seller_orders(seller: Seller, product: Product, n: int, **fields: Any) -> list[SellerOrder]:
    result = []
    for _ in range(n):
        order = make_order([(seller, [(product, 1, 100_000)], 0)], commune=seller.commune)
        so = order.seller_orders.get()
        SellerOrder.objects.filter(pk=so.pk).update(created_at=NOW - timedelta(days=3), **fields)
        result.append(so)
    return result


def _shop() -> tuple[Seller, Product]:
    seller = SellerFactory()
    product = ProductFactory(seller=seller)
    VariantFactory(product=product)
    return seller, product


def test_cancellation_rate_raises_then_resolves(lam_dong: Province) -> None:
    seller, product = _shop()
    _seller_orders(seller, product, 6, status=SellerOrderStatus.CONFIRMED)
    cancelled = _seller_orders(seller, product, 4, status=SellerOrderStatus.CANCELLED, cancel_reason="Hết hàng")
    # Unpaid online orders cancelled by the system do not count against the seller.
    _seller_orders(seller, product, 5, status=SellerOrderStatus.CANCELLED, cancel_reason="unpaid")
    run(lam_dong)
    [alert] = open_alerts(AlertKind.HIGH_CANCELLATION_RATE)
    assert alert.seller_id == seller.pk and alert.figure == pytest.approx(0.4)

    # Older than 30 days: out of the window.
    SellerOrder.objects.filter(pk__in=[so.pk for so in cancelled[:2]]).update(created_at=NOW - timedelta(days=31))
    run(lam_dong, NOW + timedelta(hours=1))
    alert.refresh_from_db()
    assert alert.resolved_at is not None  # 2 of 8 = 25 %


def test_failed_cod_rate_raises_then_resolves(lam_dong: Province) -> None:
    seller, product = _shop()
    _seller_orders(seller, product, 3, cod_status=CodStatus.COLLECTED)
    failed = _seller_orders(seller, product, 2, cod_status=CodStatus.RETURNED)
    _seller_orders(seller, product, 1, cod_status=CodStatus.DELIVERY_FAILED)
    run(lam_dong)
    [alert] = open_alerts(AlertKind.HIGH_FAILED_COD_RATE)
    assert alert.seller_id == seller.pk and alert.figure == pytest.approx(0.5)
    assert open_alerts(AlertKind.HIGH_CANCELLATION_RATE) == []

    SellerOrder.objects.filter(pk__in=[so.pk for so in failed]).update(cod_status=CodStatus.COLLECTED)
    run(lam_dong, NOW + timedelta(hours=1))
    assert open_alerts(AlertKind.HIGH_FAILED_COD_RATE) == []


def test_reported_listing_raises_then_resolves_and_reopens(lam_dong: Province) -> None:
    _seller, product = _shop()
    reports = [ListingReport.objects.create(product=product, reason="OTHER") for _ in range(4)]
    run(lam_dong)
    [alert] = open_alerts(AlertKind.LISTING_REPORTED)
    assert alert.product_id == product.pk and alert.figure == 4

    ListingReport.objects.filter(pk=reports[0].pk).update(status=ReportStatus.DISMISSED)
    run(lam_dong, NOW + timedelta(hours=1))
    assert open_alerts(AlertKind.LISTING_REPORTED) == []

    ListingReport.objects.create(product=product, reason="OTHER")
    run(lam_dong, NOW + timedelta(hours=2))
    rows = list(Alert.objects.filter(kind=AlertKind.LISTING_REPORTED).order_by("first_seen_at"))
    assert len(rows) == 2 and rows[0].resolved_at is not None and rows[1].resolved_at is None


def test_price_outlier_raises_then_resolves(lam_dong: Province) -> None:
    category = CategoryFactory(name="Cà phê", slug="ca-phe")
    products = []
    for price in (100_000, 110_000, 120_000, 500_000):
        seller = SellerFactory()
        product = ProductFactory(seller=seller, category=category, price_min=price, price_max=price, in_stock=True)
        products.append(product)
    # Not public: ignored for the median and the alert.
    ProductFactory(category=category, price_min=9_000_000, is_published=False)
    run(lam_dong)
    [alert] = open_alerts(AlertKind.PRICE_OUTLIER)
    # Median of 100k, 110k, 120k, 500k = 115k; 500k / 115k ≈ 4.35.
    assert alert.product_id == products[3].pk and alert.figure == pytest.approx(4.348, abs=0.001)

    Product.objects.filter(pk=products[3].pk).update(price_min=130_000)
    run(lam_dong, NOW + timedelta(hours=1))
    assert open_alerts(AlertKind.PRICE_OUTLIER) == []


def test_out_of_stock_in_season_raises_then_resolves(lam_dong: Province) -> None:
    in_season = ProductFactory(harvest_months=[10, 11, 12], in_stock=False, price_min=1)
    ProductFactory(harvest_months=[3, 4], in_stock=False, price_min=1)  # not in season
    ProductFactory(harvest_months=[11], in_stock=True, price_min=1)  # in stock
    run(lam_dong)
    [alert] = open_alerts(AlertKind.OUT_OF_STOCK_IN_SEASON)
    assert alert.product_id == in_season.pk and alert.figure == 11

    Product.objects.filter(pk=in_season.pk).update(in_stock=True)
    run(lam_dong, NOW + timedelta(hours=1))
    assert open_alerts(AlertKind.OUT_OF_STOCK_IN_SEASON) == []


def test_commune_losing_its_last_seller_raises_then_resolves(lam_dong: Province) -> None:
    place = commune_by_code("24781")
    last = SellerFactory(commune=place, status=SellerStatus.SUSPENDED)
    SellerFactory(commune=place, status=SellerStatus.PENDING)
    SellerFactory(status=SellerStatus.SUSPENDED)  # Lâm Viên still has an approved seller:
    SellerFactory()
    run(lam_dong)
    [alert] = open_alerts(AlertKind.COMMUNE_LOST_SELLERS)
    assert alert.commune_id == place.pk and alert.figure == 1

    Seller.objects.filter(pk=last.pk).update(status=SellerStatus.APPROVED)
    run(lam_dong, NOW + timedelta(hours=1))
    assert open_alerts(AlertKind.COMMUNE_LOST_SELLERS) == []


def test_periodic_task_covers_every_province(lam_dong: Province) -> None:
    seller = SellerFactory(status=SellerStatus.PENDING)
    Seller.objects.filter(pk=seller.pk).update(applied_at=timezone.now() - timedelta(days=30))
    result = evaluate_task.delay().get()
    assert result["opened"] == 1
    assert open_alerts(AlertKind.PENDING_APPLICATION)[0].province_id == lam_dong.pk


def test_province_alerts_query(lam_dong: Province, gql: GQL) -> None:
    seller = SellerFactory(status=SellerStatus.PENDING, name="HTX chờ lâu")
    Seller.objects.filter(pk=seller.pk).update(applied_at=NOW - timedelta(days=9))
    _s, product = _shop()
    for _ in range(4):
        ListingReport.objects.create(product=product, reason="OTHER")
    run(lam_dong)
    ListingReport.objects.filter(product=product).update(status=ReportStatus.DISMISSED)
    run(lam_dong, NOW + timedelta(hours=1))

    admin = province_admin()
    # Translations are merged into locale/ separately: ask in English.
    result = gql(ALERTS, {"province": "lam-dong"}, user=admin, lang="en")
    assert not result.errors, result.errors
    page = result.data["provinceAlerts"]
    assert page["totalCount"] == 1
    node = page["edges"][0]["node"]
    assert node["kind"] == "PENDING_APPLICATION" and node["title"] == "Application pending too long"
    assert node["sellerId"] == global_id("Seller", seller.pk) and node["sellerName"] == "HTX chờ lâu"
    assert node["commune"]["code"] == seller.commune.code
    assert node["figure"] == 9.0 and node["threshold"] == 7.0 and node["resolvedAt"] is None
    assert node["firstSeenAt"].startswith("2026-11-23T09:00:00+07:00")

    everything = gql(ALERTS, {"province": "68", "all": True, "first": 1}, user=admin).data["provinceAlerts"]
    assert everything["totalCount"] == 2 and everything["pageInfo"]["hasNextPage"]
    assert everything["edges"][0]["node"]["resolvedAt"] is None  # open first
    second = gql(ALERTS, {"province": "68", "all": True, "after": everything["pageInfo"]["endCursor"]}, user=admin)
    resolved = second.data["provinceAlerts"]["edges"][0]["node"]
    assert resolved["kind"] == "LISTING_REPORTED" and resolved["productId"] == global_id("Product", product.pk)
    assert resolved["resolvedAt"].startswith("2026-11-23T10:00:00")

    only = gql(ALERTS, {"province": "lam-dong", "all": True, "kind": "LISTING_REPORTED"}, user=admin)
    assert only.data["provinceAlerts"]["totalCount"] == 1

    too_many = gql(ALERTS, {"province": "lam-dong", "first": 101}, user=admin)
    assert too_many.errors and too_many.data is None


@pytest.mark.parametrize("who", ["other_province_admin", "seller_staff", "anonymous"])
def test_province_alerts_denied(lam_dong: Province, gql: GQL, who: str) -> None:
    seller = SellerFactory()
    user = {
        "other_province_admin": lambda: province_admin("ha-noi"),
        "seller_staff": lambda: add_staff(seller),
        "anonymous": lambda: None,
    }[who]()
    result = gql(ALERTS, {"province": "lam-dong"}, user=user)
    assert [e["extensions"]["code"] for e in result.errors] == ["PERMISSION_DENIED"]


def test_superuser_sees_alerts(lam_dong: Province, gql: GQL) -> None:
    root = UserFactory(is_staff=True, is_superuser=True)
    result = gql(ALERTS, {"province": "lam-dong"}, user=root)
    assert result.data["provinceAlerts"]["totalCount"] == 0
