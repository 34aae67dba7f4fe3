"""Journey: a buyer searches "dau tay", sees results first, opens the filters, narrows to one
commune, sorts by price, removes the commune chip, and on a search that finds nothing sees the
filter that caused it and removes it.

Covers problem 6 (the facets filled the first screen of a phone, an applied commune filter was
invisible and could not be removed, there was no sort)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import box, shoot
from tests.checkout.helpers import make_shop
from tests.factories import commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAO_LOC, DI_LINH, EMPTY = "24829", "25000", "24781"  # Phường B'Lao, Xã Di Linh, Phường Xuân Hương


def prices(page: Any) -> list[int]:
    texts = page.locator("#results .card .price").all_inner_texts()
    return [int(text.replace(".", "").replace("đ", "").strip()) for text in texts]


def test_buyer_filters_removes_a_chip_and_sorts(
    regions: None, new_page: Any, screenshot_dir: Path, viewport: str
) -> None:
    make_shop(price=150_000, name="HTX Dâu Tây Thái Phiên")
    make_shop(price=95_000, name="HTX Dâu Bảo Lộc", commune_code=BAO_LOC)
    make_shop(price=120_000, name="Hộ Dâu Di Linh", commune_code=DI_LINH)
    bao_loc = commune(BAO_LOC)

    buyer = new_page()
    buyer.goto("/search/?q=dau+tay")
    assert buyer.locator("#result-count").inner_text() == "3 sản phẩm"
    first_card = box(buyer, "#results .card")
    filters = buyer.locator("#filters")
    if viewport == "phone":
        assert first_card["y"] < buyer.viewport_size["height"] / 2  # results first, not the facets
        assert not filters.is_visible()
        buyer.click("[data-open-filters]")
        assert filters.is_visible()
    else:
        assert filters.is_visible() and not buyer.locator("[data-open-filters]").is_visible()
    buyer.locator("#filters a[data-facet-commune]", has_text=bao_loc.name).click()
    buyer.wait_for_url("**commune=*")
    assert buyer.locator("#result-count").inner_text() == "1 sản phẩm"
    chip = buyer.locator("[data-chip=commune]")
    assert bao_loc.name in chip.inner_text()
    buyer.screenshot(path=str(screenshot_dir / f"journey-buyer-search-chip-{viewport}.png"))

    buyer.click("[data-chip=commune]")
    buyer.wait_for_url(lambda url: "commune=" not in url)
    assert buyer.locator("#result-count").inner_text() == "3 sản phẩm"
    buyer.select_option("#id_sort", "price_asc")  # applies at once
    buyer.wait_for_url("**sort=price_asc*")
    assert prices(buyer) == [95_000, 120_000, 150_000]
    buyer.select_option("#id_sort", "price_desc")
    buyer.wait_for_url("**sort=price_desc*")
    assert prices(buyer) == [150_000, 120_000, 95_000]

    # A commune where nothing matches: the filter is named, and one tap removes it.
    buyer.goto(f"/search/?q=dau+tay&commune={commune(EMPTY).pk}&sort=price_desc")
    assert buyer.locator("#result-count").inner_text() == "0 sản phẩm"
    assert commune(EMPTY).name in buyer.locator("[data-chip=commune]").inner_text()
    assert "3" in buyer.locator("[data-no-results] [data-suggest-clear]").inner_text()
    buyer.click("[data-clear-filters]")
    buyer.wait_for_url(lambda url: "commune=" not in url)
    assert "sort=price_desc" in buyer.url and buyer.locator("#result-count").inner_text() == "3 sản phẩm"
    shoot(buyer, screenshot_dir, "journey-buyer-search", viewport)
