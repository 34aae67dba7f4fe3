"""Ratings and "đã bán" on product cards cost no SQL of their own; the shrinkage rule ranks."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.catalog.models import Product
from backend.reviews import counters
from backend.reviews.services import review_create
from tests.checkout.helpers import make_shop
from tests.factories import UserFactory, VariantFactory
from tests.reviews.helpers import delivered_line

pytestmark = pytest.mark.django_db

BARE = """query($first: Int) { products(first: $first) { totalCount edges { node {
  id name pricing { priceMin { amount } } seller { name } } } } }"""
RATED = """query($first: Int) { products(first: $first) { totalCount edges { node {
  id name pricing { priceMin { amount } } seller { name soldCount rating { count average score } }
  soldCount rating { count average score stars { stars count } } } } } }"""


def _count(gql, document, first):
    with CaptureQueriesContext(connection) as queries:
        result = gql(document, {"first": first})
    assert not result.errors, result.errors
    return len(queries), result.data["products"]["edges"]


def test_ratings_and_sold_counts_appear_on_cards_with_the_listing_sql_count_unchanged(gql, regions) -> None:
    shop = make_shop(price=50_000, stock=100)
    for n in range(30):
        VariantFactory(product__seller=shop.seller, price=40_000 + n, stock=5)
    Product.objects.update(is_published=True)
    buyer = UserFactory(full_name="Trần Văn Minh")
    review_create(line=delivered_line(shop, buyer, quantity=4), actor=buyer, stars=5, text="Ngon")

    bare_5, _ = _count(gql, BARE, 5)
    rated_5, _ = _count(gql, RATED, 5)
    rated_40, edges = _count(gql, RATED, 40)
    assert len(edges) == 31
    assert bare_5 == rated_5 == rated_40, (bare_5, rated_5, rated_40)
    rated = next(e["node"] for e in edges if e["node"]["rating"]["count"])
    assert rated["rating"]["average"] == 5.0 and rated["soldCount"] == 4
    assert rated["seller"]["rating"]["count"] == 1 and rated["seller"]["soldCount"] == 4
    assert rated["rating"]["stars"][4] == {"stars": 5, "count": 1}


def test_one_five_star_review_does_not_beat_two_hundred_of_four_point_eight(settings) -> None:
    settings.REVIEW_PRIOR_MEAN, settings.REVIEW_PRIOR_WEIGHT = 4.0, 5
    one = counters.shrunk_score(count=1, total=5)
    many = counters.shrunk_score(count=200, total=960)  # 4.8 on average
    assert round(one, 2) == 4.17 and round(many, 2) == 4.78
    assert many > one
    assert counters.shrunk_score(count=0, total=0) == 0.0


def test_counters_add_and_remove_a_review(regions) -> None:
    shop = make_shop()
    product = shop.variant.product
    counters.count_stars(product_id=product.pk, seller_id=shop.seller.pk, add=3)
    counters.count_stars(product_id=product.pk, seller_id=shop.seller.pk, add=5, remove=3)
    product.refresh_from_db()
    shop.seller.refresh_from_db()
    for row in (product, shop.seller):
        assert (row.rating_count, row.rating_sum, row.rating_stars) == (1, 5, [0, 0, 0, 0, 1])
        assert row.rating_score == counters.shrunk_score(count=1, total=5)


def test_the_daily_recount_drops_sales_older_than_twelve_months(regions) -> None:
    shop = make_shop(stock=20)
    buyer = UserFactory()
    old = delivered_line(shop, buyer, quantity=2).seller_order
    delivered_line(shop, buyer, quantity=3)
    product = shop.variant.product
    product.refresh_from_db()
    assert product.sold_12m == 5
    type(old).objects.filter(pk=old.pk).update(delivered_at=old.delivered_at - counters.SOLD_WINDOW)
    counters.recount_sold()
    product.refresh_from_db()
    shop.seller.refresh_from_db()
    assert (product.sold_12m, shop.seller.sold_12m) == (3, 3)
