"""The review pages over the same services: the seller cannot hide from the web either, the
province console lists its province's reviews only, and the order page offers the form to its buyer."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.catalog.models import Product
from backend.reviews.services import review_create
from tests.checkout.helpers import make_shop
from tests.reviews.helpers import cod_order, delivered_line

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_seller_cannot_hide_from_the_web_and_the_officer_can(shop, buyer, lam_dong_admin, ha_noi_admin) -> None:
    Product.objects.filter(pk=shop.variant.product_id).update(is_published=True)
    review = review_create(line=delivered_line(shop, buyer), actor=buyer, stars=1, text="lừa đảo")
    seller = _client(shop.staff)
    page = seller.get(f"/p/{shop.variant.product.slug}/").content.decode()
    assert f'data-review="{review.pk}"' in page and "/hide" not in page
    seller.post(f"/reviews/{review.pk}/hide", {"reason": "ABUSE"})
    review.refresh_from_db()
    assert review.hidden_at is None

    assert f'data-review="{review.pk}"' not in _client(ha_noi_admin).get("/province/reviews/").content.decode()
    _client(ha_noi_admin).post(f"/reviews/{review.pk}/hide", {"reason": "ABUSE"})
    review.refresh_from_db()
    assert review.hidden_at is None

    officer = _client(lam_dong_admin)
    assert f'data-review="{review.pk}"' in officer.get("/province/reviews/").content.decode()
    answer = officer.post(f"/reviews/{review.pk}/hide", {"reason": "ABUSE", "next": "/province/reviews/"})
    assert answer.status_code == 302 and answer["Location"] == "/province/reviews/"
    review.refresh_from_db()
    assert review.hidden_reason == "ABUSE"
    public = Client().get(f"/p/{shop.variant.product.slug}/").content.decode()
    assert "Ẩn bởi kiểm duyệt" in public and "lừa đảo" not in public


def test_the_order_page_offers_the_form_to_its_buyer_only_once_delivered(shop, buyer) -> None:
    waiting = cod_order(shop, buyer)
    page = _client(buyer).get(f"/orders/{waiting.order.token}").content.decode()
    assert "data-review-line" not in page
    line = delivered_line(shop, buyer)
    token = line.seller_order.order.token
    assert f'data-review-line="{line.pk}"' in _client(buyer).get(f"/orders/{token}").content.decode()
    assert "data-review-line" not in Client().get(f"/orders/{token}").content.decode()  # the token alone
    _client(buyer).post(f"/orders/{token}/lines/{line.pk}/review", {"stars": "4", "text": "Ngon"})
    after = _client(buyer).get(f"/orders/{token}").content.decode()
    assert "data-my-review" in after and f'data-review-line="{line.pk}"' not in after


def test_the_seller_portal_lists_reviews_to_answer_once(shop, buyer) -> None:
    review = review_create(line=delivered_line(shop, buyer), actor=buyer, stars=3, text="Tạm được")
    portal = _client(shop.staff)
    page = portal.get(f"/seller/{shop.seller.pk}/reviews/").content.decode()
    assert f'data-review="{review.pk}"' in page and f"/reviews/{review.pk}/reply" in page
    back = f"/seller/{shop.seller.pk}/reviews/"
    assert portal.post(f"/reviews/{review.pk}/reply", {"text": "Cảm ơn góp ý", "next": back})["Location"] == back
    after = portal.get(back).content.decode()
    assert "Cảm ơn góp ý" in after and f"/reviews/{review.pk}/reply" not in after
    assert _client(make_shop(name="HTX Khác").staff).get(back).status_code == 404


def test_the_buyer_edits_from_the_order_page_within_the_window(shop, buyer, settings) -> None:
    line = delivered_line(shop, buyer)
    review = review_create(line=line, actor=buyer, stars=2, text="Hơi chua")
    token = line.seller_order.order.token
    page = _client(buyer).get(f"/orders/{token}").content.decode()
    assert f'data-review-edit="{review.pk}"' in page
    _client(buyer).post(f"/reviews/{review.pk}/edit", {"stars": "4", "text": "Lần sau ngọt hơn"})
    review.refresh_from_db()
    assert (review.stars, review.text, review.revisions.get().text) == (4, "Lần sau ngọt hơn", "Hơi chua")
    _client(shop.staff).post(f"/reviews/{review.pk}/edit", {"stars": "1"})
    review.refresh_from_db()
    assert review.stars == 4  # only the author
    settings.REVIEW_EDIT_DAYS = 0
    assert f'data-review-edit="{review.pk}"' not in _client(buyer).get(f"/orders/{token}").content.decode()
