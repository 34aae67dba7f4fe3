"""Rating counters on products and sellers, and "đã bán" (units sold over 12 months).

The shrinkage rule (written down, and the same everywhere a rating is ranked):

    score = (m × C + sum of stars) / (m + n)

a Bayesian average: every product starts as if it had m = REVIEW_PRIOR_WEIGHT (default 5) reviews
at C = REVIEW_PRIOR_MEAN (default 4.0★, about the marketplace's mean), so one 5★ review scores
(5×4 + 5) / 6 = 4.17 while 200 reviews averaging 4.8★ score (20 + 960) / 205 = 4.78. The average
shown to people is the plain mean (sum / n) beside the count; the score only ranks and filters.

Counters change in the transaction of the review that changes them, under the product's and then
the seller's row lock (always in that order), so concurrent reviews never lose a count.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from backend.catalog.models import Product
from backend.orders.models import OrderLine, SellerOrderStatus
from backend.sellers.models import Seller
from search.indexing import mark_products

SOLD_WINDOW = timedelta(days=365)


def shrunk_score(*, count: int, total: int) -> float:
    """The Bayesian average of `count` reviews summing `total` stars (0 without reviews)."""
    if count <= 0:
        return 0.0
    weight = settings.REVIEW_PRIOR_WEIGHT
    return round((weight * settings.REVIEW_PRIOR_MEAN + total) / (weight + count), 4)


def stars_list(value: Any) -> list[int]:
    """A five-item list of review counts by stars (1★ first), whatever was stored."""
    stars = [int(n) for n in (value or [])][:5]
    return stars + [0] * (5 - len(stars))


def _apply(row: Product | Seller, *, add: int | None, remove: int | None) -> bool:
    """Change the locked row's counters; True when its whole-star rating (what search indexes) moved."""
    before = int(row.rating_score)
    stars = stars_list(row.rating_stars)
    if remove is not None:
        stars[remove - 1] = max(stars[remove - 1] - 1, 0)
        row.rating_count = max(row.rating_count - 1, 0)
        row.rating_sum = max(row.rating_sum - remove, 0)
    if add is not None:
        stars[add - 1] += 1
        row.rating_count += 1
        row.rating_sum += add
    row.rating_stars = stars
    row.rating_score = shrunk_score(count=row.rating_count, total=row.rating_sum)
    # An UPDATE, not save(): saving a seller would mark every one of its products for reindexing.
    type(row).objects.filter(pk=row.pk).update(
        rating_count=row.rating_count, rating_sum=row.rating_sum, rating_stars=stars, rating_score=row.rating_score
    )
    return int(row.rating_score) != before


def count_stars(*, product_id: int, seller_id: int, add: int | None = None, remove: int | None = None) -> None:
    """Add a review of `add` stars and/or remove one of `remove` stars from the counters of the
    product and its seller (locks: product, then seller). Call inside the review's transaction; the
    product goes to the search index when its whole-star rating ("4★+") changes."""
    product = Product.objects.select_for_update().get(pk=product_id)
    seller = Seller.objects.select_for_update().get(pk=seller_id)
    if _apply(product, add=add, remove=remove):
        mark_products([product_id])
    _apply(seller, add=add, remove=remove)


def average(*, count: int, total: int) -> float | None:
    """The plain mean shown beside the count, one decimal (None without reviews)."""
    return round(total / count, 1) if count else None


@transaction.atomic
def recount_sold(*, now: Any = None) -> int:
    """Recompute "đã bán" for every product and seller: units on delivered, not cancelled lines of
    the last 12 months (by delivery time). Orders add units as they are delivered; this daily pass
    drops what fell out of the window. Answers how many products changed."""
    since = (now or timezone.now()) - SOLD_WINDOW
    lines = OrderLine.objects.filter(
        seller_order__delivered_at__gte=since, variant__isnull=False, restocked=False
    ).exclude(seller_order__status=SellerOrderStatus.CANCELLED)
    by_product = dict(
        lines.values("variant__product_id").annotate(n=Sum("quantity")).values_list("variant__product_id", "n")
    )
    by_seller = dict(
        lines.values("seller_order__seller_id").annotate(n=Sum("quantity")).values_list("seller_order__seller_id", "n")
    )
    changed = 0
    for pk in Product.objects.filter(sold_12m__gt=0).values_list("pk", flat=True):
        by_product.setdefault(pk, 0)
    for pk, units in by_product.items():
        changed += Product.objects.filter(pk=pk).exclude(sold_12m=units or 0).update(sold_12m=units or 0)
    for pk in Seller.objects.filter(sold_12m__gt=0).values_list("pk", flat=True):
        by_seller.setdefault(pk, 0)
    for pk, units in by_seller.items():
        Seller.objects.filter(pk=pk).exclude(sold_12m=units or 0).update(sold_12m=units or 0)
    return changed
