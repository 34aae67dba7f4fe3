"""Placing orders through GraphQL, and a broker that is down (a closed port) for the outbox tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.test.utils import override_settings

from backend.celery import app
from backend.outbox import publish
from storefront_api.core.ids import global_id
from tests.checkout.helpers import OTHER_DA_LAT_COMMUNE, PICKUP, Shop
from tests.checkout.operations import CHECKOUT_ADDRESS, CHECKOUT_COMPLETE, CHECKOUT_CREATE, CHECKOUT_DELIVERY
from tests.conftest import GQL
from tests.factories import commune

# Nothing listens there (the suite's Redis is on 6379).
CLOSED_BROKER = "redis://127.0.0.1:6390/0"


def reset_broker_pools() -> None:
    """Celery caches its connection pools with the broker URL they were made for."""
    app._pool = None
    app.amqp._producer_pool = None
    publish.reset()


@contextmanager
def broker(url: str) -> Iterator[None]:
    """Tasks are published to `url` (not run in-process) inside the block."""
    reset_broker_pools()
    # Celery prefers a CELERY_BROKER_URL environment variable (CI sets one) to any setting.
    before = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=url):
            yield
    finally:
        if before is None:
            del os.environ["CELERY_BROKER_URL"]
        else:
            os.environ["CELERY_BROKER_URL"] = before
        reset_broker_pools()


def place_order(gql: GQL, shop: Shop, *, email: str = "khach@example.vn", quantity: int = 1) -> dict[str, Any]:
    """checkoutCreate → address → pickup → checkoutComplete (cash on delivery); the whole answer."""
    created = gql(
        CHECKOUT_CREATE,
        {"lines": [{"variant": global_id("ProductVariant", shop.variant.pk), "quantity": quantity}], "email": email},
    ).payload("checkoutCreate")
    assert created["errors"] == [], created["errors"]
    checkout = created["checkout"]
    address = {
        "fullName": "Phạm Thu Hà",
        "phone": "0987 654 321",
        "street": "20 Bùi Thị Xuân",
        "commune": global_id("Commune", commune(OTHER_DA_LAT_COMMUNE).pk),
    }
    answer = gql(CHECKOUT_ADDRESS, {"id": checkout["id"], "address": address}).payload("checkoutShippingAddressUpdate")
    assert answer["errors"] == [], answer["errors"]
    group = answer["checkout"]["deliveryGroups"][0]
    method = next(m for m in group["methods"] if m["kind"] == PICKUP)
    chosen = gql(CHECKOUT_DELIVERY, {"id": checkout["id"], "seller": group["seller"]["id"], "method": method["id"]})
    assert chosen.payload("checkoutDeliveryMethodUpdate")["errors"] == []
    result = gql(CHECKOUT_COMPLETE, {"id": checkout["id"], "gateway": "cod"})
    return result.json
