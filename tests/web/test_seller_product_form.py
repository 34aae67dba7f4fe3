"""The seller's product form never loses what was typed or sent, the SKU is optional, photos come
several at a time and can be put in order (problem 4)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from backend.catalog.models import Category, Product
from tests.checkout.helpers import Shop
from tests.web.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def photo(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def new_product(client: Client, shop: Shop, **fields: Any) -> Any:
    data = {
        "name": "Dâu tây Mỹ Đà Lạt",
        "harvest_months": ["12"],
        "v-variant_name": "Hộp 1 kg",
        "v-price": "250000",
        "v-stock": "3",
        "p-alt": "Dâu tây trong hộp",
        **fields,
    }
    return client.post(f"/seller/{shop.seller.pk}/products/new", data)


def test_an_error_keeps_the_typed_values_and_the_photos(client: Client, shop: Shop, categories: None) -> None:
    client.force_login(shop.staff)
    refused = new_product(client, shop, **{"p-photo": [photo("a.jpg"), photo("b.jpg")]})  # no category
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'id="id_category-errors"' in html and "data-form-errors" in html
    assert 'value="Dâu tây Mỹ Đà Lạt"' in html and 'value="250000"' in html and 'value="3"' in html
    tokens = re.findall(r'name="p-staged" value="([^"]+)"', html)
    assert len(tokens) == 2 and html.count("data-kept-photo") == 2
    assert not Product.objects.filter(name="Dâu tây Mỹ Đà Lạt").exists()

    category = Category.objects.get(slug="dau-tay")
    saved = new_product(client, shop, category=category.pk, **{"p-staged": tokens, "p-photo": [photo("c.jpg")]})
    assert saved.status_code == 302, saved.content.decode()[:3000]
    product = Product.objects.get(name="Dâu tây Mỹ Đà Lạt")
    assert product.images.count() == 3
    assert product.variants.get().sku == f"SP{product.pk}-1"  # made for the seller


def test_another_users_staged_photo_is_ignored(client: Client, shop: Shop, other_shop: Shop, categories: None) -> None:
    client.force_login(other_shop.staff)
    html = new_product(client, other_shop, **{"p-photo": [photo("a.jpg")]}).content.decode()
    (token,) = re.findall(r'name="p-staged" value="([^"]+)"', html)
    client.force_login(shop.staff)
    category = Category.objects.get(slug="dau-tay")
    assert new_product(client, shop, category=category.pk, **{"p-staged": [token]}).status_code == 302
    assert Product.objects.get(name="Dâu tây Mỹ Đà Lạt", seller=shop.seller).images.count() == 0


def test_a_broken_photo_rolls_everything_back(client: Client, shop: Shop, categories: None) -> None:
    client.force_login(shop.staff)
    broken = SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")
    category = Category.objects.get(slug="dau-tay")
    answer = new_product(client, shop, category=category.pk, **{"p-photo": [broken]})
    assert answer.status_code == 400 and 'class="errorlist"' in answer.content.decode()
    assert not Product.objects.filter(name="Dâu tây Mỹ Đà Lạt").exists()  # not half saved


def test_a_variant_needs_no_sku(client: Client, shop: Shop) -> None:
    client.force_login(shop.staff)
    product = shop.variant.product
    answer = client.post(
        f"/seller/{shop.seller.pk}/products/{product.pk}/variants/new",
        {"v-sku": "", "v-variant_name": "Hộp 2 kg", "v-price": "300000", "v-stock": "4"},
    )
    assert answer.status_code == 302
    assert product.variants.filter(name="Hộp 2 kg", sku=f"SP{product.pk}-1").exists()


def test_photos_are_added_together_reordered_and_removed(client: Client, shop: Shop) -> None:
    client.force_login(shop.staff)
    product = shop.variant.product
    base = f"/seller/{shop.seller.pk}/products/{product.pk}/photos"
    added = client.post(base, {"p-photo": [photo("a.jpg"), photo("b.jpg"), photo("c.jpg")], "p-alt": ""})
    assert added.status_code == 302
    first, second, third = product.images.order_by("position")
    assert client.post(f"{base}/{third.pk}/move-up").status_code == 302
    assert client.post(f"{base}/{third.pk}/move-up").status_code == 302
    assert list(product.images.order_by("position").values_list("pk", flat=True)) == [third.pk, first.pk, second.pk]
    page = client.get(f"/seller/{shop.seller.pk}/products/{product.pk}/").content.decode()
    assert page.index(f'data-photo="{third.pk}"') < page.index(f'data-photo="{first.pk}"')
    assert client.post(f"{base}/{first.pk}/delete").status_code == 302
    assert list(product.images.values_list("pk", flat=True).order_by("position")) == [third.pk, second.pk]
    assert client.post(base, {"p-alt": ""}).status_code == 400  # no photo chosen
