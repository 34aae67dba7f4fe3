"""Seller portal: an operator creates an experience from "new product", prices it, publishes it, and
adds a single dated slot on its set-up page."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from backend.catalog.models import Category, Product, ProductKind
from backend.experiences.models import Slot
from backend.sellers.models import Seller
from tests.experiences.helpers import Tour, make_tour
from tests.factories import SellerFactory, UserFactory, add_staff
from tests.web.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db

PRICES = {
    "duration_minutes": "240",
    "meeting_point": "Cổng thác Datanla",
    "meeting_commune": "",
    "languages": "vi, en",
    "included": "Hướng dẫn viên",
    "min_age": "8",
    "capacity": "12",
    "booking_cutoff_minutes": "60",
    "types-TOTAL_FORMS": "2",
    "types-INITIAL_FORMS": "0",
    "types-0-code": "adult",
    "types-0-name": "Người lớn",
    "types-0-price": "650000",
    "types-1-code": "",
    "types-1-name": "",
    "types-1-price": "",
    "tiers-TOTAL_FORMS": "1",
    "tiers-INITIAL_FORMS": "0",
    "tiers-0-hours_before": "",
    "tiers-0-refund_percent": "",
}


@pytest.fixture
def operator(regions: None, categories: None) -> tuple[Seller, Client]:
    seller = SellerFactory(kind="TOUR_OPERATOR", name="Đà Lạt Trekking")
    client = Client()
    client.force_login(add_staff(seller))
    return seller, client


def test_new_product_page_offers_goods_and_experience(operator: tuple[Seller, Client]) -> None:
    seller, client = operator
    goods = client.get(f"/seller/{seller.pk}/products/new").content.decode()
    assert 'name="v-price"' in goods and "?kind=experience" in goods
    page = client.get(f"/seller/{seller.pk}/products/new?kind=experience")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="v-price"' not in html and 'name="kind" value="experience"' in html
    tour = Category.objects.filter(kind=ProductKind.EXPERIENCE).first()
    fruit = Category.objects.filter(kind=ProductKind.GOODS).first()
    assert tour is not None and fruit is not None
    assert f'value="{tour.pk}"' in html and f'value="{fruit.pk}"' not in html


def test_operator_creates_prices_and_publishes_an_experience(operator: tuple[Seller, Client]) -> None:
    seller, client = operator
    category = Category.objects.filter(kind=ProductKind.EXPERIENCE).order_by("pk").first()
    assert category is not None
    photo = SimpleUploadedFile("thac.jpg", jpeg_bytes(), content_type="image/jpeg")
    answer = client.post(
        f"/seller/{seller.pk}/products/new",
        {
            "kind": "experience",
            "name": "Vượt thác Datanla",
            "category": category.pk,
            "description": "Đu dây, trượt thác.",
            "p-photo": photo,
            "p-alt": "Thác Datanla",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    product = Product.objects.get(name="Vượt thác Datanla")
    assert answer["Location"] == f"/seller/{seller.pk}/experiences/{product.pk}/"
    assert product.kind == ProductKind.EXPERIENCE and not product.is_published
    assert product.images.count() == 1 and not product.variants.exists()

    base = f"/seller/{seller.pk}/experiences/{product.pk}"
    setup = client.get(f"{base}/")
    assert setup.status_code == 200 and 'id="publish"' in setup.content.decode()
    # No participant price yet: publishing is refused and the product stays a draft.
    assert client.post(f"/seller/{seller.pk}/products/{product.pk}/publish").status_code == 302
    product.refresh_from_db()
    assert not product.is_published

    assert client.post(f"{base}/save", PRICES).status_code == 302
    published = client.post(f"/seller/{seller.pk}/products/{product.pk}/publish")
    assert published["Location"] == f"{base}/"
    product.refresh_from_db()
    assert product.is_published


def test_experience_needs_an_experience_category(operator: tuple[Seller, Client]) -> None:
    seller, client = operator
    fruit = Category.objects.filter(kind=ProductKind.GOODS).first()
    assert fruit is not None
    answer = client.post(
        f"/seller/{seller.pk}/products/new", {"kind": "experience", "name": "Tour dâu", "category": fruit.pk}
    )
    assert answer.status_code == 400 and 'id="id_category-errors"' in answer.content.decode()
    assert not Product.objects.exists()


def test_goods_still_need_a_price_and_stock(operator: tuple[Seller, Client]) -> None:
    seller, client = operator
    fruit = Category.objects.filter(kind=ProductKind.GOODS).first()
    assert fruit is not None
    answer = client.post(f"/seller/{seller.pk}/products/new", {"name": "Dâu tây", "category": fruit.pk})
    assert answer.status_code == 400 and 'id="id_v-price-errors"' in answer.content.decode()
    assert not Product.objects.exists()


@pytest.fixture
def tour(regions: None) -> Tour:
    return make_tour()


def _operator(tour: Tour) -> Client:
    client = Client()
    client.force_login(tour.staff)
    return client


def test_operator_adds_a_single_dated_slot(tour: Tour) -> None:
    client = _operator(tour)
    base = f"/seller/{tour.seller.pk}/experiences/{tour.product.pk}"
    assert 'id="slot-new"' in client.get(f"{base}/").content.decode()
    day = timezone.localdate() + timedelta(days=3)
    answer = client.post(f"{base}/slots/new", {"date": day.isoformat(), "time": "07:30", "capacity": "6"})
    assert answer.status_code == 302 and answer["Location"].endswith("#slots")
    slot = Slot.objects.get(product=tour.product)
    starts = timezone.localtime(slot.starts_at)
    assert (starts.date(), starts.time(), slot.capacity) == (day, time(7, 30), 6)
    assert f'data-slot="{slot.pk}"' in client.get(f"{base}/").content.decode()

    # Without a capacity the slot takes the experience's; the same start twice is refused.
    assert client.post(f"{base}/slots/new", {"date": day.isoformat(), "time": "13:00"}).status_code == 302
    assert Slot.objects.exclude(pk=slot.pk).get(product=tour.product).capacity == tour.experience.capacity
    twice = client.post(f"{base}/slots/new", {"date": day.isoformat(), "time": "07:30"})
    assert twice.status_code == 400 and 'class="errorlist"' in twice.content.decode()
    assert Slot.objects.filter(product=tour.product).count() == 2


def test_slot_in_the_past_is_refused_and_others_are_kept_out(tour: Tour) -> None:
    base = f"/seller/{tour.seller.pk}/experiences/{tour.product.pk}"
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    past = _operator(tour).post(f"{base}/slots/new", {"date": yesterday, "time": "08:00"})
    assert past.status_code == 400 and 'id="id_date-errors"' in past.content.decode()
    stranger = Client()
    stranger.force_login(UserFactory())
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert stranger.post(f"{base}/slots/new", {"date": tomorrow, "time": "08:00"}).status_code == 404
    assert not Slot.objects.filter(product=tour.product).exists()
