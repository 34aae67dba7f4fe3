"""Every main page in Chromium, the way its user sees it: no console error and no failed request,
nothing wider than a 390 px phone, tap targets of at least 44 px, a favicon and an installable web
app manifest; and GraphiQL working with nothing from the internet.

Covers problem 7 (GraphiQL was a blank page offline: it loaded React and GraphiQL from a CDN) and
"no console errors on any page"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backend.accounts.models import ProvinceAdminScope
from backend.regions.models import Province
from backend.sellers.models import SellerStatus
from tests.browser.conftest import shoot, sign_in
from tests.checkout.helpers import make_shop
from tests.experiences.helpers import make_tour
from tests.factories import DEFAULT_PASSWORD, SellerFactory, UserFactory
from tests.web.test_permissions import place_cod_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Controls a finger must hit: every button, field and menu link (links inside running text are
# exempt, as WCAG 2.5.8 allows).
TAP_TARGETS = """() => [...document.querySelectorAll(
  'button, select, textarea, summary, a.button, nav a, .chips a, .pager a, input:not([type=hidden])'
)].filter(el => el.offsetParent !== null && !el.closest('.sr-only')).map(el => {
  const target = ['checkbox', 'radio'].includes(el.type) ? (el.closest('label') || el) : el;
  const box = target.getBoundingClientRect();
  return {what: el.outerHTML.slice(0, 90), height: box.height, width: box.width};
}).filter(t => t.height < 44 || t.width < 24)"""


def visit(page: Any, path: str, viewport: str) -> None:
    page.goto(path)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") in ("vi", "en"), path
    if viewport == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], (path, width)
        small = page.evaluate(TAP_TARGETS)
        assert not small, (path, small)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)  # the journeys load these on a desktop too
def test_every_main_page_is_clean_on_a_phone(regions: None, new_page: Any, viewport: str) -> None:
    shop = make_shop(price=150_000, name="HTX Dâu Tây Thái Phiên")
    tour = make_tour()
    tour.slot(days=5)
    (placed,) = place_cod_order(shop)
    officer = UserFactory()
    ProvinceAdminScope.objects.create(user=officer, province=Province.objects.get(slug="lam-dong"))
    pending = SellerFactory(name="HTX Chờ Duyệt", status=SellerStatus.PENDING)
    product, base = shop.variant.product, f"/seller/{shop.seller.pk}"

    buyer = new_page()
    manifest = buyer.request.get("/manifest.webmanifest")
    assert manifest.ok and manifest.json()["display"] == "standalone"
    for icon in manifest.json()["icons"]:
        assert buyer.request.get(icon["src"]).ok, icon
    assert buyer.request.get("/favicon.ico").ok
    for path in [
        "/",
        "/search/?q=dau+tay",
        f"/p/{product.slug}/",
        f"/p/{tour.product.slug}/",
        f"/s/{shop.seller.slug}/",
        f"/orders/{placed.order.token}",
        "/account/orders/",
        "/account/login",
        "/account/signup",
    ]:
        visit(buyer, path, viewport)
    buyer.goto(f"/p/{product.slug}/")
    buyer.click("form[action='/cart/add'] button[type=submit]")
    buyer.wait_for_url("**/cart/")
    for path in ["/cart/", "/checkout/"]:
        visit(buyer, path, viewport)
    assert buyer.locator("link[rel=icon]").count() == 1 and buyer.locator("link[rel=manifest]").count() == 1

    seller = new_page()
    sign_in(seller, shop.staff.email, DEFAULT_PASSWORD, "/seller/")
    for path in [
        f"{base}/",
        f"{base}/products/",
        f"{base}/products/new",
        f"{base}/products/{product.pk}/",
        f"{base}/orders/?status=ALL",
        f"{base}/orders/{placed.pk}/",
        f"{base}/payouts/",
        f"{base}/tax/",
        f"{base}/staff/",
        "/seller/check-in/",
        "/account/orders/",
    ]:
        visit(seller, path, viewport)

    operator = new_page()
    sign_in(operator, tour.staff.email, DEFAULT_PASSWORD, "/seller/")
    for path in [f"/seller/{tour.seller.pk}/experiences/", f"/seller/{tour.seller.pk}/experiences/{tour.product.pk}/"]:
        visit(operator, path, viewport)

    admin = new_page()
    sign_in(admin, officer.email, DEFAULT_PASSWORD, "/province/")
    for path in [
        "/province/sellers/",
        f"/province/sellers/{pending.pk}/",
        "/province/reports/",
        "/province/audit/",
        "/province/dashboard/",
        "/province/alerts/?state=all",
        "/province/imports/",
        "/province/tax/",
    ]:
        visit(admin, path, viewport)


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_graphiql_works_offline(regions: None, new_page: Any, screenshot_dir: Path, viewport: str) -> None:
    """Every request to another site is refused (and would fail the test): GraphiQL still runs."""
    page = new_page()
    page.goto("/graphql/")
    page.wait_for_selector(".graphiql-container")
    page.locator(".graphiql-query-editor .CodeMirror").evaluate(
        "el => el.CodeMirror.setValue('{ communes(province: \"lam-dong\") { totalCount } }')"
    )
    with page.expect_response(lambda r: r.url.endswith("/graphql/") and r.request.method == "POST"):
        page.click(".graphiql-execute-button")
    page.wait_for_function("() => document.querySelector('.graphiql-response').innerText.includes('totalCount')")
    assert '"totalCount": 124' in page.locator(".graphiql-response").inner_text()
    shoot(page, screenshot_dir, "graphiql-offline", viewport)
