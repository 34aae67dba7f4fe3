"""Journey 2: a cooperative on a 390×844 phone creates a product with a photo from the camera input,
publishes it, and buyers find it by searching without diacritics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backend.catalog.categories import seed_categories
from backend.catalog.models import Category, Product
from tests.browser.conftest import sign_in
from tests.checkout.helpers import make_shop
from tests.factories import DEFAULT_PASSWORD
from tests.web.conftest import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cooperative_creates_and_publishes_a_product_that_search_finds(
    regions: None, new_page: Any, screenshot_dir: Path, tmp_path: Path
) -> None:
    seed_categories()
    shop = make_shop(name="HTX Mắc Ca Di Linh")
    photo = tmp_path / "camera.jpg"
    photo.write_bytes(jpeg_bytes((640, 480)))

    page = new_page()
    assert page.viewport_size == {"width": 390, "height": 844}
    sign_in(page, shop.staff.email, DEFAULT_PASSWORD, "/seller/")
    page.click(f"a[href='/seller/{shop.seller.pk}/products/new']")
    assert page.get_attribute("#id_p-photo", "capture") == "environment"
    page.set_input_files("#id_p-photo", str(photo))
    page.fill("#id_p-alt", "Hạt mắc ca sấy nứt vỏ")
    page.fill("#id_name", "Hạt mắc ca Di Linh sấy nứt vỏ")
    page.select_option("#id_category", str(Category.objects.get(slug="mat-ong-hat").pk))
    page.check("input[name=harvest_months][value='9']")
    page.fill("#id_v-sku", "MC-500")
    page.fill("#id_v-variant_name", "Túi 500 g")
    page.fill("#id_v-price", "180000")
    page.fill("#id_v-stock", "40")
    page.click("main form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_selector("[data-published='0']")
    page.click("form[action$='/publish'] button[type=submit]")
    page.wait_for_selector("[data-published='1']")
    product = Product.objects.get(name="Hạt mắc ca Di Linh sấy nứt vỏ")
    assert product.is_published and product.images.count() == 1

    page.goto("/search/?q=hat mac ca di linh")
    result = page.locator(f"main .card a[href='/p/{product.slug}/']")
    assert result.count() == 1
    assert result.locator("img").get_attribute("loading") == "lazy"
    page.screenshot(path=str(screenshot_dir / "journey2-search-finds-new-product.png"), full_page=True)
