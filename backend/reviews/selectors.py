"""Read side of reviews: public lists for product and seller pages, and what a buyer may review."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from backend.accounts.permissions import moderated_communes_q
from backend.core.errors import DomainError
from backend.orders.models import OrderLine
from backend.orders.selectors import order_line_for_review, reviewable_lines
from backend.reviews.models import Review
from backend.reviews.services import reviewable


def _public(reviews: QuerySet[Review]) -> QuerySet[Review]:
    # Photos for the whole page in one query; nothing else a review shows needs a join.
    return reviews.prefetch_related("photos").order_by("-created_at", "-id")


def product_reviews(*, product_id: int) -> QuerySet[Review]:
    """Every review of a product, newest first; hidden ones stay in the list (shown as hidden)."""
    return _public(Review.objects.filter(product_id=product_id))


def seller_reviews(*, seller_id: int) -> QuerySet[Review]:
    return _public(Review.objects.filter(seller_id=seller_id))


def review_get(*, pk: int) -> Review | None:
    return Review.objects.select_related("seller__commune").filter(pk=pk).first()


def line_get(*, pk: int) -> OrderLine | None:
    return order_line_for_review(line_id=pk)


def lines_to_review(*, user: Any, now: datetime | None = None) -> list[OrderLine]:
    """The user's lines that may be reviewed now and are not yet (one per booking)."""
    moment = now or timezone.now()
    lines = list(reviewable_lines(user=user)[:200])
    reviewed = set(Review.objects.filter(order_line__in=lines).values_list("order_line_id", flat=True))
    booked = set(
        Review.objects.filter(order_line__booking_id__in=[ln.booking_id for ln in lines if ln.booking_id]).values_list(
            "order_line__booking_id", flat=True
        )
    )
    found, seen_bookings = [], set()
    for line in lines:
        if line.pk in reviewed or (line.booking_id and (line.booking_id in booked or line.booking_id in seen_bookings)):
            continue
        try:
            reviewable(line, now=moment)
        except DomainError:
            continue
        if line.booking_id:
            seen_bookings.add(line.booking_id)
        found.append(line)
    return found


def review_of_line(line: OrderLine) -> Review | None:
    return Review.objects.filter(order_line=line).prefetch_related("photos").first()


def reviews_for_moderation(*, user: Any) -> QuerySet[Review]:
    """Reviews of sellers in the communes `user` moderates, newest first (none for anyone else)."""
    return _public(Review.objects.filter(moderated_communes_q(user, field="seller__commune"))).select_related(
        "product", "seller"
    )
