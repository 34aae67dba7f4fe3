"""Seller portal: apply, products with a photo, publish, staff invitations."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from backend.catalog.models import Category, Product
from backend.sellers.models import Seller, SellerStatus
from tests.checkout.helpers import Shop
from tests.factories import UserFactory, commune
from tests.web.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


def test_apply_shows_errors_then_pending_status(client: Client, regions: None) -> None:
    client.force_login(UserFactory())
    bad = client.post("/seller/apply", {"name": "", "kind": "COOPERATIVE", "commune": commune().pk, "phone": "12"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'id="id_name-errors"' in html and 'id="id_phone-errors"' in html
    good = client.post(
        "/seller/apply",
        {"name": "HTX Mắc Ca Di Linh", "kind": "COOPERATIVE", "commune": commune().pk, "phone": "0912345678"},
        follow=True,
    )
    assert good.status_code == 200
    seller = Seller.objects.get(name="HTX Mắc Ca Di Linh")
    assert seller.status == SellerStatus.PENDING
    assert 'data-seller-status="PENDING"' in good.content.decode()


def test_create_product_with_photo_and_publish(client: Client, shop: Shop, categories: None) -> None:
    client.force_login(shop.staff)
    category = Category.objects.get(slug="dau-tay")
    photo = SimpleUploadedFile("camera.jpg", jpeg_bytes(), content_type="image/jpeg")
    answer = client.post(
        f"/seller/{shop.seller.pk}/products/new",
        {
            "name": "Dâu tây Mỹ Đà Lạt",
            "category": category.pk,
            "harvest_months": ["12", "1"],
            "v-sku": "DT-1KG",
            "v-variant_name": "Hộp 1 kg",
            "v-price": "250000",
            "v-stock": "3",
            "p-photo": photo,
            "p-alt": "Dâu tây trong hộp",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    product = Product.objects.get(name="Dâu tây Mỹ Đà Lạt")
    assert not product.is_published and product.images.count() == 1 and product.harvest_months == [1, 12]
    listing = client.get(f"/seller/{shop.seller.pk}/products/").content.decode()
    assert "Dâu tây Mỹ Đà Lạt" in listing and "Hộp 1 kg" in listing  # 3 left: a low-stock warning
    assert client.post(f"/seller/{shop.seller.pk}/products/{product.pk}/publish").status_code == 302
    product.refresh_from_db()
    assert product.is_published
    assert Client().get(f"/p/{product.slug}/").status_code == 200


def test_variant_errors_are_shown_next_to_fields(client: Client, shop: Shop) -> None:
    client.force_login(shop.staff)
    product = shop.variant.product
    answer = client.post(
        f"/seller/{shop.seller.pk}/products/{product.pk}/variants/new",
        {"v-sku": shop.variant.sku, "v-variant_name": "Hộp 2 kg", "v-price": "1", "v-stock": "1"},
    )
    assert answer.status_code == 400 and 'id="id_v-sku-errors"' in answer.content.decode()


def test_a_seller_cannot_open_another_sellers_product(client: Client, shop: Shop, other_shop: Shop) -> None:
    client.force_login(shop.staff)
    theirs = other_shop.variant.product
    assert client.get(f"/seller/{shop.seller.pk}/products/{theirs.pk}/").status_code == 404
    assert client.post(f"/seller/{shop.seller.pk}/products/{theirs.pk}/unpublish").status_code == 404


def test_owner_invites_staff_who_joins(client: Client, shop: Shop, django_capture_on_commit_callbacks: Any) -> None:
    client.force_login(shop.staff)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/seller/{shop.seller.pk}/staff/", {"email": "nhanvien@example.vn"})
    assert answer.status_code == 302
    token = next(
        line.strip() for line in mail.outbox[-1].body.splitlines() if len(line.strip()) > 30 and " " not in line.strip()
    )
    invitee = UserFactory(email="nhanvien@example.vn")
    client.force_login(invitee)
    joined = client.post("/seller/invitations/accept", {"token": token})
    assert joined.status_code == 302
    assert client.get(f"/seller/{shop.seller.pk}/").status_code == 200
