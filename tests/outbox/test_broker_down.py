"""Broker down at commit (issue 17, failure 1): the order is placed, its e-mails wait in the outbox,
and are sent exactly once when the broker is back. Real commits, so the after-commit nudge runs."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core import mail

from backend.orders.models import Order
from backend.outbox.models import OutboxItem, OutboxStatus
from backend.outbox.tasks import dispatch
from tests.checkout.helpers import make_shop
from tests.outbox.helpers import CLOSED_BROKER, broker, place_order

pytestmark = pytest.mark.django_db(transaction=True)

ORDERS = 3


def test_orders_placed_with_the_broker_down_get_every_email_once_it_is_back(regions, gql) -> None:
    shop = make_shop(stock=10)
    numbers = []
    with broker(CLOSED_BROKER):
        for n in range(ORDERS):
            answer = place_order(gql, shop, email=f"khach{n}@example.vn")
            assert "errors" not in answer, answer  # no INTERNAL_ERROR for a committed order
            done = answer["data"]["checkoutComplete"]
            assert done["errors"] == []
            numbers.append(done["order"]["number"])
    assert Order.objects.count() == ORDERS
    assert mail.outbox == []  # nothing could be delivered yet: the items wait
    assert OutboxItem.objects.filter(kind="orders.order_placed", status=OutboxStatus.PENDING).count() == ORDERS

    dispatch.delay()  # the broker is back: beat's periodic dispatch runs
    dispatch.delay()  # and again: nothing is sent twice

    per_order = Counter(number for message in mail.outbox for number in numbers if number in message.subject)
    assert per_order == dict.fromkeys(numbers, 2)  # the buyer's and the seller's
    buyers = sorted(m.to[0] for m in mail.outbox if m.to[0].startswith("khach"))
    assert buyers == [f"khach{n}@example.vn" for n in range(ORDERS)]
    assert not OutboxItem.objects.exclude(status=OutboxStatus.DELIVERED).exists()
