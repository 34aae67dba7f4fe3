"""Read side of orders."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from backend.orders.models import Order


def orders_by_token(token: str) -> QuerySet[Order]:
    """The order whose unguessable token is `token` (none for anything that is not a UUID)."""
    try:
        key = uuid.UUID((token or "").strip())
    except ValueError:
        return Order.objects.none()
    return Order.objects.filter(token=key)
