"""A product's tax category is set by its seller (GraphQL and the seller portal), validated, and
blank means "from the kind"."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from backend.catalog.models import Product
from storefront_api.core.ids import global_id
from tests.catalog.operations import PRODUCT_CREATE, PRODUCT_UPDATE
from tests.catalog.test_product_flow import create_input
from tests.conftest import GQL

pytestmark = pytest.mark.django_db


def test_tax_category_through_graphql(gql: GQL, seller: Any, staff: Any, categories: Any) -> None:
    variables = {"seller": global_id("Seller", seller.pk), "input": create_input(categories)}
    created = gql(PRODUCT_CREATE, variables, user=staff).payload("productCreate")
    product = Product.objects.get(slug=created["product"]["slug"])
    assert product.tax_category == ""  # from the kind: goods

    update = {"id": created["product"]["id"], "input": create_input(categories, taxCategory="transport")}
    assert gql(PRODUCT_UPDATE, update, user=staff).payload("productUpdate")["errors"] == []
    product.refresh_from_db()
    assert product.tax_category == "TRANSPORT"

    bad = {"id": created["product"]["id"], "input": create_input(categories, taxCategory="LUXURY")}
    errors = gql(PRODUCT_UPDATE, bad, user=staff, lang="en").payload("productUpdate")["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("taxCategory", "INVALID")]
    assert errors[0]["message"] == "Choose goods, service or transport (or leave it empty)."
    vi = gql(PRODUCT_UPDATE, bad, user=staff).payload("productUpdate")["errors"]
    assert vi[0]["message"] == "Chọn hàng hóa, dịch vụ hoặc vận tải (hoặc để trống)."
    product.refresh_from_db()
    assert product.tax_category == "TRANSPORT"


def test_tax_category_in_the_seller_portal(seller: Any, staff: Any, make_product: Any) -> None:
    product = make_product()
    web = Client()
    web.force_login(staff)
    page = web.get(f"/seller/{seller.pk}/products/{product.pk}/")
    assert page.status_code == 200 and 'name="tax_category"' in page.content.decode()
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["harvest_months"] = []
    data["tax_category"] = "SERVICE"
    answer = web.post(f"/seller/{seller.pk}/products/{product.pk}/save", data)
    assert answer.status_code in (200, 302)
    product.refresh_from_db()
    assert product.tax_category == "SERVICE"
