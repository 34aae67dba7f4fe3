"""Cash on delivery, delivery fees, holds and the payout ledger, at the service layer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from backend.checkout import services as checkout_services
from backend.checkout.models import CheckoutLine
from backend.checkout.reservations import held_quantities, release_expired
from backend.checkout.selectors import summarize
from backend.checkout.services import AddressData, LegacyAddress, LineInput
from backend.core.errors import DomainError, InvalidTransition, PermissionDenied
from backend.orders import ledger
from backend.orders import services as order_services
from backend.orders.models import CodStatus, LedgerKind, OrderStatus, PaymentStatus, SellerOrder, SellerOrderStatus
from backend.regions.models import Commune, Province
from tests.checkout.helpers import CARRIER, OTHER_DA_LAT_COMMUNE, OWN, PICKUP, Shop, make_shop
from tests.factories import UserFactory, VariantFactory, commune

pytestmark = pytest.mark.django_db

MUI_NE = "22918"


def _address(code: str = OTHER_DA_LAT_COMMUNE) -> AddressData:
    return AddressData(full_name="Trần Thị B", phone="0912345678", street="12 Nguyễn Trãi", commune_id=commune(code).pk)


def _cod_order(shop: Shop, *, kind: str = OWN, quantity: int = 1) -> Any:
    checkout = checkout_services.checkout_create(
        user=None, lines=[LineInput(variant_id=shop.variant.pk, quantity=quantity)]
    )
    checkout_services.checkout_shipping_address_update(checkout=checkout, address=_address())
    checkout_services.checkout_delivery_method_update(
        checkout=checkout, seller_id=shop.seller.pk, method_id=shop.method(kind).pk
    )
    order = order_services.checkout_complete(checkout=checkout, gateway_id="cod", user=None).order
    return order.seller_orders.get()


def test_own_delivery_fee_depends_on_commune_and_stops_at_the_province(regions: None) -> None:
    shop = make_shop(price=100_000)
    checkout = checkout_services.checkout_create(user=None, lines=[LineInput(variant_id=shop.variant.pk, quantity=1)])
    checkout_services.checkout_shipping_address_update(checkout=checkout, address=_address(shop.seller.commune.code))
    own = {m.method.kind: m.price for m in summarize(checkout).groups[0].methods}
    assert own[OWN] == 15_000 and own[PICKUP] == 0
    checkout_services.checkout_shipping_address_update(checkout=checkout, address=_address(MUI_NE))
    assert {m.method.kind: m.price for m in summarize(checkout).groups[0].methods}[OWN] == 35_000

    other = Province.objects.exclude(pk=shop.seller.commune.province_id).first()
    assert other is not None
    far = Commune.objects.create(
        code="99001", name="Phường Bến Thành", short_name="Bến Thành", slug="ben-thanh", kind="phuong", province=other
    )
    checkout_services.checkout_delivery_method_update(
        checkout=checkout, seller_id=shop.seller.pk, method_id=shop.method(OWN).pk
    )
    checkout_services.checkout_shipping_address_update(
        checkout=checkout, address=AddressData(full_name="C", phone="0912345678", street="1 Lê Lợi", commune_id=far.pk)
    )
    group = summarize(checkout).groups[0]
    assert OWN not in {m.method.kind for m in group.methods}
    assert group.selected is None  # the choice the new address cannot reach was dropped


def test_carrier_fee_grows_with_weight(regions: None) -> None:
    shop = make_shop(price=10_000, stock=50)  # 500 g per unit
    checkout = checkout_services.checkout_create(user=None, lines=[LineInput(variant_id=shop.variant.pk, quantity=2)])
    fee = {m.method.kind: m.price for m in summarize(checkout).groups[0].methods}[CARRIER]
    assert fee == 30_000  # 1 kg: base fee
    checkout_services.checkout_lines_update(
        checkout=checkout, lines=[LineInput(variant_id=shop.variant.pk, quantity=5)]
    )
    assert {m.method.kind: m.price for m in summarize(checkout).groups[0].methods}[CARRIER] == 30_000 + 2 * 8_000


def test_legacy_address_is_converted(regions: None) -> None:
    shop = make_shop()
    checkout = checkout_services.checkout_create(user=None, lines=[LineInput(variant_id=shop.variant.pk, quantity=1)])
    checkout = checkout_services.checkout_shipping_address_update(
        checkout=checkout,
        address=AddressData(
            full_name="Lê Văn C",
            phone="+84 903 123 456",
            street="5 Hùng Vương",
            legacy=LegacyAddress(ward="Phường 1", district="Thành phố Đà Lạt", province="Lâm Đồng"),
        ),
    )
    assert checkout.commune is not None and checkout.commune.province.name.endswith("Lâm Đồng")
    assert checkout.phone == "+84903123456"


def test_holds_expire_and_are_released(regions: None, settings: Any) -> None:
    shop = make_shop(stock=3)
    first = checkout_services.checkout_create(user=None, lines=[LineInput(variant_id=shop.variant.pk, quantity=3)])
    with pytest.raises(DomainError) as refused:
        checkout_services.checkout_create(user=None, lines=[LineInput(variant_id=shop.variant.pk, quantity=1)])
    assert refused.value.code == "INSUFFICIENT_STOCK"
    assert held_quantities([shop.variant.pk]) == {shop.variant.pk: 3}
    CheckoutLine.objects.filter(checkout=first).update(reserved_until=timezone.now() - timedelta(seconds=1))
    assert held_quantities([shop.variant.pk]) == {}
    assert release_expired() == 1
    assert CheckoutLine.objects.get(checkout=first).reserved_until is None
    checkout_services.checkout_create(user=None, lines=[LineInput(variant_id=shop.variant.pk, quantity=3)])


def test_cod_lifecycle_records_the_sale_when_cash_is_collected(regions: None) -> None:
    shop = make_shop(price=80_000)
    seller_order = _cod_order(shop, quantity=2)
    assert seller_order.cod_status == CodStatus.PENDING
    order_services.seller_order_confirm(seller_order=seller_order, actor=shop.staff)
    order_services.seller_order_fulfill(seller_order=seller_order, actor=shop.staff, tracking_number="")
    seller_order.refresh_from_db()
    assert seller_order.cod_status == CodStatus.IN_TRANSIT
    assert ledger.balance(seller=shop.seller) == 0  # nothing is owed before the cash is in
    with pytest.raises(DomainError):
        order_services.cod_record(seller_order=seller_order, actor=shop.staff, status="COLLECTED", amount=1)
    order_services.cod_record(seller_order=seller_order, actor=shop.staff, status="COLLECTED")
    seller_order.refresh_from_db()
    assert seller_order.cod_status == CodStatus.COLLECTED and seller_order.delivered_at is not None
    assert seller_order.order.payment_status == PaymentStatus.PAID
    assert ledger.balance(seller=shop.seller) == seller_order.total - seller_order.commission
    # Remittance is the platform's to record, not the seller's.
    with pytest.raises(PermissionDenied):
        order_services.cod_record(seller_order=seller_order, actor=shop.staff, status="REMITTED")
    ops = UserFactory(is_platform_staff=True)
    order_services.cod_record(seller_order=seller_order, actor=ops, status="REMITTED")
    with pytest.raises(InvalidTransition):
        order_services.cod_record(seller_order=seller_order, actor=ops, status="IN_TRANSIT")


def test_carrier_cash_is_recorded_by_the_platform_only(regions: None) -> None:
    shop = make_shop()
    seller_order = _cod_order(shop, kind=CARRIER)
    order_services.seller_order_confirm(seller_order=seller_order, actor=shop.staff)
    order_services.seller_order_fulfill(seller_order=seller_order, actor=shop.staff, tracking_number="VTP123")
    with pytest.raises(PermissionDenied):
        order_services.cod_record(seller_order=seller_order, actor=shop.staff, status="COLLECTED")


def test_failed_delivery_then_return_restocks_and_cancels(regions: None) -> None:
    shop = make_shop(stock=10)
    seller_order = _cod_order(shop, quantity=4)
    order_services.seller_order_confirm(seller_order=seller_order, actor=shop.staff)
    order_services.seller_order_fulfill(seller_order=seller_order, actor=shop.staff)
    shop.variant.refresh_from_db()
    assert shop.variant.stock == 6
    for status in ("DELIVERY_FAILED", "IN_TRANSIT", "DELIVERY_FAILED", "RETURNING", "RETURNED"):
        order_services.cod_record(seller_order=seller_order, actor=shop.staff, status=status)
    seller_order.refresh_from_db()
    shop.variant.refresh_from_db()
    assert shop.variant.stock == 10
    assert seller_order.status == SellerOrderStatus.CANCELLED
    assert seller_order.order.status == OrderStatus.CANCELLED
    assert ledger.balance(seller=shop.seller) == 0


def test_payout_after_the_holding_period(regions: None, settings: Any) -> None:
    settings.PAYOUT_HOLD_DAYS = 7
    shop = make_shop(price=100_000)
    seller_order = _cod_order(shop)
    order_services.seller_order_confirm(seller_order=seller_order, actor=shop.staff)
    order_services.seller_order_fulfill(seller_order=seller_order, actor=shop.staff)
    order_services.cod_record(seller_order=seller_order, actor=shop.staff, status="COLLECTED")
    ops = UserFactory(is_platform_staff=True)
    assert order_services.mark_payout_eligible() == 0
    assert order_services.payout_record(seller=shop.seller, actor=ops) is None
    SellerOrder.objects.filter(pk=seller_order.pk).update(delivered_at=timezone.now() - timedelta(days=8))
    assert order_services.mark_payout_eligible() == 1
    owed = seller_order.total - seller_order.commission
    assert ledger.available_for_payout(seller=shop.seller) == owed
    with pytest.raises(PermissionDenied):
        order_services.payout_record(seller=shop.seller, actor=shop.staff)
    entry = order_services.payout_record(seller=shop.seller, actor=ops, reference="CK 2026-11")
    assert entry is not None and entry.kind == LedgerKind.PAYOUT and entry.amount == -owed
    assert ledger.balance(seller=shop.seller) == 0
    assert order_services.payout_record(seller=shop.seller, actor=ops) is None  # never twice


def test_commission_is_rounded_half_up_on_goods_only(regions: None) -> None:
    assert ledger.commission_for(subtotal=12_345, rate_bp=500) == 617
    assert ledger.commission_for(subtotal=10, rate_bp=500) == 1  # 0.5 đ rounds up
    shop = make_shop(price=99_999)
    seller_order = _cod_order(shop)
    assert seller_order.commission == ledger.commission_for(subtotal=99_999, rate_bp=shop.seller.commission_rate_bp)
    assert seller_order.total == seller_order.subtotal + seller_order.delivery_fee


def test_another_sellers_staff_cannot_touch_the_order(regions: None) -> None:
    shop, other = make_shop(), make_shop()
    seller_order = _cod_order(shop)
    for act in (
        lambda: order_services.seller_order_confirm(seller_order=seller_order, actor=other.staff),
        lambda: order_services.seller_order_cancel(seller_order=seller_order, actor=other.staff, reason="x"),
        lambda: order_services.cod_record(seller_order=seller_order, actor=other.staff, status="CANCELLED"),
    ):
        with pytest.raises(PermissionDenied):
            act()
    seller_order.refresh_from_db()
    assert seller_order.status == SellerOrderStatus.UNCONFIRMED


def test_unpublished_products_cannot_be_bought(regions: None) -> None:
    variant = VariantFactory(product__is_published=False)
    with pytest.raises(DomainError) as refused:
        checkout_services.checkout_create(user=None, lines=[LineInput(variant_id=variant.pk, quantity=1)])
    assert refused.value.code == "NOT_FOUND"


def _online_order(shop: Shop, settings: Any) -> Any:
    settings.DEBUG = True
    checkout = checkout_services.checkout_create(user=None, lines=[LineInput(variant_id=shop.variant.pk, quantity=2)])
    checkout_services.checkout_shipping_address_update(checkout=checkout, address=_address())
    checkout_services.checkout_delivery_method_update(
        checkout=checkout, seller_id=shop.seller.pk, method_id=shop.method(PICKUP).pk
    )
    return order_services.checkout_complete(checkout=checkout, gateway_id="sandbox", user=None)


def test_unpaid_online_orders_are_cancelled_and_a_late_payment_is_refunded(
    regions: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from backend.orders.payments import apply_notification
    from payments.base import Notification, NotificationStatus

    shop = make_shop(price=50_000, stock=5)
    result = _online_order(shop, settings)
    assert order_services.cancel_unpaid_orders() == 0  # too early
    later = timezone.now() + timedelta(minutes=settings.ORDER_UNPAID_CANCEL_MINUTES + 1)
    assert order_services.cancel_unpaid_orders(now=later) == 1
    shop.variant.refresh_from_db()
    assert shop.variant.stock == 5
    result.order.refresh_from_db()
    assert result.order.status == OrderStatus.CANCELLED
    assert result.payment is not None
    late = Notification(
        reference=result.payment.reference, amount=100_000, status=NotificationStatus.PAID, gateway_transaction_id="L1"
    )
    with django_capture_on_commit_callbacks(execute=True):
        apply_notification(payment=result.payment, notification=late)
    result.payment.refresh_from_db()
    assert result.payment.status == PaymentStatus.REFUNDED
    assert result.payment.refunds.get().status == "CONFIRMED"
    assert ledger.balance(seller=shop.seller) == 0


def test_retry_after_an_abandoned_payment_and_a_late_duplicate_is_refunded(
    regions: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from backend.orders.payments import apply_notification, payment_retry
    from payments.base import Notification, NotificationStatus

    shop = make_shop(price=50_000)
    result = _online_order(shop, settings)
    first = result.payment
    assert first is not None  # the buyer closes the gateway page: no notification at all
    second = payment_retry(order=result.order, gateway_id="sandbox")
    assert second.reference.endswith("P2") and second.action_url
    with pytest.raises(DomainError):
        payment_retry(order=result.order, gateway_id="cod")
    paid = Notification(
        reference=second.reference, amount=100_000, status=NotificationStatus.PAID, gateway_transaction_id="S2"
    )
    apply_notification(payment=second, notification=paid)
    result.order.refresh_from_db()
    assert result.order.payment_status == PaymentStatus.PAID
    with pytest.raises(DomainError):  # a paid order needs no more attempts
        payment_retry(order=result.order, gateway_id="sandbox")
    # The first attempt's money arrives after all (the buyer paid twice): it goes straight back.
    late = Notification(
        reference=first.reference, amount=100_000, status=NotificationStatus.PAID, gateway_transaction_id="F2"
    )
    with django_capture_on_commit_callbacks(execute=True):
        apply_notification(payment=first, notification=late)
    first.refresh_from_db()
    assert first.status == PaymentStatus.REFUNDED and first.refunds.get().status == "CONFIRMED"
    result.order.refresh_from_db()
    assert result.order.payment_status == PaymentStatus.PAID
    assert ledger.balance(seller=shop.seller) == 100_000 - result.order.seller_orders.get().commission


def test_a_failed_attempt_does_not_fail_the_order_while_another_is_pending(regions: None, settings: Any) -> None:
    from backend.orders.payments import apply_notification, payment_retry
    from payments.base import Notification, NotificationStatus

    shop = make_shop(price=50_000)
    result = _online_order(shop, settings)
    assert result.payment is not None
    payment_retry(order=result.order, gateway_id="sandbox")
    failed = Notification(
        reference=result.payment.reference, amount=100_000, status=NotificationStatus.FAILED, gateway_transaction_id="X"
    )
    apply_notification(payment=result.payment, notification=failed)
    result.order.refresh_from_db()
    assert result.order.payment_status == PaymentStatus.PENDING
