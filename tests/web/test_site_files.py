"""What every page relies on: the favicon and web app manifest, GraphiQL from our own static files,
no inline script anywhere (the Content-Security-Policy allows scripts from /static/ only), and
each page in one language: no English left on Vietnamese pages, no Vietnamese on English ones."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from backend.accounts.models import User
from tests.checkout.helpers import Shop
from tests.experiences.helpers import make_tour
from tests.test_i18n import PO_PATH, parse_po
from tests.web.pages import MainPage, main_pages
from tests.web.test_permissions import place_cod_order

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [*ROOT.glob("backend/*/templates/**/*.html"), *ROOT.glob("storefront_api/templates/**/*.html")]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)


def test_manifest_makes_the_site_installable(client: Client) -> None:
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/manifest+json"
    data = answer.json()
    assert data["start_url"] == "/" and data["display"] == "standalone" and data["lang"] == "vi"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon
    assert client.get("/favicon.ico")["Location"].endswith("/icons/favicon.ico")


def test_no_template_has_an_inline_script_or_event_attribute() -> None:
    assert TEMPLATES
    found = []
    for path in TEMPLATES:
        text = path.read_text()
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in INLINE_SCRIPT.finditer(text)]
        found += [f"{path.relative_to(ROOT)}: {m.group(0)[:60]}" for m in EVENT_ATTRIBUTE.finditer(text)]
    assert not found, found


def test_graphiql_loads_only_this_projects_static_files(client: Client) -> None:
    html = client.get("/graphql/", HTTP_ACCEPT="text/html").content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(src.startswith("/static/") for src in sources), sources
    assert not INLINE_SCRIPT.search(html)
    for src in sources:
        assert finders.find(src.removeprefix("/static/")), src


class Text(HTMLParser):
    """The visible words of a page (not scripts, styles or attribute values)."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "option"):  # the language menu names both languages
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "option"):
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.parts.append(" ".join(data.split()))


def _visible(html: str) -> set[str]:
    parser = Text()
    parser.feed(html)
    return set(parser.parts)


def _catalog() -> list[tuple[str, str]]:
    """(English, Vietnamese) pairs of the catalog that read differently and are words, not codes."""
    pairs = []
    for entry in parse_po(PO_PATH.read_text(encoding="utf-8")):
        english, vietnamese = entry.msgid, entry.msgstr.get(0, "")
        if entry.msgid and english != vietnamese and "%" not in english and len(english) > 3 and " " in english:
            pairs.append((english, vietnamese))
    return pairs


def test_each_page_speaks_one_language(shop: Shop, lam_dong_admin: User) -> None:
    (placed,) = place_cod_order(shop)
    pairs = _catalog()
    english, vietnamese = {e for e, _v in pairs}, {v for _e, v in pairs}
    english, vietnamese = english - vietnamese, vietnamese - english
    vietnamese = {text for text in vietnamese if not text.isascii()}  # "Check-in" is said in both
    problems: dict[str, list[str]] = {}
    tour = make_tour()  # participant types named in Vietnamese by the operator ("Người lớn")
    tour.slot(days=3)
    pages = [*main_pages(shop, lam_dong_admin, placed), MainPage("experience", Client(), f"/p/{tour.product.slug}/")]
    for page in pages:
        vi = _visible(page.client.get(page.url).content.decode())
        en = _visible(page.client.get(page.url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
        page.client.cookies.pop("django_language", None)
        wrong = sorted(vi & english) + [f"(en) {text}" for text in sorted(en & vietnamese)]
        if wrong:
            problems[page.name] = wrong
    assert not problems, problems
