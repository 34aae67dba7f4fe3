"""generate_orders: synthetic trade that the dashboard adds up like the ledger does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from backend.orders.models import LedgerEntry, LedgerKind, Order, SellerOrder
from backend.regions.models import Province
from backend.reports.selectors import province_dashboard

pytestmark = pytest.mark.django_db


def test_generated_orders_add_up_on_the_dashboard(regions: None) -> None:
    call_command("generate_orders", orders=300, months=2, seed=7)
    assert Order.objects.count() == 300
    oldest = Order.objects.order_by("created_at").first()
    assert oldest is not None and oldest.created_at < timezone.now() - timedelta(days=20)
    province = Province.objects.get(slug="lam-dong")
    today = timezone.localdate()
    d = province_dashboard(province=province, date_from=today - timedelta(days=70), date_to=today + timedelta(days=3))
    sold = SellerOrder.objects.filter(ledger_entries__kind=LedgerKind.SALE)
    assert d.gmv == sum(so.total - so.refunded_amount for so in sold)
    assert d.orders == sold.values("order_id").distinct().count()
    assert 0 < d.orders < 300  # cancelled unpaid orders do not count
    assert LedgerEntry.objects.filter(kind=LedgerKind.REFUND).exists()
    assert sum(day.gmv for day in d.by_day) == d.gmv == sum(c.gmv for c in d.by_commune)
    assert d.goods_gmv == sum(c.gmv for c in d.by_category) <= d.gmv
