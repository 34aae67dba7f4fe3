"""Review photos go through the image pipeline; experiences are reviewed after an attended slot."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from backend.accounts.tokens import access_token_for
from backend.experiences import bookings
from backend.experiences.models import Booking, Slot, Ticket
from backend.orders import services as order_services
from backend.reviews.models import Review, ReviewPhoto
from storefront_api.core.ids import global_id
from tests.catalog.helpers import image_bytes
from tests.experiences.helpers import make_tour
from tests.experiences.operations import book
from tests.reviews.helpers import ERRORS, REVIEW_CREATE, REVIEW_FIELDS, delivered_line

pytestmark = pytest.mark.django_db

WITH_PHOTOS = f"""
mutation($line: ID!, $stars: Int!, $text: String, $photos: [Upload!]) {{
  reviewCreate(line: $line, stars: $stars, text: $text, photos: $photos) {{ review {{ {REVIEW_FIELDS} }} {ERRORS} }}
}}
"""


def _gps_photo() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (11.0, 56.0, 24.0), "E", (108.0, 26.0, 32.0)
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), "green").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def post_with_photos(client, user, line, photos: list[bytes]):
    operations = {
        "query": WITH_PHOTOS,
        "variables": {"line": global_id("OrderLine", line.pk), "stars": 5, "text": "Ảnh thật", "photos": []},
    }
    operations["variables"]["photos"] = [None] * len(photos)
    files = {
        str(i): SimpleUploadedFile(f"IMG_{i}.jpg", data, content_type="image/jpeg") for i, data in enumerate(photos)
    }
    response = client.post(
        "/graphql/",
        {
            "operations": json.dumps(operations),
            "map": json.dumps({str(i): [f"variables.photos.{i}"] for i in range(len(photos))}),
            **files,
        },
        headers={"Authorization": f"Bearer {access_token_for(user)}"},
    )
    assert response.status_code == 200, response.content
    return response.json()["data"]["reviewCreate"]


def test_photos_are_stripped_of_gps_and_get_a_webp_thumbnail(client, shop, buyer) -> None:
    answer = post_with_photos(client, buyer, delivered_line(shop, buyer), [_gps_photo(), image_bytes("PNG", (50, 40))])
    assert answer["errors"] == []
    photos = answer["review"]["photos"]
    assert len(photos) == 2 and photos[0]["thumbnailUrl"].endswith("-256.webp")
    stored = ReviewPhoto.objects.order_by("position").first()
    assert "IMG_" not in stored.image.name  # the phone's file name is not kept
    raw = default_storage.open(stored.image.name).read()
    assert b"PhoneMaker" not in raw and not dict(Image.open(io.BytesIO(raw)).getexif())
    with default_storage.open(stored.thumbnail.name) as handle:
        thumbnail = Image.open(handle)
        assert thumbnail.format == "WEBP" and max(thumbnail.size) == 256


def test_at_most_five_photos_and_only_images(client, shop, buyer) -> None:
    line = delivered_line(shop, buyer)
    too_many = post_with_photos(client, buyer, line, [image_bytes()] * 6)
    assert [(e["field"], e["code"]) for e in too_many["errors"]] == [("photos", "INVALID")]
    not_an_image = post_with_photos(client, buyer, line, [b"not a picture"])
    assert [(e["field"], e["code"]) for e in not_an_image["errors"]] == [("photos", "INVALID")]
    assert not Review.objects.exists() and not ReviewPhoto.objects.exists()


def _attended_booking(regions, *, checked_in: bool, ended: bool):
    tour = make_tour()
    slot = tour.slot(days=3)
    tourist = tour.staff.__class__.objects.create_user(email="du.khach@example.vn", password="x" * 12)
    with override_settings(DEBUG=True):
        checkout = book(slot=slot, adults=2, children=1, user=tourist)
        order = order_services.checkout_complete(checkout=checkout, gateway_id="sandbox", user=tourist).order
    booking = Booking.objects.get(order=order)
    Booking.objects.filter(pk=booking.pk).update(status="CONFIRMED")
    if checked_in:
        ticket = Ticket.objects.filter(booking=booking).first()
        bookings.ticket_check_in(code=ticket.code, actor=tour.staff, allow_other_day=True)
    if ended:
        past = timezone.now() - timedelta(days=1)
        Slot.objects.filter(pk=slot.pk).update(starts_at=past - timedelta(hours=4), ends_at=past)
    return tourist, booking


def test_an_experience_is_reviewed_after_an_attended_slot_once_per_booking(gql, regions) -> None:
    tourist, booking = _attended_booking(regions, checked_in=True, ended=True)
    adult_line, child_line = booking.order_lines.order_by("id")[:2]
    vars_ = {"line": global_id("OrderLine", adult_line.pk), "stars": 5, "text": "Thác đẹp, hướng dẫn vui"}
    assert gql(REVIEW_CREATE, vars_, user=tourist).payload("reviewCreate")["errors"] == []
    again = gql(REVIEW_CREATE, {**vars_, "line": global_id("OrderLine", child_line.pk)}, user=tourist)
    assert again.error_codes("reviewCreate") == ["ALREADY_REVIEWED"]
    assert Review.objects.get().product_id == booking.product_id


@pytest.mark.parametrize(("checked_in", "ended"), [(False, True), (True, False)])
def test_no_review_without_a_check_in_or_before_the_end(gql, regions, checked_in, ended) -> None:
    tourist, booking = _attended_booking(regions, checked_in=checked_in, ended=ended)
    line = booking.order_lines.first()
    result = gql(REVIEW_CREATE, {"line": global_id("OrderLine", line.pk), "stars": 5}, user=tourist)
    assert result.error_codes("reviewCreate") == ["NOT_REVIEWABLE"]
