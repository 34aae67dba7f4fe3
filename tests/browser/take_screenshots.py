"""Take the README screenshots of the three web areas with headless Chromium.

Run against a server with the demo data (`make run`, or any URL):

    .venv/bin/python -m tests.browser.take_screenshots http://127.0.0.1:8000 docs/screenshots

Not a test (pytest does not collect it); the pictures are committed under docs/screenshots/.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

PASSWORD = "ChoPhien-demo-2025"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}


def sign_in(page: Page, email: str, next_path: str) -> None:
    page.goto(f"/account/login?next={next_path}")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("main form[action='/account/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/account/login" not in url)


def main(base_url: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        phone = browser.new_context(base_url=base_url, viewport=PHONE, is_mobile=True, locale="vi-VN")
        page = phone.new_page()
        page.goto("/")
        page.screenshot(path=str(out / "storefront-home.png"))
        page.goto("/search/?q=dau tay")
        page.screenshot(path=str(out / "storefront-search.png"))
        page.click("main .card a")
        page.wait_for_load_state("load")
        page.screenshot(path=str(out / "storefront-product.png"))
        page.goto("/search/?q=vuot thac datanla")
        page.click("main .card a")
        page.wait_for_load_state("load")
        page.screenshot(path=str(out / "storefront-experience.png"))

        seller = browser.new_context(base_url=base_url, viewport=PHONE, is_mobile=True, locale="vi-VN")
        page = seller.new_page()
        sign_in(page, "htx@demo.chophien.vn", "/seller/")
        page.click("nav a[href$='/products/']")
        page.screenshot(path=str(out / "seller-products.png"))
        operator = browser.new_context(base_url=base_url, viewport=PHONE, is_mobile=True, locale="vi-VN")
        page = operator.new_page()
        sign_in(page, "tour@demo.chophien.vn", "/seller/")
        page.click("nav a[href$='/experiences/']")
        page.click("main a[href*='/experiences/']")
        page.wait_for_load_state("load")
        page.screenshot(path=str(out / "seller-experience.png"))

        officer = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="vi-VN")
        page = officer.new_page()
        sign_in(page, "canbo@lamdong.chophien.vn", "/province/sellers/")
        page.screenshot(path=str(out / "province-queue.png"))
        page.goto("/province/dashboard/")
        page.screenshot(path=str(out / "province-dashboard.png"))
        browser.close()


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000",
        Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots"),
    )
