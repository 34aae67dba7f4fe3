"""Every message goes through notifications: a phone-only tourist gets ticket links on the sandbox
Zalo channel (an e-mail buyer still gets the e-mail with its QR and calendar files)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from backend.experiences.tasks import send_tickets
from backend.notifications.models import Notification, NotificationStatus, SandboxMessage
from backend.orders.models import Order, Refund, RefundStatus
from backend.orders.tasks import process_refund
from backend.outbox.services import deliver_keys
from backend.regions.models import Province
from backend.reports.services import evaluate_alerts
from backend.sellers.models import Seller, SellerStatus
from storefront_api.core.ids import global_id
from tests.conftest import GQL
from tests.experiences.helpers import make_tour
from tests.experiences.test_tourist_journey import BOOK, COMPLETE, CREATE
from tests.factories import SellerFactory
from tests.notifications.helpers import sandbox
from tests.orders.payment_helpers import configure_gateways, sandbox_notify, send
from tests.orders.test_orders_api import ORDER_REFUND, run, seller_order_of, sid
from tests.orders.test_refund_retry import _paid_sandbox_order
from tests.reports.helpers import province_admin

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sandbox")]
__all__ = ["sandbox"]

CANCEL = """mutation($id: ID!, $token: String) { bookingCancel(id: $id, orderToken: $token) {
  errors { field code message } } }"""

PHONE_CONTACT = """mutation($id: ID!) { checkoutContactUpdate(id: $id, fullName: "Hà Văn Sáng",
  phone: "0912 345 678") { errors { field code message } } }"""


def test_phone_only_tourist_gets_ticket_links_on_zalo(
    regions: Any,
    gql: GQL,
    client: Any,
    monkeypatch: Any,
    settings: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    configure_gateways(monkeypatch, settings)
    with django_capture_on_commit_callbacks(execute=True):
        slot = make_tour(capacity=12).slot(days=10)
    checkout_id = gql(CREATE).payload("checkoutCreate")["checkout"]["id"]
    people = [{"participantType": "adult", "quantity": 2}]
    booked = gql(BOOK, {"id": checkout_id, "slot": global_id("Slot", slot.pk), "people": people})
    assert booked.payload("checkoutBookingAdd")["errors"] == []
    assert gql(PHONE_CONTACT, {"id": checkout_id}).payload("checkoutContactUpdate")["errors"] == []
    with django_capture_on_commit_callbacks(execute=True):
        completed = gql(COMPLETE, {"id": checkout_id}).payload("checkoutComplete")
        assert completed["errors"] == [], completed["errors"]
        order = completed["order"]
        response = send(client, sandbox_notify(f"{order['number']}P1", order["total"]["amount"]))
        assert response.status_code == 200
    codes = {t["code"] for t in order["tickets"]}
    assert len(codes) == 2
    sent = SandboxMessage.objects.filter(address="+84912345678", kind="booking.ticket")
    assert {m.channel_id for m in sent} == {"sandbox_zalo"}
    texts = " ".join(m.text for m in sent)
    assert all(f"/tickets/{code}" in texts for code in codes)
    assert not any("Vé" in m.subject or "Tickets" in m.subject for m in mailoutbox)
    # A repeated outbox run adds nothing.
    assert send_tickets(Order.objects.get(number=order["number"]).pk) == 0
    assert Notification.objects.filter(kind="booking.ticket").count() == 2

    # Cancelling with the order's token: the cancellation reaches the same phone, once.
    placed = Order.objects.get(number=order["number"])
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = gql(CANCEL, {"id": global_id("Booking", placed.bookings.get().pk), "token": str(placed.token)})
    assert cancelled.payload("bookingCancel")["errors"] == []
    told = SandboxMessage.objects.filter(address="+84912345678", kind="booking.cancelled")
    assert told.count() == 1 and order["number"] in told.get().text
    assert not any("cancelled" in m.subject.lower() or "hủy" in m.subject.lower() for m in mailoutbox)


def test_the_buyer_hears_of_a_refund_once_the_gateway_accepted_it(
    regions: Any, gql: GQL, make_user: Any, settings: Any
) -> None:
    shop, order = _paid_sandbox_order(settings)
    admin = make_user("admin@example.vn", is_staff=True, is_superuser=True)
    variables = {"id": sid(seller_order_of(order, shop)), "amount": 40_000, "reason": "Hỏng"}
    assert run(gql, ORDER_REFUND, "orderRefund", variables, admin)["errors"] == []
    refund = Refund.objects.get()
    assert deliver_keys([f"orders.refund:{refund.pk}"]) == 1
    refund.refresh_from_db()
    assert refund.status == RefundStatus.CONFIRMED
    sent = SandboxMessage.objects.get(kind="refund.issued")
    assert sent.address == order.phone and sent.channel_id == "sandbox_zalo"
    assert order.number in sent.text and "40.000" in sent.text
    assert process_refund(refund.pk) == RefundStatus.CONFIRMED  # the outbox runs it again
    assert SandboxMessage.objects.filter(kind="refund.issued").count() == 1


def test_an_opened_alert_reaches_the_province_officers_once(
    regions: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    lam_dong = Province.objects.get(slug="lam-dong")
    officer = province_admin(phone="+84903111222", phone_verified=True)
    province_admin("ha-noi", phone="+84903111333", phone_verified=True)  # another province's officer
    seller = SellerFactory(status=SellerStatus.PENDING)
    Seller.objects.filter(pk=seller.pk).update(applied_at=timezone.now() - timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        evaluate_alerts(province=lam_dong)
    with django_capture_on_commit_callbacks(execute=True):
        evaluate_alerts(province=lam_dong)  # still open: nothing new to say
    [note] = Notification.objects.filter(kind="officer.alert")
    assert note.user == officer and note.status == NotificationStatus.SENT
    [sent] = SandboxMessage.objects.filter(kind="officer.alert")
    assert sent.address == "+84903111222" and lam_dong.name in sent.text and "/province/alerts/" in sent.text
