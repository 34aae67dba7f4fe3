"""Reviews under real concurrency (threads with their own connections; PostgreSQL via DATABASE_URL):
concurrent reviews of one product lose no count, and a double submit makes one review."""

from __future__ import annotations

import pytest

from backend.catalog.models import Product
from backend.reviews.models import Review
from backend.reviews.services import review_create
from backend.sellers.models import Seller
from tests.checkout.helpers import make_shop
from tests.factories import UserFactory
from tests.orders.test_concurrency import _run_concurrently
from tests.reviews.helpers import delivered_line

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_buyers_reviewing_one_product_at_once_are_all_counted(regions: None, settings) -> None:
    shop = make_shop(stock=50)
    buyers = [UserFactory() for _ in range(10)]
    lines = [delivered_line(shop, b, phone=f"09123450{i:02d}") for i, b in enumerate(buyers)]
    jobs = [
        (lambda line=line, buyer=buyer, stars=1 + i % 5: review_create(line=line, actor=buyer, stars=stars))
        for i, (line, buyer) in enumerate(zip(lines, buyers, strict=True))
    ]
    outcomes = _run_concurrently(jobs)
    assert outcomes.unexpected == [] and outcomes.codes == []
    product = Product.objects.get(pk=shop.variant.product_id)
    seller = Seller.objects.get(pk=shop.seller.pk)
    for row in (product, seller):
        assert (row.rating_count, row.rating_sum, row.rating_stars) == (10, 30, [2, 2, 2, 2, 2])


def test_a_double_submit_makes_one_review(regions: None) -> None:
    shop = make_shop()
    buyer = UserFactory()
    line = delivered_line(shop, buyer)
    outcomes = _run_concurrently([lambda: review_create(line=line, actor=buyer, stars=4) for _ in range(5)])
    assert outcomes.unexpected == []
    assert len(outcomes.results) == 1 and sorted(set(outcomes.codes)) == ["ALREADY_REVIEWED"]
    assert Review.objects.count() == 1
    assert Product.objects.get(pk=shop.variant.product_id).rating_count == 1
