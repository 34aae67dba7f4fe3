"""Journey (issue 21): a buyer whose strawberries were delivered leaves a review with a photo on the
order page; the review shows on the product page with the verified-purchase badge and the photo's
WebP thumbnail; the seller replies there (and has no way to hide it); a province officer hides an
abusive review from the province console, and it then reads "hidden by moderation"."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from backend.accounts.models import ProvinceAdminScope
from backend.catalog.models import Product
from backend.regions.models import Province
from backend.reviews.models import Review
from tests.browser.conftest import shoot, sign_in
from tests.checkout.helpers import make_shop
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.reviews.helpers import delivered_line

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buyer_reviews_with_a_photo_the_seller_replies_and_the_officer_hides(
    regions: None, new_page: Any, screenshot_dir: Path, viewport: str, tmp_path: Path
) -> None:
    shop = make_shop(price=120_000, stock=20, name="HTX Dâu Tây Thái Phiên")
    Product.objects.filter(pk=shop.variant.product_id).update(is_published=True)
    product = Product.objects.get(pk=shop.variant.product_id)
    buyer = UserFactory(email="lan@example.vn", full_name="Nguyễn Thị Lan")
    line = delivered_line(shop, buyer, quantity=2)
    photo = tmp_path / "IMG_0001.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "red").save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    page = new_page()
    sign_in(page, buyer.email, DEFAULT_PASSWORD, f"/orders/{line.seller_order.order.token}")
    form = page.locator(f"form[data-review-line='{line.pk}']")
    form.locator("select[name=stars]").select_option("5")
    form.locator("textarea[name=text]").fill("Dâu ngọt, đóng hộp cẩn thận.")
    form.locator("input[type=file]").set_input_files(str(photo))
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-my-review]")
    review = Review.objects.get()
    assert (review.stars, review.photos.count()) == (5, 1)

    page.goto(f"/p/{product.slug}/")
    shown = page.locator(f"[data-review='{review.pk}']")
    assert "Dâu ngọt" in shown.inner_text() and "Đã mua hàng" in shown.inner_text()
    assert shown.locator("img").get_attribute("src").endswith("-256.webp")
    assert "1 đánh giá" in page.locator("#reviews .rating").inner_text()
    assert "Đã bán 2" in page.locator("#reviews .rating").inner_text()

    seller_page = new_page()
    sign_in(seller_page, shop.staff.email, DEFAULT_PASSWORD, f"/p/{product.slug}/")
    seller_review = seller_page.locator(f"[data-review='{review.pk}']")
    assert seller_review.locator("form[action$='/hide']").count() == 0  # no suppression by sellers
    seller_review.locator("textarea[name=text]").fill("Cảm ơn chị Lan đã ủng hộ HTX!")
    seller_review.locator("button[type=submit]").click()
    seller_page.wait_for_selector(f"[data-review='{review.pk}'] [data-reply]")
    assert "Cảm ơn chị Lan" in seller_page.locator(f"[data-review='{review.pk}'] [data-reply]").inner_text()

    officer = UserFactory(email="canbo@lamdong.example.vn")
    ProvinceAdminScope.objects.create(user=officer, province=Province.objects.get(slug="lam-dong"))
    console = new_page()
    sign_in(console, officer.email, DEFAULT_PASSWORD, "/province/reviews/")
    entry = console.locator(f"section[data-review='{review.pk}']")
    entry.locator("select[name=reason]").select_option("PERSONAL_DATA")
    entry.locator("input[name=note]").fill("lộ số điện thoại")
    entry.locator("button[type=submit]").click()
    console.wait_for_selector(f"section[data-review='{review.pk}'] >> text=Ẩn bởi kiểm duyệt")
    review.refresh_from_db()
    assert review.hidden_reason == "PERSONAL_DATA"

    page.goto(f"/p/{product.slug}/")
    public = page.locator(f"[data-review='{review.pk}']")
    assert public.locator("[data-hidden]").count() == 1 and "Dâu ngọt" not in public.inner_text()
    shoot(page, screenshot_dir, "review-hidden", viewport)
