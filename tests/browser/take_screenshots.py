"""Take the README screenshots of the web journeys with headless Chromium.

Run against a server with the demo data (`make run`, or any URL):

    .venv/bin/python -m tests.browser.take_screenshots http://127.0.0.1:8000 docs/screenshots

Not a test (pytest does not collect it); the pictures are committed under docs/screenshots/. The
browser tests keep their own screenshots of each journey's end under var/test-output/browser/.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

PASSWORD = "ChoPhien-demo-2025"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def sign_in(page: Page, email: str, next_path: str) -> None:
    page.goto(f"/account/login?next={next_path}")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("main form[action='/account/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/account/login" not in url)


def phone(browser: Browser, base_url: str) -> Page:
    context = browser.new_context(base_url=base_url, viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN")
    return context.new_page()


def storefront(browser: Browser, base_url: str, out: Path) -> None:
    page = phone(browser, base_url)
    page.goto("/")
    page.screenshot(path=str(out / "storefront-home.png"))
    page.goto("/search/?q=dau tay")
    page.click("[data-open-filters]")
    page.locator("#filters a[data-facet-commune]").first.click()
    page.wait_for_load_state("load")
    page.screenshot(path=str(out / "storefront-search.png"))
    page.click("#results .card a")
    page.wait_for_load_state("load")
    page.screenshot(path=str(out / "storefront-product.png"))
    page.click("form[action='/cart/add'] button[type=submit]")
    page.wait_for_url("**/cart/")
    page.screenshot(path=str(out / "storefront-cart.png"))
    page.goto("/search/?q=vuot thac datanla")
    page.click("#results .card a")
    page.wait_for_load_state("load")
    page.locator("[data-stepper]:has(#id_people-adult) [data-step='1']").click()
    page.locator("[data-stepper]:has(#id_people-adult) [data-step='1']").click()
    page.locator("#calendar").scroll_into_view_if_needed()
    page.screenshot(path=str(out / "storefront-experience.png"))

    buyer = phone(browser, base_url)
    sign_in(buyer, "khach@demo.chophien.vn", "/account/orders/")
    buyer.screenshot(path=str(out / "storefront-my-orders.png"))


def portals(browser: Browser, base_url: str, out: Path) -> None:
    page = phone(browser, base_url)
    sign_in(page, "htx@demo.chophien.vn", "/seller/")
    page.click("nav a[href$='/products/']")
    page.screenshot(path=str(out / "seller-products.png"))
    page.click("main a[href$='/products/new']")
    page.screenshot(path=str(out / "seller-product-new.png"))
    operator = phone(browser, base_url)
    sign_in(operator, "tour@demo.chophien.vn", "/seller/")
    operator.click("nav a[href$='/experiences/']")
    operator.click("main a[href*='/experiences/']")
    operator.wait_for_load_state("load")
    operator.screenshot(path=str(out / "seller-experience.png"))

    officer = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="vi-VN").new_page()
    sign_in(officer, "canbo@lamdong.chophien.vn", "/province/sellers/")
    officer.screenshot(path=str(out / "province-queue.png"))
    officer.goto("/province/dashboard/")
    officer.screenshot(path=str(out / "province-dashboard.png"))


def main(base_url: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        storefront(browser, base_url, out)
        portals(browser, base_url, out)
        browser.close()


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000",
        Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots"),
    )
