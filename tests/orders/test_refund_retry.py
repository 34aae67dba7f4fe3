"""A refund whose gateway cannot be reached is not given up: it stays REQUESTED and the outbox asks the
gateway again with backoff until it answers (issue 17: refunds were marked FAILED on the first timeout)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from backend.orders.models import Refund, RefundStatus
from backend.orders.payments import apply_notification
from backend.outbox.models import OutboxItem, OutboxStatus
from backend.outbox.services import deliver_keys
from payments.base import GatewayUnavailable, Notification, NotificationStatus, RefundResult
from payments.sandbox import SandboxGateway
from tests.checkout.helpers import make_shop
from tests.conftest import GQL
from tests.orders.test_orders_api import ORDER_REFUND, place_order, run, seller_order_of, sid

pytestmark = pytest.mark.django_db


def _paid_sandbox_order(settings: Any) -> Any:
    settings.DEBUG = True
    shop = make_shop(price=100_000)
    order = place_order([shop], gateway="sandbox")
    payment = order.payments.get()
    apply_notification(
        payment=payment,
        notification=Notification(
            reference=payment.reference, amount=order.total, status=NotificationStatus.PAID, gateway_transaction_id="T1"
        ),
    )
    return shop, order


def _due_now(key: str) -> None:
    OutboxItem.objects.filter(key=key).update(available_at=timezone.now())


def test_an_unreachable_gateway_is_asked_again_until_the_refund_is_confirmed(
    regions: None, gql: GQL, make_user: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop, order = _paid_sandbox_order(settings)
    calls: list[int] = []

    def flaky_refund(self: SandboxGateway, **kwargs: Any) -> RefundResult:
        calls.append(kwargs["amount"])
        if len(calls) < 3:
            raise GatewayUnavailable("connect timeout")
        return RefundResult(ok=True, gateway_reference="SBX-RF-1", message="sandbox refund")

    monkeypatch.setattr(SandboxGateway, "refund", flaky_refund)
    admin = make_user("admin@example.vn", is_staff=True, is_superuser=True)
    result = run(
        gql,
        ORDER_REFUND,
        "orderRefund",
        {"id": sid(seller_order_of(order, shop)), "amount": 40_000, "reason": "Hỏng"},
        admin,
    )
    assert result["errors"] == []
    refund = Refund.objects.get()
    key = f"orders.refund:{refund.pk}"

    assert deliver_keys([key]) == 0
    refund.refresh_from_db()
    item = OutboxItem.objects.get(key=key)
    assert refund.status == RefundStatus.REQUESTED and "retry" in refund.message
    assert item.status == OutboxStatus.PENDING and item.attempts == 1 and "connect timeout" in item.last_error
    assert item.available_at > timezone.now()  # backoff: not asked again at once
    assert deliver_keys([key]) == 0 and len(calls) == 1

    _due_now(key)
    assert deliver_keys([key]) == 0
    _due_now(key)
    assert deliver_keys([key]) == 1
    refund.refresh_from_db()
    assert refund.status == RefundStatus.CONFIRMED and refund.gateway_reference == "SBX-RF-1"
    assert OutboxItem.objects.get(key=key).status == OutboxStatus.DELIVERED
    _due_now(key)
    assert deliver_keys([key]) == 0
    assert calls == [40_000, 40_000, 40_000]  # asked three times, confirmed once, never again


def test_a_refund_the_gateway_refuses_is_failed_and_not_retried(
    regions: None, gql: GQL, make_user: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop, order = _paid_sandbox_order(settings)
    calls: list[int] = []

    def refusing_refund(self: SandboxGateway, **kwargs: Any) -> RefundResult:
        calls.append(kwargs["amount"])
        return RefundResult(ok=False, gateway_reference="", message="transaction not refundable")

    monkeypatch.setattr(SandboxGateway, "refund", refusing_refund)
    admin = make_user("admin@example.vn", is_staff=True, is_superuser=True)
    run(
        gql,
        ORDER_REFUND,
        "orderRefund",
        {"id": sid(seller_order_of(order, shop)), "amount": 40_000, "reason": "Hỏng"},
        admin,
    )
    refund = Refund.objects.get()
    key = f"orders.refund:{refund.pk}"
    assert deliver_keys([key]) == 1
    refund.refresh_from_db()
    assert refund.status == RefundStatus.FAILED and refund.message == "transaction not refundable"
    _due_now(key)
    assert deliver_keys([key]) == 0 and calls == [40_000]
