"""End-to-end tests in Debian's headless Chromium (Playwright for Python) against a live server.

The browser comes from the system packages (`/usr/bin/chromium`, or $CHROMIUM); Playwright never
downloads one. Without it these tests skip locally; `.ci/run` installs it first. Skip them on
purpose with `-m "not browser"`.

The app runs in pytest-django's `live_server` (a thread of this process, on the worker's own test
database, so it works with SQLite and PostgreSQL and with `pytest -n 2`). One Chromium per test
module; every journey runs on a phone (390×844) and on a desktop (1366×900) through the `viewport`
parameter. A page fails its test on any console error, uncaught script error, failed request,
answer of 400 or more (unless the test says it expects that status for a page, e.g. a form shown
again with its errors) or request to another site (nothing is fetched from the internet).
Screenshots of each journey's last page go to `$VAR_DIR/test-output/browser/`.
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
DESKTOP = {"width": 1366, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
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
    """The live server's URL, with payment links pointing at it, search indexing on, and uploaded
    media served (as the development server does)."""
    settings.PUBLIC_URL = live_server.url
    settings.SEARCH_AUTO_INDEX = True
    settings.SEARCH_BACKEND = "embedded"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ROOT_URLCONF = "tests.browser.urls"
    registry.reset()
    url: str = live_server.url
    return url


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: Any) -> str:
    """Each journey on a phone and on a desktop."""
    return str(request.param)


class Watch:
    """What went wrong on a page: console errors, script errors, failed or refused requests."""

    def __init__(self, page: Any, site: str) -> None:
        self.problems: list[str] = []
        self.expected: list[int] = []
        self.site = site
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        # Chrome also logs every answer >= 400 as "Failed to load resource"; `_response` judges those.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console error: {message.text}")

    def _failed(self, request: Any) -> None:
        # A load the browser dropped because the test moved on to another page (a favicon, an
        # image still coming) is not a failure; anything else (refused, reset, timed out) is.
        if request.failure == "net::ERR_ABORTED":
            return
        if request.url.startswith(self.site):
            self.problems.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def _response(self, response: Any) -> None:
        if response.status < 400:
            return
        if response.request.resource_type == "document" and response.status in self.expected:
            self.expected.remove(response.status)
            return
        self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")


WATCHES: dict[int, Watch] = {}


def expect_status(page: Any, status: int) -> None:
    """The next page this tab loads answers `status` on purpose (a form shown again with errors)."""
    WATCHES[id(page)].expected.append(status)


@pytest.fixture
def new_page(browser: Any, site: str, viewport: str) -> Iterator[Any]:
    """new_page(phone=None): a fresh browser context (own cookies) and page on the live server, in
    the test's viewport unless `phone` says otherwise. The test fails if any page had a problem."""
    contexts: list[Any] = []
    watches: list[Watch] = []
    outside: list[str] = []

    def refuse_other_sites(route: Any) -> None:
        if route.request.url.startswith(site) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    def make(*, phone: bool | None = None) -> Any:
        on_phone = viewport == "phone" if phone is None else phone
        context = browser.new_context(
            base_url=site,
            viewport=PHONE if on_phone else DESKTOP,
            locale="vi-VN",
            is_mobile=on_phone,
            has_touch=on_phone,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", refuse_other_sites)
        contexts.append(context)
        page = context.new_page()
        watch = Watch(page, site)
        WATCHES[id(page)] = watch
        watches.append(watch)
        return page

    yield make
    for context in contexts:
        for page in context.pages:
            WATCHES.pop(id(page), None)
        context.close()
    registry.reset()
    problems = [problem for watch in watches for problem in watch.problems]
    problems += [f"request to another site: {url}" for url in outside]
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    from django.conf import settings

    path = Path(settings.VAR_DIR) / "test-output" / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path


def shoot(page: Any, screenshot_dir: Path, name: str, viewport: str) -> None:
    page.screenshot(path=str(screenshot_dir / f"{name}-{viewport}.png"), full_page=True)


def sign_in(page: Any, email: str, password: str, next_path: str) -> None:
    """Sign in through the web form; the page then follows `next_path` (and its redirects)."""
    page.goto(f"/account/login?next={next_path}")
    page.fill("#id_email", email)
    page.fill("#id_password", password)
    page.click("main form[action='/account/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/account/login" not in url)


def box(page: Any, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return dict(found)
