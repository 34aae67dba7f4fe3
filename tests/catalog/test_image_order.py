"""A product's photos put in order and removed by its seller's staff only, files included."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage

from backend.catalog.services import product_image_delete, product_image_upload, product_images_reorder
from backend.core.errors import NotFound, PermissionDenied, ValidationFailed
from tests.catalog.helpers import image_bytes
from tests.factories import SellerFactory, add_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def photos(make_product, staff):
    product = make_product(100_000)
    made = [
        product_image_upload(product=product, actor=staff, upload=io.BytesIO(image_bytes("JPEG")), alt=str(n))
        for n in range(3)
    ]
    return product, made


def test_staff_reorders_photos_and_the_first_is_the_main_one(photos, staff) -> None:
    product, (a, b, c) = photos
    product_images_reorder(product=product, actor=staff, image_ids=[c.pk, a.pk, b.pk])
    assert list(product.images.order_by("position").values_list("alt", flat=True)) == ["2", "0", "1"]
    with pytest.raises(ValidationFailed):
        product_images_reorder(product=product, actor=staff, image_ids=[c.pk, a.pk])  # one missing


def test_another_sellers_staff_can_neither_reorder_nor_delete(photos, regions) -> None:
    product, (a, b, c) = photos
    stranger = add_staff(SellerFactory())
    with pytest.raises(PermissionDenied):
        product_images_reorder(product=product, actor=stranger, image_ids=[c.pk, b.pk, a.pk])
    with pytest.raises(PermissionDenied):
        product_image_delete(product=product, actor=stranger, image_id=a.pk)
    assert list(product.images.order_by("position").values_list("pk", flat=True)) == [a.pk, b.pk, c.pk]


def test_deleting_a_photo_removes_its_file(photos, staff, django_capture_on_commit_callbacks) -> None:
    product, (a, _b, _c) = photos
    name = a.image.name
    with django_capture_on_commit_callbacks(execute=True):
        product_image_delete(product=product, actor=staff, image_id=a.pk)
    assert not default_storage.exists(name) and product.images.count() == 2
    with pytest.raises(NotFound):
        product_image_delete(product=product, actor=staff, image_id=a.pk)
