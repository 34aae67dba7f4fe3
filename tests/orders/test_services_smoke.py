"""Service-level checks of the order core: completing, stock, ledger, cancel and refund."""

from __future__ import annotations

from typing import Any

import pytest

from backend.checkout import services as checkout_services
from backend.checkout.services import AddressData, LineInput
from backend.orders import ledger
from backend.orders import services as order_services
from backend.orders.models import LedgerKind, PaymentStatus, SellerOrderStatus
from tests.checkout.helpers import OTHER_DA_LAT_COMMUNE, PICKUP, make_shop
from tests.factories import commune

pytestmark = pytest.mark.django_db


def _ready_checkout(shops: list[Any], quantity: int = 2) -> Any:
    checkout = checkout_services.checkout_create(
        user=None,
        lines=[LineInput(variant_id=s.variant.pk, quantity=quantity) for s in shops],
        email="khach@example.vn",
    )
    checkout_services.checkout_shipping_address_update(
        checkout=checkout,
        address=AddressData(
            full_name="Nguyễn Văn A",
            phone="0903 123 456",
            street="1 Trần Phú",
            commune_id=commune(OTHER_DA_LAT_COMMUNE).pk,
        ),
    )
    for shop in shops:
        checkout_services.checkout_delivery_method_update(
            checkout=checkout, seller_id=shop.seller.pk, method_id=shop.method(PICKUP).pk
        )
    return checkout


def test_cod_order_takes_stock_and_splits_per_seller(regions: None) -> None:
    a, b = make_shop(price=100_000), make_shop(price=50_000)
    checkout = _ready_checkout([a, b])
    result = order_services.checkout_complete(checkout=checkout, gateway_id="cod", user=None)
    order = result.order
    assert order.total == 300_000 and order.payment_status == PaymentStatus.NOT_CHARGED
    assert sorted(order.seller_orders.values_list("total", flat=True)) == [100_000, 200_000]
    a.variant.refresh_from_db()
    assert a.variant.stock == 8
    again = order_services.checkout_complete(checkout=checkout, gateway_id="cod", user=None)
    assert again.order.pk == order.pk and not again.created


def test_sandbox_payment_then_cancel_refunds_and_ledgers(
    regions: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.DEBUG = True
    from backend.orders.payments import apply_notification
    from payments.base import Notification, NotificationStatus

    a = make_shop(price=100_000)
    checkout = _ready_checkout([a])
    result = order_services.checkout_complete(checkout=checkout, gateway_id="sandbox", user=None)
    payment = result.payment
    assert payment is not None and payment.action_url.endswith(f"/payments/sandbox/{payment.reference}")
    paid = Notification(
        reference=payment.reference, amount=200_000, status=NotificationStatus.PAID, gateway_transaction_id="T1"
    )
    apply_notification(payment=payment, notification=paid)
    seller_order = result.order.seller_orders.get()
    assert seller_order.status == SellerOrderStatus.CONFIRMED
    assert ledger.balance(seller=a.seller) == 200_000 - seller_order.commission
    with django_capture_on_commit_callbacks(execute=True):
        order_services.seller_order_cancel(seller_order=seller_order, actor=a.staff, reason="Hết hàng")
    assert ledger.balance(seller=a.seller) == 0
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert payment.refunds.get().status == "CONFIRMED"
    kinds = sorted(seller_order.ledger_entries.values_list("kind", flat=True))
    assert kinds == sorted([LedgerKind.SALE, LedgerKind.COMMISSION, LedgerKind.REFUND, LedgerKind.COMMISSION_REVERSAL])
    a.variant.refresh_from_db()
    assert a.variant.stock == 10
