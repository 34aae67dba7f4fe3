"""One throttle mechanism for sign-in, registration, password reset and anonymous GraphQL traffic,
that keeps counting (in this process, with a warning) while the cache is down, and never raises."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from backend.core import throttle
from tests.accounts.operations import ACCOUNT_REGISTER, PASSWORD, TOKEN_CREATE
from tests.conftest import GQL

pytestmark = pytest.mark.django_db

REQUEST_RESET = """
mutation R($email: String, $phone: String) { requestPasswordReset(email: $email, phone: $phone) {
  errors { field code message } } }
"""


@pytest.fixture
def redis_down(settings: Any) -> None:
    """The cache is Redis on a port where nothing listens."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


def test_sign_in_is_still_throttled_when_redis_is_down(gql: GQL, make_user: Any, redis_down: None, caplog: Any) -> None:
    make_user(email="mai@example.vn")
    caplog.set_level(logging.WARNING, logger="backend.core.throttle")

    answers = [
        gql(TOKEN_CREATE, {"email": "mai@example.vn", "password": "wrong"}).payload("tokenCreate") for _ in range(6)
    ]
    right = gql(TOKEN_CREATE, {"email": "mai@example.vn", "password": PASSWORD}).payload("tokenCreate")

    assert [_codes(a) for a in answers] == [["INVALID_CREDENTIALS"]] * 5 + [["THROTTLED"]]
    assert _codes(right) == ["THROTTLED"]  # even the right password, as with a working cache
    warnings = [r for r in caplog.records if r.name == "backend.core.throttle"]
    assert len(warnings) == 1 and "unavailable" in warnings[0].getMessage()


def test_registration_and_reset_are_throttled_when_redis_is_down(gql: GQL, redis_down: None, settings: Any) -> None:
    settings.REGISTER_THROTTLE_PER_EMAIL = 2
    settings.PASSWORD_RESET_THROTTLE_PER_ACCOUNT = 2
    registrations = [
        gql(ACCOUNT_REGISTER, {"input": {"email": "lan@example.vn", "password": PASSWORD}}).payload("accountRegister")
        for _ in range(3)
    ]
    resets = [gql(REQUEST_RESET, {"email": "lan@example.vn"}).payload("requestPasswordReset") for _ in range(3)]

    assert [_codes(r) for r in registrations] == [[], [], ["THROTTLED"]]
    assert [_codes(r) for r in resets] == [[], [], ["THROTTLED"]]


def test_anonymous_graphql_is_rate_limited_when_redis_is_down(
    gql: GQL, regions: None, redis_down: None, settings: Any
) -> None:
    settings.GRAPHQL_ANON_REQUESTS_PER_MINUTE = 2
    statuses = [gql("{ provinces { code } }", remote_addr="198.51.100.4").status for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_counting_goes_back_to_the_cache_once_it_answers(
    make_user: Any, settings: Any, monkeypatch: Any, caplog: Any
) -> None:
    rule = throttle.Rule("test", limit=3, window_seconds=60)
    monkeypatch.setattr(throttle, "RETRY_AFTER_SECONDS", 0.0)
    caplog.set_level(logging.WARNING, logger="backend.core.throttle")
    working = settings.CACHES
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    assert throttle.hit(rule, "198.51.100.5") == 1  # counted in this process
    settings.CACHES = working

    assert throttle.hit(rule, "198.51.100.5") == 1  # the cache's own count starts
    assert throttle.hit(rule, "198.51.100.5") == 2
    messages = [r.getMessage() for r in caplog.records if r.name == "backend.core.throttle"]
    assert len(messages) == 2 and "answers again" in messages[1]


def test_a_renewed_window_restarts_at_each_hit_and_a_fixed_one_does_not(monkeypatch: Any) -> None:
    clock = [1000.0]
    monkeypatch.setattr(throttle.time, "monotonic", lambda: clock[0])
    counters = throttle._LocalCounters()
    assert counters.add("renewed", 1, 60, renew=True) == 1
    assert counters.add("fixed", 1, 60, renew=False) == 1
    clock[0] += 50
    counters.add("renewed", 1, 60, renew=True)
    counters.add("fixed", 1, 60, renew=False)
    clock[0] += 20  # 70 s after the first hit, 20 s after the second
    assert counters.get("renewed") == 2
    assert counters.get("fixed") == 0


def test_without_a_shared_cache_each_process_counts(settings: Any, tmp_path: Any) -> None:
    """The development file cache holds no counters (its increments are neither atomic nor cheap)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
    }
    rule = throttle.Rule("test", limit=2, window_seconds=60)
    assert throttle.attempt([(rule, "198.51.100.6")]) and throttle.attempt([(rule, "198.51.100.6")])
    assert not throttle.attempt([(rule, "198.51.100.6")])
    assert not any(tmp_path.iterdir())  # nothing written to the file cache
