"""Search page facets: each value links to the same search narrowed by it, and the chosen value
links back to the wider search (the query string kept, the page reset)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from django.core.management import call_command
from django.test import Client

from tests.checkout.helpers import Shop


def _links(html: str, name: str) -> dict[str, str]:
    return {
        unescape(label).split(" (")[0]: unescape(href)
        for href, label in re.findall(rf'<a href="(\?[^"]*{name}=[^"]*|\?[^"]*)"[^>]*>([^<]+\(\d+\))</a>', html)
    }


def test_facet_links_narrow_and_widen_the_search(client: Client, shop: Shop, other_shop: Shop, settings: Any) -> None:
    call_command("search_reindex", verbosity=0)
    html = client.get("/search/?q=&page=2").content.decode()
    categories = _links(html, "category")
    assert categories, html[:2000]
    _label, href = next(iter(categories.items()))
    assert "page=" not in href and "category=" in href and "q=" in href
    narrowed = client.get("/search/" + href).content.decode()
    assert 'aria-current="true"' in narrowed
    back = re.search(r'<a href="([^"]*)" aria-current="true">', narrowed)
    assert back is not None and "category=" not in unescape(back.group(1))
