"""Tax withheld under real concurrency (threads with their own connections; run on PostgreSQL with
DATABASE_URL): a payment notification delivered several times at once withholds once, and
simultaneous partial refunds reverse exactly what was withheld, never more."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Sum

from backend.orders.models import LedgerEntry, LedgerKind, Payment, SellerOrder
from backend.orders.payments import apply_notification, order_refund
from backend.sellers.models import SellerKind
from backend.tax.models import TaxLine
from payments.base import Notification, NotificationStatus
from tests.checkout.helpers import PICKUP
from tests.factories import UserFactory
from tests.orders.test_concurrency import _run_concurrently
from tests.orders.test_orders_api import place_order
from tests.tax.helpers import make_shop_of

pytestmark = pytest.mark.django_db(transaction=True)


def _paid_household_order(settings: Any, *, price: int, quantity: int) -> SellerOrder:
    settings.DEBUG = True
    shop = make_shop_of(SellerKind.HOUSEHOLD, price=price)
    order = place_order([shop], gateway="sandbox", kind=PICKUP, quantity=quantity)
    return order.seller_orders.get()


def _notify(payment_id: int) -> Any:
    payment = Payment.objects.get(pk=payment_id)
    return apply_notification(
        payment=payment,
        notification=Notification(
            reference=payment.reference,
            amount=payment.amount,
            status=NotificationStatus.PAID,
            gateway_transaction_id="T",
        ),
    )


def _sums(seller_order: SellerOrder) -> dict[str, int]:
    rows = LedgerEntry.objects.filter(seller_order=seller_order).values("kind").annotate(s=Sum("amount"))
    return {r["kind"]: int(r["s"]) for r in rows}


def test_simultaneous_payment_notifications_withhold_once(regions: None, settings: Any) -> None:
    seller_order = _paid_household_order(settings, price=100_000, quantity=1)
    payment_id = seller_order.order.payments.get().pk
    outcomes = _run_concurrently([lambda: _notify(payment_id) for _ in range(4)])
    assert outcomes.unexpected == []
    assert list(TaxLine.objects.filter(seller_order=seller_order).values_list("vat", "pit")) == [(1_000, 500)]
    sums = _sums(seller_order)
    assert sums[LedgerKind.TAX_VAT_WITHHELD] == -1_000 and sums[LedgerKind.TAX_PIT_WITHHELD] == -500
    assert LedgerEntry.objects.filter(seller_order=seller_order, kind=LedgerKind.TAX_VAT_WITHHELD).count() == 1


def test_simultaneous_partial_refunds_reverse_exactly_what_was_withheld(regions: None, settings: Any) -> None:
    seller_order = _paid_household_order(settings, price=33_333, quantity=3)  # 99 999 đ: VAT 1 000, PIT 500
    _notify(seller_order.order.payments.get().pk)
    staff = UserFactory(is_platform_staff=True)
    parts = [25_000, 25_000, 25_000, 24_999]

    def refund(amount: int) -> Any:
        fresh = SellerOrder.objects.get(pk=seller_order.pk)
        return order_refund(seller_order=fresh, actor=staff, amount=amount, reason="trả hàng")

    outcomes = _run_concurrently([lambda a=a: refund(a) for a in parts])
    assert outcomes.unexpected == [] and outcomes.codes == []
    seller_order.refresh_from_db()
    assert seller_order.refunded_amount == 99_999
    totals = TaxLine.objects.filter(seller_order=seller_order).aggregate(v=Sum("vat"), p=Sum("pit"), r=Sum("revenue"))
    assert (totals["v"], totals["p"], totals["r"]) == (0, 0, 0)
    sums = _sums(seller_order)
    assert sums[LedgerKind.TAX_VAT_WITHHELD] + sums[LedgerKind.TAX_VAT_REVERSAL] == 0
    assert sums[LedgerKind.TAX_PIT_WITHHELD] + sums[LedgerKind.TAX_PIT_REVERSAL] == 0
    assert sum(sums.values()) == 0  # sale, commission, tax and all their reversals cancel out
