"""Journey: a cooperative on its phone adds a product with two photos from the camera input, forgets
the category (a validation error: nothing typed or chosen is lost, the photos wait on the server),
saves without a SKU (one is made), puts the second photo first, adds a second variant without a
SKU, publishes, and buyers find it by searching without diacritics.

Covers problem 4 (the new-product form lost the photo, price and stock when the SKU was missing,
and the variant form answered 400 without a SKU)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backend.catalog.categories import seed_categories
from backend.catalog.models import Category, Product
from tests.browser.conftest import expect_status, shoot, sign_in
from tests.checkout.helpers import make_shop
from tests.factories import DEFAULT_PASSWORD
from tests.web.conftest import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cooperative_adds_a_product_keeps_everything_on_an_error_and_publishes(
    regions: None, new_page: Any, screenshot_dir: Path, tmp_path: Path, viewport: str
) -> None:
    seed_categories()
    shop = make_shop(name="HTX Mắc Ca Di Linh")
    photos = [tmp_path / "front.jpg", tmp_path / "pack.jpg"]
    photos[0].write_bytes(jpeg_bytes((640, 480)))
    photos[1].write_bytes(jpeg_bytes((480, 640)))

    page = new_page()
    sign_in(page, shop.staff.email, DEFAULT_PASSWORD, "/seller/")
    page.click(f"a[href='/seller/{shop.seller.pk}/products/new']")
    page.wait_for_url("**/products/new")
    page.wait_for_load_state("load")  # app.js in place: it previews the photos
    assert page.get_attribute("#id_p-photo", "capture") == "environment"
    page.set_input_files("#id_p-photo", [str(path) for path in photos])
    page.locator("#photo-preview img").nth(1).wait_for()  # both previewed before sending
    assert page.locator("#photo-preview img").count() == 2
    page.fill("#id_p-alt", "Hạt mắc ca sấy nứt vỏ")
    page.fill("#id_name", "Hạt mắc ca Di Linh sấy nứt vỏ")
    page.check("input[name=harvest_months][value='9']")
    page.fill("#id_v-variant_name", "Túi 500 g")
    page.fill("#id_v-price", "180000")
    page.fill("#id_v-stock", "40")
    # No category chosen and no SKU typed.
    expect_status(page, 400)
    page.click("main form[enctype='multipart/form-data'] .save-bar button[type=submit]")
    page.wait_for_selector("[data-form-errors]")
    assert page.locator("#id_category-errors").count() == 1
    assert page.input_value("#id_name") == "Hạt mắc ca Di Linh sấy nứt vỏ"
    assert page.input_value("#id_v-price") == "180000" and page.input_value("#id_v-stock") == "40"
    assert page.input_value("#id_v-variant_name") == "Túi 500 g"
    assert page.is_checked("input[name=harvest_months][value='9']")
    assert page.locator("[data-kept-photo] img").count() == 2  # the photos are still there
    assert not Product.objects.filter(seller=shop.seller, name__startswith="Hạt mắc ca").exists()

    page.select_option("#id_category", str(Category.objects.get(slug="mat-ong-hat").pk))
    page.click("main form[enctype='multipart/form-data'] .save-bar button[type=submit]")
    page.wait_for_selector("[data-published='0']")
    product = Product.objects.get(name="Hạt mắc ca Di Linh sấy nứt vỏ")
    variant = product.variants.get()
    assert variant.sku == f"SP{product.pk}-1" and (variant.price, variant.stock) == (180_000, 40)
    images = list(product.images.order_by("position"))
    assert len(images) == 2 and images[0].width == 640

    page.click(f"[data-photo='{images[1].pk}'] form[action$='/move-up'] button")
    page.wait_for_selector(f"[data-photos] li:first-child[data-photo='{images[1].pk}']")
    page.click("details:has(form[action$='/variants/new']) summary")
    page.fill("#id_v-variant_name", "Túi 1 kg")
    page.fill("#id_v-price", "340000")
    page.fill("#id_v-stock", "12")
    page.click("form[action$='/variants/new'] button[type=submit]")
    page.wait_for_selector("input[value='Túi 1 kg']")
    assert sorted(product.variants.values_list("sku", flat=True)) == [f"SP{product.pk}-1", f"SP{product.pk}-2"]

    page.click("form[action$='/publish'] button[type=submit]")
    page.wait_for_selector("[data-published='1']")
    product.refresh_from_db()
    assert product.is_published
    assert list(product.images.order_by("position").values_list("pk", flat=True)) == [images[1].pk, images[0].pk]

    page.goto("/search/?q=hat mac ca di linh")
    result = page.locator(f"main .card a[href='/p/{product.slug}/']")
    assert result.count() == 1
    assert result.locator("img").get_attribute("loading") == "lazy"
    shoot(page, screenshot_dir, "journey-cooperative-product", viewport)
