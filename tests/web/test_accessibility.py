"""Accessibility basics on the main pages: `lang` on <html>, a label for every input, alt text on
every image, and WCAG AA contrast (4.5:1) between the base palette's text and background colours."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from backend.accounts.models import User
from tests.checkout.helpers import Shop
from tests.web.pages import main_pages
from tests.web.test_permissions import place_cod_order

pytestmark = pytest.mark.django_db

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.label_for: set[str] = set()
        self.inside_label = 0
        self.fields: list[tuple[str, dict[str, str], bool]] = []
        self.images_without_alt: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        elif tag == "label":
            self.inside_label += 1
            if values.get("for"):
                self.label_for.add(values["for"])
        elif tag in ("input", "select", "textarea"):
            if values.get("type", "text") not in UNLABELLED_TYPES:
                self.fields.append((tag, values, self.inside_label > 0))
        elif tag == "img" and "alt" not in values:
            self.images_without_alt.append(values.get("src", "?"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.inside_label = max(0, self.inside_label - 1)

    def unlabelled(self) -> list[str]:
        return [
            f"<{tag} name={values.get('name')}>"
            for tag, values, wrapped in self.fields
            if not wrapped
            and values.get("id") not in self.label_for
            and not values.get("aria-label")
            and not values.get("aria-labelledby")
        ]


def test_main_pages_have_lang_labels_and_alt_text(shop: Shop, lam_dong_admin: User) -> None:
    (placed,) = place_cod_order(shop)
    problems = {}
    for page in main_pages(shop, lam_dong_admin, placed):
        answer = page.client.get(page.url)
        assert answer.status_code == 200, page.name
        audit = Audit()
        audit.feed(answer.content.decode())
        found = audit.unlabelled() + [f"img without alt: {src}" for src in audit.images_without_alt]
        if audit.lang not in ("vi", "en"):
            found.append(f"lang={audit.lang!r}")
        if found:
            problems[page.name] = found
    assert not problems, problems


def palette() -> dict[str, str]:
    css = Path(str(finders.find("web/site.css"))).read_text()
    root = re.search(r":root\s*{([^}]*)}", css)
    assert root is not None
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root.group(1)))


def luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# (text, background) pairs the stylesheet actually uses.
PAIRS = [
    ("fg", "bg"),
    ("muted", "bg"),
    ("link", "bg"),
    ("accent", "bg"),
    ("accent-fg", "accent"),
    ("danger", "bg"),
    ("danger", "danger-bg"),
    ("fg", "panel"),
    ("muted", "panel"),
    ("link", "panel"),
    ("fg", "ok-bg"),
    ("link", "ok-bg"),  # applied filter chips, the calendar's days with places
    ("muted", "ok-bg"),
]


@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_base_palette_contrast_meets_wcag_aa(text: str, background: str) -> None:
    colours = palette()
    assert contrast(colours[text], colours[background]) >= 4.5, (text, background)


def test_contrast_formula_matches_known_values() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48
