"""Stock holds: a checkout line reserves its quantity until `reserved_until`.

Available to a buyer = stock − live holds of *other* checkouts. One query per page of variants.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from backend.checkout.models import CheckoutLine


def hold_until(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(minutes=settings.CHECKOUT_RESERVATION_MINUTES)


def held_quantities(variant_ids: Iterable[int], *, exclude_checkout_id: int | None = None) -> dict[int, int]:
    """variant id -> units held by live reservations (optionally not counting one checkout's own)."""
    ids = list(set(variant_ids))
    if not ids:
        return {}
    lines = CheckoutLine.objects.filter(
        variant_id__in=ids, reserved_until__gt=timezone.now(), checkout__completed_at__isnull=True
    )
    if exclude_checkout_id is not None:
        lines = lines.exclude(checkout_id=exclude_checkout_id)
    return dict(lines.values("variant_id").annotate(held=Sum("quantity")).values_list("variant_id", "held"))


def release_expired(*, now: datetime | None = None) -> int:
    """Clear holds whose time is up (the periodic task). Availability already ignores them;
    this keeps the live-hold index small and says plainly that the line holds nothing."""
    return CheckoutLine.objects.filter(reserved_until__lte=now or timezone.now()).update(reserved_until=None)
