"""Image uploads are decoded, size-checked and stripped; thumbnails are made once."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from backend.catalog import images
from backend.catalog.models import ProductImage, Thumbnail
from storefront_api.core.ids import global_id
from tests.catalog.helpers import image_bytes
from tests.catalog.operations import PRODUCT

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(make_product):
    return make_product(100_000)


def errors(result):
    return [(e["field"], e["code"]) for e in result["data"]["productImageUpload"]["errors"]]


@pytest.mark.parametrize(("fmt", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_jpeg_png_and_webp_are_accepted(upload, product, staff, fmt, extension) -> None:
    result = upload(global_id("Product", product.pk), image_bytes(fmt, (30, 20)), user=staff, name="anh.bin")
    assert errors(result) == []
    image = ProductImage.objects.get(product=product)
    assert image.image.name.endswith(f".{extension}")
    assert "anh" not in image.image.name  # the uploader's file name is not kept
    assert (image.width, image.height) == (30, 20)


def test_decompression_bomb_is_rejected(upload, product, staff) -> None:
    bomb = image_bytes("PNG", (20_000, 20_000), mode="1")
    assert len(bomb) < 200_000  # tiny on disk, 400 megapixels in memory
    result = upload(global_id("Product", product.pk), bomb, user=staff, name="bomb.png")
    assert errors(result) == [("image", "INVALID")]
    assert not ProductImage.objects.exists()


def test_more_than_the_pixel_limit_is_rejected(upload, product, staff, monkeypatch) -> None:
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    result = upload(global_id("Product", product.pk), image_bytes("PNG", (50, 50)), user=staff)
    assert errors(result) == [("image", "INVALID")]


def test_text_named_jpg_is_rejected(upload, product, staff) -> None:
    result = upload(global_id("Product", product.pk), b"definitely not a picture", user=staff, name="fake.jpg")
    assert errors(result) == [("image", "INVALID")]
    assert not ProductImage.objects.exists()


def test_gif_is_not_an_allowed_format(upload, product, staff) -> None:
    result = upload(global_id("Product", product.pk), image_bytes("GIF", (10, 10)), user=staff, name="a.gif")
    assert errors(result) == [("image", "INVALID")]


def test_truncated_image_is_rejected(upload, product, staff) -> None:
    data = image_bytes("PNG", (300, 300))
    result = upload(global_id("Product", product.pk), data[: len(data) // 2], user=staff)
    assert errors(result) == [("image", "INVALID")]


def test_oversize_file_is_rejected(upload, product, staff, settings) -> None:
    settings.PRODUCT_IMAGE_MAX_BYTES = 1024
    big = image_bytes("PNG", (300, 300), mode="RGB", compress_level=0)
    assert len(big) > 1024
    result = upload(global_id("Product", product.pk), big, user=staff, name="big.png")
    assert errors(result) == [("image", "INVALID")]
    assert not ProductImage.objects.exists()


def _phone_photo() -> bytes:
    """A 60x40 JPEG whose EXIF says "rotate 90°" and carries a GPS position."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (11.0, 56.0, 24.0)  # Đà Lạt
    gps[3] = "E"
    gps[4] = (108.0, 26.0, 32.0)
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "green").save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    return data


def test_exif_and_gps_are_stripped_and_orientation_applied(upload, product, staff) -> None:
    result = upload(global_id("Product", product.pk), _phone_photo(), user=staff)
    assert errors(result) == []
    assert (
        result["data"]["productImageUpload"]["image"]["width"],
        result["data"]["productImageUpload"]["image"]["height"],
    ) == (40, 60)
    stored = ProductImage.objects.get(product=product)
    with default_storage.open(stored.image.name) as handle:
        reopened = Image.open(handle)
        reopened.load()
    assert dict(reopened.getexif()) == {}
    assert "exif" not in reopened.info and "xmp" not in reopened.info
    assert reopened.size == (40, 60)  # upright
    assert b"PhoneMaker" not in default_storage.open(stored.image.name).read()


def test_thumbnail_is_made_once_at_the_nearest_size(gql, upload, product, staff) -> None:
    assert errors(upload(global_id("Product", product.pk), image_bytes("PNG", (600, 300)), user=staff)) == []
    assert Thumbnail.objects.count() == 0  # (upload renders after commit; not in this test transaction)

    first = gql(PRODUCT, {"id": global_id("Product", product.pk), "size": 200}).data["product"]["sized"]
    assert first["url"].endswith("-256.webp")
    assert (first["width"], first["height"]) == (256, 128)
    thumbnail = Thumbnail.objects.get()
    assert thumbnail.size == 256
    with default_storage.open(thumbnail.file.name) as handle:
        assert Image.open(handle).format == "WEBP"

    again = gql(PRODUCT, {"id": global_id("Product", product.pk), "size": 200}).data["product"]["sized"]
    assert again == first
    assert Thumbnail.objects.count() == 1


@pytest.mark.parametrize(("wanted", "size"), [(None, 256), (1, 128), (200, 256), (384, 512), (700, 512), (5000, 1024)])
def test_nearest_allowed_size(wanted, size) -> None:
    assert images.thumbnail_size(wanted) == size
