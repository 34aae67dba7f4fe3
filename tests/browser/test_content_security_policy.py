"""The Content-Security-Policy blocks nothing the pages need: no violation on the storefront, the
cart, sign-in and reset pages, and the check-in page (its camera script is a static file)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import sign_in
from tests.checkout.helpers import make_shop
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_page_violates_the_policy(regions: None, new_page: Any) -> None:
    shop = make_shop(name="HTX Dâu Tây Lâm Viên")
    page = new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    for path in (
        "/",
        f"/p/{shop.variant.product.slug}/",
        "/search/?q=dau",
        "/cart/",
        "/account/login",
        "/account/signup",
        "/account/password/forgot",
    ):
        response = page.goto(path)
        assert response is not None and response.status < 400, path
        assert "script-src 'self';" in response.headers["content-security-policy"] + ";"
    sign_in(page, shop.staff.email, DEFAULT_PASSWORD, "/seller/check-in/")
    assert page.evaluate("typeof BarcodeDetector") in {"undefined", "function"}
    page.wait_for_load_state("networkidle")
    assert violations == []
