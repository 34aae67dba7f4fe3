"""Shared fixtures: a GraphQL client over the real HTTP stack, users, regions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from backend.accounts.models import User
from backend.accounts.tokens import access_token_for

# Property tests run on a shared 2-core CI machine: no per-example deadline, no "too slow" health check
# (a loaded machine makes both fail at random; the properties themselves are unchanged).
hypothesis_settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session")
def _private_media_root(tmp_path_factory: Any) -> Any:
    return tmp_path_factory.mktemp("private-media")


@pytest.fixture(autouse=True)
def _private_media_in_tmp(settings: Any, _private_media_root: Any) -> None:
    """Sellers' private documents are written under a temporary directory, never var/private."""
    settings.PRIVATE_MEDIA_ROOT = str(_private_media_root)


@pytest.fixture(autouse=True)
def _isolated_cache(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test gets its own empty cache (throttling counters, response cache).

    The anonymous response cache is off by default so tests that change data
    behind the services' back see fresh answers; tests/api/test_response_cache.py
    turns it on and checks its invalidation.
    """
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
    settings.GRAPHQL_RESPONSE_CACHE = False
    # Throttles fall back to in-process counters while the cache is down: start each test afresh.
    # A cache or broker failure in one test must not make the next one skip them (back-off state).
    from backend.core import safe_cache, throttle
    from backend.outbox import publish

    throttle.reset_state()
    safe_cache.reset()
    publish.reset()
    # Celery keeps "inside a task" in a process-wide flag that eager tasks run from several threads
    # at once (the concurrency tests) can leave set; clear it so `.get()` works in later tests.
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)
    # Tasks run in-process even when a broker is configured: tests assert their
    # effects. tests/test_celery.py proves the real trip through Redis.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Search indexing follows writes only in the search tests (tests/search turn it on).
    settings.SEARCH_AUTO_INDEX = False
    # A damaged (or absent) index is rebuilt by the first search that finds it: never in var/.
    settings.SEARCH_INDEX_DIR = tmp_path_factory.mktemp("search-index")
    # PBKDF2 at production strength costs ~0.3 s a hash; tests hash a lot.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class GQLResult:
    status: int
    json: dict[str, Any]

    @property
    def data(self) -> Any:
        return self.json.get("data")

    @property
    def errors(self) -> list[dict[str, Any]]:
        return self.json.get("errors") or []

    def payload(self, name: str) -> dict[str, Any]:
        """A mutation payload, asserting the request itself succeeded."""
        assert not self.errors, self.errors
        return self.data[name]

    def error_codes(self, name: str) -> list[str]:
        return [e["code"] for e in self.payload(name)["errors"]]


GQL = Callable[..., GQLResult]


@pytest.fixture
def gql(client: Client) -> GQL:
    """POST a GraphQL operation to /graphql/.

    gql(query, variables, user=…, token=…, lang="en", headers={…}, remote_addr=…)
    """

    def run(
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        user: User | None = None,
        token: str | None = None,
        lang: str | None = None,
        headers: dict[str, str] | None = None,
        remote_addr: str = "127.0.0.1",
    ) -> GQLResult:
        extra: dict[str, str] = dict(headers or {})
        if user is not None:
            token = access_token_for(user)
        if token is not None:
            extra["Authorization"] = f"Bearer {token}"
        if lang is not None:
            extra["Accept-Language"] = lang
        response = client.post(
            "/graphql/",
            {"query": query, "variables": variables or {}},
            content_type="application/json",
            headers=extra,
            REMOTE_ADDR=remote_addr,
        )
        return GQLResult(status=response.status_code, json=response.json())

    return run


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(email: str | None = None, password: str = "Mật-khẩu-dài-2025", **extra: Any) -> User:
        return User.objects.create_user(email=email or f"user{next(counter)}@example.vn", password=password, **extra)

    return make


# The blocker of the session's test databases, once they hold the regions.
_regions_loaded_with: list[Any] = []


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test databases, with the country's administrative units loaded once per session.

    They are reference data (34 provinces, 3,321 communes, ~10,600 legacy
    rows: loading them costs a second or two), so every database test sees
    them, like content types, instead of each test loading them again.
    """
    from backend.regions.loader import load_regions

    with django_db_blocker.unblock():
        load_regions()
    _regions_loaded_with.append(django_db_blocker)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """A transactional test ends by emptying every table: put the regions back for the next test."""
    yield
    marker = item.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )
    # After the last test the session has already dropped the test databases.
    if transactional and nextitem is not None and _regions_loaded_with:
        from backend.regions.loader import load_regions

        with _regions_loaded_with[0].unblock():
            load_regions()


@pytest.fixture
def no_regions(db: Any) -> None:
    """An empty regions world for tests that build their own few provinces and communes (rolled back after)."""
    from backend.regions.models import Commune, LegacyUnit, Province

    LegacyUnit.objects.all().delete()
    Commune.objects.all().delete()
    Province.objects.all().delete()


@pytest.fixture
def regions(db: Any) -> None:
    """The real provinces, communes and legacy map (loaded for the session; this checks they are there)."""
    from backend.regions.loader import load_regions

    load_regions()
