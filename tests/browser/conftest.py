"""End-to-end tests in Debian's headless Chromium (Playwright for Python) against a live server.

The browser comes from the system packages (`/usr/bin/chromium`, or $CHROMIUM); Playwright never
downloads one. Without it these tests skip locally; `.ci/run` installs it first. Skip them on
purpose with `-m "not browser"`.

The app runs in pytest-django's `live_server` (a thread of this process, on the worker's own test
database, so it works with SQLite and PostgreSQL and with `pytest -n 2`). Screenshots of each
journey's last page go to `$VAR_DIR/test-output/browser/` (by default `var/test-output/browser/`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from search import registry

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000


def chromium_path() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for one test module. Playwright's sync API keeps an event loop running in this
    thread while it is open, so it is closed when the module's tests end: later tests in the same
    worker (async resolvers, Django's async-safety guard) must see no running loop."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    # Django's ORM calls in the test bodies are still synchronous and safe; its "async context"
    # guard would refuse them while Playwright's loop runs, so it is off for these tests only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=executable, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
            )
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server: Any, settings: Any, tmp_path: Path) -> str:
    """The live server's URL, with payment links pointing at it and search indexing on."""
    settings.PUBLIC_URL = live_server.url
    settings.SEARCH_AUTO_INDEX = True
    settings.SEARCH_BACKEND = "embedded"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    settings.MEDIA_ROOT = tmp_path / "media"
    registry.reset()
    url: str = live_server.url
    return url


@pytest.fixture
def new_page(browser: Any, site: str) -> Iterator[Any]:
    """new_page(phone=True): a fresh browser context (own cookies) and page on the live server."""
    contexts: list[Any] = []

    def make(*, phone: bool = True) -> Any:
        context = browser.new_context(
            base_url=site,
            viewport=PHONE if phone else DESKTOP,
            locale="vi-VN",
            is_mobile=phone,
            has_touch=phone,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    registry.reset()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    from django.conf import settings

    path = Path(settings.VAR_DIR) / "test-output" / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sign_in(page: Any, email: str, password: str, next_path: str) -> None:
    """Sign in through the web form; the page then follows `next_path` (and its redirects)."""
    page.goto(f"/account/login?next={next_path}")
    page.fill("#id_email", email)
    page.fill("#id_password", password)
    page.click("main form[action='/account/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/account/login" not in url)
