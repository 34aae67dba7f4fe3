"""products(...): filters, sort orders, pagination and a fixed SQL cost per page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.catalog.models import Product, ProductImage, Thumbnail
from backend.regions.models import Commune
from storefront_api.core.ids import global_id
from tests.catalog.helpers import image_bytes, with_variants
from tests.catalog.operations import CATEGORIES, PRODUCTS
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def slugs(gql, **variables):
    result = gql(PRODUCTS, {"first": 50, **variables})
    assert not result.errors, result.errors
    return [edge["node"]["slug"] for edge in result.data["products"]["edges"]]


@pytest.fixture
def assortment(make_product, categories, other_seller):
    di_linh = Commune.objects.get(name="Xã Di Linh")
    now = timezone.now()
    products = [
        make_product(80_000, 120_000, slug="dau-tay", name="Dâu tây", ocop_stars=4),
        make_product(300_000, slug="sau-rieng", name="Sầu riêng", category=categories["sau-rieng"], stock=0),
        make_product(50_000, slug="ca-phe", name="Cà phê", category=categories["ca-phe"], ocop_stars=3),
        make_product(200_000, slug="tra", name="Trà Ô long", category=categories["tra"], commune=di_linh, ocop_stars=5),
        make_product(
            1_500_000,
            slug="tour",
            name="Tour săn mây",
            kind="EXPERIENCE",
            category=categories["tour"],
            seller=other_seller,
        ),
    ]
    for age, product in enumerate(products):  # "dau-tay" newest
        Product.objects.filter(pk=product.pk).update(created_at=now - timedelta(hours=age))
    return {p.slug: p for p in products}


def test_default_order_is_newest_first(gql, assortment) -> None:
    assert slugs(gql) == ["dau-tay", "sau-rieng", "ca-phe", "tra", "tour"]


def test_category_filter_includes_descendants(gql, assortment, categories) -> None:
    fruit = global_id("Category", categories["trai-cay"].pk)
    assert slugs(gql, filter={"category": fruit}) == ["dau-tay", "sau-rieng"]
    durian = global_id("Category", categories["sau-rieng"].pk)
    assert slugs(gql, filter={"category": durian}) == ["sau-rieng"]
    experiences = global_id("Category", categories["trai-nghiem"].pk)
    assert slugs(gql, filter={"category": experiences}) == ["tour"]
    assert slugs(gql, filter={"category": global_id("Category", 99999)}) == []


def test_price_range_overlaps_the_products_range(gql, assortment) -> None:
    assert slugs(gql, filter={"priceMin": 100_000, "priceMax": 250_000}) == ["dau-tay", "tra"]
    assert slugs(gql, filter={"priceMax": 60_000}) == ["ca-phe"]
    assert slugs(gql, filter={"priceMin": 1_000_000}) == ["tour"]


def test_ocop_stock_kind_commune_and_seller_filters(gql, assortment, other_seller) -> None:
    assert slugs(gql, filter={"ocopStarsMin": 4}) == ["dau-tay", "tra"]
    assert slugs(gql, filter={"inStock": False}) == ["sau-rieng"]
    assert "sau-rieng" not in slugs(gql, filter={"inStock": True})
    assert slugs(gql, filter={"kind": "EXPERIENCE"}) == ["tour"]
    di_linh = assortment["tra"].commune
    assert slugs(gql, filter={"commune": global_id("Commune", di_linh.pk)}) == ["tra"]
    assert slugs(gql, filter={"seller": global_id("Seller", other_seller.pk)}) == ["tour"]


def test_sort_orders_with_id_tiebreaker(gql, assortment, make_product) -> None:
    assert slugs(gql, sortBy={"field": "PRICE", "direction": "ASC"}) == [
        "ca-phe",
        "dau-tay",
        "tra",
        "sau-rieng",
        "tour",
    ]
    assert slugs(gql, sortBy={"field": "PRICE", "direction": "DESC"})[0] == "tour"
    by_name = slugs(gql, sortBy={"field": "NAME", "direction": "ASC"})
    assert by_name == ["ca-phe", "dau-tay", "sau-rieng", "tour", "tra"]
    assert slugs(gql, sortBy={"field": "NAME", "direction": "DESC"}) == list(reversed(by_name))
    assert slugs(gql, sortBy={"field": "RELEVANCE", "direction": "DESC"}) == slugs(gql)
    assert slugs(gql, sortBy={"field": "CREATED", "direction": "ASC"}) == list(reversed(slugs(gql)))
    # Equal prices: the id decides, so pages never overlap.
    twins = [make_product(50_000, slug=f"twin-{i}") for i in range(3)]
    cheap = slugs(gql, sortBy={"field": "PRICE", "direction": "ASC"}, filter={"priceMax": 50_000})
    assert cheap == sorted(["ca-phe", *[t.slug for t in twins]], key=lambda s: Product.objects.get(slug=s).pk)


def test_pagination_walks_every_product_once(gql, assortment) -> None:
    seen, after = [], None
    while True:
        page = gql(PRODUCTS, {"first": 2, "after": after}).data["products"]
        assert page["totalCount"] == 5
        seen += [edge["node"]["slug"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ["dau-tay", "sau-rieng", "ca-phe", "tra", "tour"]


def test_first_above_100_is_an_error(gql, assortment) -> None:
    result = gql(PRODUCTS, {"first": 101})
    assert result.errors and "100" in result.errors[0]["message"]
    assert gql(PRODUCTS, {"first": 100}).data["products"]["totalCount"] == 5


def test_bad_filter_id_is_a_clear_error(gql, assortment) -> None:
    result = gql(PRODUCTS, {"first": 5, "filter": {"category": "bogus"}})
    assert result.errors[0]["extensions"] == {"code": "INVALID", "field": "category"}


def _stock_catalog(seller, categories, count: int) -> None:
    for i in range(count):
        product = ProductFactory(seller=seller, category=categories["dau-tay"], slug=f"sp-{i}")
        with_variants(product, 10_000 + i, 20_000 + i, 30_000)
        image = ProductImage(product=product, alt=f"Ảnh {i}")
        image.image.save(f"p{i}.png", ContentFile(image_bytes("PNG", (40, 30))), save=False)
        image.save()
        if i % 2:  # half the thumbnails exist: the rest fall back to the original
            thumb = Thumbnail(image=image, size=256, width=40, height=30)
            thumb.file.save(f"p{i}-256.webp", ContentFile(image_bytes("WEBP", (40, 30))), save=False)
            thumb.save()


def test_full_card_costs_the_same_sql_for_5_and_50_products(gql, seller, categories) -> None:
    _stock_catalog(seller, categories, 60)
    counts = {}
    for first in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            result = gql(PRODUCTS, {"first": first})
        assert not result.errors, result.errors
        edges = result.data["products"]["edges"]
        assert len(edges) == first
        assert all(len(edge["node"]["variants"]) == 3 for edge in edges)
        assert all(edge["node"]["thumbnail"]["url"] for edge in edges)
        counts[first] = len(queries)
    assert counts[5] == counts[50] <= 9, counts  # one query reads live checkout holds


def test_signed_in_staff_pay_a_fixed_price_too(gql, seller, staff, categories) -> None:
    _stock_catalog(seller, categories, 60)
    counts = {}
    for first in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            assert not gql(PRODUCTS, {"first": first}, user=staff).errors
        counts[first] = len(queries)
    assert counts[5] == counts[50] <= 9, counts  # one query reads live checkout holds


def test_thumbnails_fall_back_to_the_original_in_listings(gql, seller, categories) -> None:
    _stock_catalog(seller, categories, 2)
    nodes = {e["node"]["slug"]: e["node"] for e in gql(PRODUCTS, {"first": 5}).data["products"]["edges"]}
    assert nodes["sp-1"]["thumbnail"]["url"].endswith("-256.webp")
    assert nodes["sp-0"]["thumbnail"]["url"].endswith(".png")
    assert Thumbnail.objects.count() == 1  # the listing rendered nothing itself


def test_categories_list_the_tree(gql, categories) -> None:
    data = gql(CATEGORIES, {"first": 100}).data["categories"]
    assert data["totalCount"] == len(categories)
    nodes = {edge["node"]["slug"]: edge["node"] for edge in data["edges"]}
    assert nodes["trai-cay"] == {
        "id": global_id("Category", categories["trai-cay"].pk),
        "name": "Trái cây",
        "nameEn": "Fruit",
        "slug": "trai-cay",
        "kind": "GOODS",
        "parent": None,
    }
    assert nodes["dau-tay"]["parent"] == {"slug": "trai-cay", "name": "Trái cây", "parent": None}
    assert nodes["phieu-luu"]["kind"] == "EXPERIENCE"
    assert nodes["phieu-luu"]["parent"]["slug"] == "trai-nghiem"
    page = gql(CATEGORIES, {"first": 3}).data["categories"]
    assert page["pageInfo"]["hasNextPage"] is True


def test_seller_product_connection_for_the_seller_type(rf, make_product, other_seller, staff) -> None:
    from types import SimpleNamespace

    from django.contrib.auth.models import AnonymousUser

    from storefront_api.catalog.queries import seller_product_connection

    mine = make_product(10_000, slug="cua-toi")
    make_product(10_000, slug="nhap", is_published=False)
    make_product(10_000, slug="cua-nguoi-khac", seller=other_seller)

    def slugs_for(user):
        info = SimpleNamespace(context=SimpleNamespace(user=user))
        page = seller_product_connection(info, seller_id=mine.seller_id, first=10)
        return [edge.node["slug"] for edge in page.edges]

    assert slugs_for(AnonymousUser()) == ["cua-toi"]
    assert set(slugs_for(staff)) == {"cua-toi", "nhap"}


DETAILS = """
query Details($first: Int) {
  products(first: $first) {
    edges { node { slug description ocopCertificateNo harvestMonths storageNotes shippingNotes createdAt } }
  }
}
"""


def test_grid_detail_fields_are_loaded_once_per_page(gql, make_product) -> None:
    for i in range(6):
        make_product(
            10_000,
            slug=f"chi-tiet-{i}",
            description=f"Mô tả {i}",
            ocop_certificate_no="" if i % 2 else f"OCOP-{i}",
            harvest_months=[1, i + 1] if i % 2 else [],
            storage_notes=f"Bảo quản {i}",
            shipping_notes=f"Giao hàng {i}",
        )
    counts = {}
    for first in (2, 6):
        with CaptureQueriesContext(connection) as queries:
            result = gql(DETAILS, {"first": first})
        assert not result.errors, result.errors
        counts[first] = len(queries)
        for edge in result.data["products"]["edges"]:
            node = edge["node"]
            product = Product.objects.get(slug=node["slug"])
            assert node["description"] == product.description
            assert node["ocopCertificateNo"] == (product.ocop_certificate_no or None)
            assert node["harvestMonths"] == (product.harvest_months or [])
            assert node["storageNotes"] == product.storage_notes
            assert node["shippingNotes"] == product.shipping_notes
            assert node["createdAt"] == timezone.localtime(product.created_at).isoformat()
    assert counts[2] == counts[6] <= 9, counts  # one query reads live checkout holds
