"""Anonymous catalog responses are cached and invalidated by catalog writes."""

import json

import pytest

from backend.accounts.tokens import access_token_for
from backend.core.response_cache import bump_catalog_version, catalog_version
from tests.factories import SellerFactory

pytestmark = pytest.mark.django_db

QUERY = '{ communes(province: "lam-dong", first: 3) { totalCount edges { node { name } } } }'


@pytest.fixture(autouse=True)
def _cache_on(settings) -> None:
    settings.GRAPHQL_RESPONSE_CACHE = True


def post(client, query: str = QUERY, **headers: str):
    return client.post("/graphql/", json.dumps({"query": query}), content_type="application/json", headers=headers)


def test_second_anonymous_request_is_a_hit(client, regions) -> None:
    first = post(client)
    second = post(client)
    assert "X-Cache" not in first
    assert second["X-Cache"] == "hit"
    assert second.json() == first.json()


def test_language_is_part_of_the_key(client, regions) -> None:
    post(client)
    assert "X-Cache" not in post(client, **{"Accept-Language": "en"})


def test_a_seller_write_invalidates(client, regions, django_capture_on_commit_callbacks) -> None:
    post(client)
    before = catalog_version()
    with django_capture_on_commit_callbacks(execute=True):
        SellerFactory()
    assert catalog_version() > before
    assert "X-Cache" not in post(client)


def test_explicit_bump_invalidates(client, regions) -> None:
    post(client)
    bump_catalog_version()
    assert "X-Cache" not in post(client)


def test_signed_in_users_and_mutations_are_never_cached(client, regions, make_user) -> None:
    user = make_user()
    token = access_token_for(user)
    post(client, Authorization=f"Bearer {token}")
    assert "X-Cache" not in post(client, Authorization=f"Bearer {token}")
    mutation = 'mutation { tokenRefresh(refreshToken: "nope") { token errors { code } } }'
    post(client, mutation)
    assert "X-Cache" not in post(client, mutation)


GRID = "{ products(first: 5) { edges { node { name variants { sku quantityAvailable price { amount } } } } } }"
VARIANT_UPDATE = """mutation($id: ID!, $input: ProductVariantInput!) {
  productVariantUpdate(id: $id, input: $input) { errors { code } } }"""


@pytest.mark.parametrize(
    ("change", "expected"),
    [({"stock": 3}, {"quantityAvailable": 3}), ({"price": 99_000}, {"price": {"amount": 99_000}})],
)
def test_stock_and_price_changes_invalidate_the_grid(client, gql, regions, change, expected) -> None:
    from storefront_api.core.ids import global_id
    from tests.factories import VariantFactory, add_staff

    variant = VariantFactory(sku="DT-1", stock=10, price=120_000)
    staff = add_staff(variant.product.seller)
    post(client, GRID)
    assert post(client, GRID)["X-Cache"] == "hit"

    update = {"sku": "DT-1", "name": variant.name, "price": 120_000, "stock": 10, **change}
    result = gql(VARIANT_UPDATE, {"id": global_id("ProductVariant", variant.pk), "input": update}, user=staff)
    assert result.payload("productVariantUpdate")["errors"] == []

    fresh = post(client, GRID)
    assert "X-Cache" not in fresh
    card = fresh.json()["data"]["products"]["edges"][0]["node"]["variants"][0]
    assert card | expected == card


def test_a_cart_hold_elsewhere_invalidates_quantity_available(
    client, regions, django_capture_on_commit_callbacks
) -> None:
    from backend.checkout.services import LineInput, checkout_create
    from tests.factories import VariantFactory

    variant = VariantFactory(stock=4)
    query = f'{{ product(slug: "{variant.product.slug}") {{ variants {{ quantityAvailable }} }} }}'
    assert post(client, query).json()["data"]["product"]["variants"] == [{"quantityAvailable": 4}]
    with django_capture_on_commit_callbacks(execute=True):
        checkout_create(user=None, lines=[LineInput(variant_id=variant.pk, quantity=3)])
    answer = post(client, query)
    assert "X-Cache" not in answer
    assert answer.json()["data"]["product"]["variants"] == [{"quantityAvailable": 1}]
