"""Page budgets: every main page's HTML + linked CSS + JS stays under 150 KB (before images), and
images below the fold load lazily."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from backend.accounts.models import User
from tests.checkout.helpers import Shop
from tests.web.pages import main_pages
from tests.web.test_permissions import place_cod_order

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 150 * 1024
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def asset_bytes(url: str) -> int:
    assert url.startswith("/static/"), f"{url}: pages load nothing from other sites"
    found = finders.find(url.removeprefix("/static/"))
    assert found, url
    return Path(str(found)).stat().st_size


def test_every_main_page_fits_the_budget(shop: Shop, lam_dong_admin: User) -> None:
    (placed,) = place_cod_order(shop)
    sizes = {}
    for page in main_pages(shop, lam_dong_admin, placed):
        answer = page.client.get(page.url)
        assert answer.status_code == 200, page.name
        html = answer.content.decode()
        sizes[page.name] = len(answer.content) + sum(asset_bytes(url) for url in set(ASSET.findall(html)))
    over = {name: size for name, size in sizes.items() if size > BUDGET_BYTES}
    assert not over, over
    print("page weights (bytes):", sizes)  # shown with -s


def test_card_images_load_lazily(client: Client, shop: Shop) -> None:
    html = client.get("/").content.decode()
    for tag in re.findall(r"<img [^>]+>", html):
        assert 'loading="lazy"' in tag, tag


def test_experience_page_fits_the_budget(regions: None, django_assert_max_num_queries: Any) -> None:
    """Four weeks of slots, two a day: a month of days with places, one day's two slots, one form."""
    from tests.experiences.helpers import make_tour

    tour = make_tour()
    for days in range(1, 28):
        for hour in (8, 14):
            tour.slot(days=days, hour=hour)
    with django_assert_max_num_queries(20):
        answer = Client().get(f"/p/{tour.product.slug}/")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.count("data-slot=") == 2  # the chosen day's slots only
    assert html.count("<form") <= 3  # one booking form (+ language switch), not one per slot
    size = len(answer.content) + sum(asset_bytes(url) for url in set(ASSET.findall(html)))
    assert size <= BUDGET_BYTES, size
