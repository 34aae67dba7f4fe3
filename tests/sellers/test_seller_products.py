"""`Seller.products`: the seller's products the viewer may see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ProductFactory, SellerFactory, VariantFactory, add_staff

pytestmark = pytest.mark.django_db

QUERY = """query($slug: String, $first: Int) {
  seller(slug: $slug) { name products(first: $first) { totalCount edges { node { name isPublished } } } }
}"""


def test_buyers_see_published_products_staff_see_drafts(gql, regions) -> None:
    seller = SellerFactory(slug="htx-a")
    ProductFactory(seller=seller, name="Dâu tây", is_published=True)
    ProductFactory(seller=seller, name="Bản nháp", is_published=False)
    ProductFactory(name="Của người khác")
    owner = add_staff(seller)

    public = gql(QUERY, {"slug": "htx-a"}).data["seller"]["products"]
    own = gql(QUERY, {"slug": "htx-a"}, user=owner).data["seller"]["products"]

    assert [e["node"]["name"] for e in public["edges"]] == ["Dâu tây"]
    assert public["totalCount"] == 1
    assert sorted(e["node"]["name"] for e in own["edges"]) == ["Bản nháp", "Dâu tây"]


def test_query_count_does_not_grow_with_page_size(gql, regions) -> None:
    seller = SellerFactory(slug="htx-b")
    for _ in range(12):
        VariantFactory(product=ProductFactory(seller=seller))

    counts = []
    for first in (2, 12):
        with CaptureQueriesContext(connection) as queries:
            assert len(gql(QUERY, {"slug": "htx-b", "first": first}).data["seller"]["products"]["edges"]) == first
        counts.append(len(queries))
    assert counts[0] == counts[1]
