"""tokenCreate, tokenRefresh, `me` and bearer authentication."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from backend.accounts.models import User
from backend.accounts.tokens import access_token_for, refresh_token_for
from tests.accounts.operations import ME, PASSWORD, TOKEN_CREATE, TOKEN_REFRESH

pytestmark = pytest.mark.django_db


def sign_in(gql: Any, email: str, password: str = PASSWORD, **kwargs: Any) -> dict[str, Any]:
    return gql(TOKEN_CREATE, {"email": email, "password": password}, **kwargs).payload("tokenCreate")


def test_sign_in_returns_tokens_that_work_for_me(gql: Any, make_user: Any) -> None:
    user = make_user(email="mai@example.vn", full_name="Mai", phone="+84903123456")

    payload = sign_in(gql, "  MAI@example.VN ")

    assert payload["errors"] == []
    assert payload["token"] and payload["refreshToken"]
    assert payload["user"]["email"] == "mai@example.vn"
    me = gql(ME, token=payload["token"])
    assert me.status == 200
    assert me.data["me"] == payload["user"]
    assert me.data["me"]["fullName"] == "Mai"
    assert me.data["me"]["phone"] == "+84903123456"
    user.refresh_from_db()
    assert user.last_login is not None


def test_me_is_null_when_anonymous(gql: Any) -> None:
    result = gql(ME)

    assert result.status == 200
    assert result.errors == []
    assert result.data == {"me": None}


def test_wrong_password_and_unknown_email_give_identical_errors(gql: Any, make_user: Any) -> None:
    make_user(email="mai@example.vn")

    wrong_password = sign_in(gql, "mai@example.vn", "not-the-password", lang="en")
    unknown_email = sign_in(gql, "nobody@example.vn", PASSWORD, lang="en")

    assert wrong_password == unknown_email
    assert wrong_password["token"] is None and wrong_password["user"] is None
    assert wrong_password["errors"] == [
        {"field": None, "code": "INVALID_CREDENTIALS", "message": "E-mail or password is incorrect."}
    ]


def test_inactive_user_gets_the_same_error(gql: Any, make_user: Any) -> None:
    make_user(email="mai@example.vn", is_active=False)

    payload = sign_in(gql, "mai@example.vn")

    assert [e["code"] for e in payload["errors"]] == ["INVALID_CREDENTIALS"]
    assert payload["token"] is None


def test_unknown_email_still_hashes_the_password(gql: Any, monkeypatch: Any) -> None:
    calls: list[str] = []
    monkeypatch.setattr("backend.accounts.services.make_password", lambda raw: calls.append(raw))

    sign_in(gql, "nobody@example.vn", "guess")

    assert calls == ["guess"]


def test_vietnamese_is_the_default_message_language(gql: Any) -> None:
    vietnamese = sign_in(gql, "nobody@example.vn", lang="vi")["errors"][0]
    default = sign_in(gql, "nobody@example.vn")["errors"][0]

    assert vietnamese == default
    assert vietnamese["code"] == "INVALID_CREDENTIALS"


# --- throttling -------------------------------------------------------------------


def test_sixth_attempt_is_throttled_even_with_the_right_password(gql: Any, make_user: Any) -> None:
    make_user(email="mai@example.vn")
    for _ in range(5):
        assert [e["code"] for e in sign_in(gql, "mai@example.vn", "wrong")["errors"]] == ["INVALID_CREDENTIALS"]

    payload = sign_in(gql, "Mai@Example.vn", lang="en")

    assert payload["token"] is None
    assert payload["errors"] == [
        {
            "field": None,
            "code": "THROTTLED",
            "message": "Too many attempts. Please wait a few minutes and try again.",
        }
    ]


def test_throttle_counts_per_email_not_across_emails(gql: Any, make_user: Any) -> None:
    make_user(email="mai@example.vn")
    make_user(email="lan@example.vn")
    for _ in range(5):
        sign_in(gql, "mai@example.vn", "wrong")

    assert sign_in(gql, "lan@example.vn")["errors"] == []


def test_throttle_counts_per_ip_across_emails(gql: Any, make_user: Any, settings: Any) -> None:
    settings.LOGIN_THROTTLE_PER_IP = 3
    make_user(email="mai@example.vn")
    for number in range(3):
        sign_in(gql, f"guess{number}@example.vn", "wrong", remote_addr="203.0.113.7")

    blocked = sign_in(gql, "mai@example.vn", remote_addr="203.0.113.7")
    other_ip = sign_in(gql, "mai@example.vn", remote_addr="203.0.113.8")

    assert [e["code"] for e in blocked["errors"]] == ["THROTTLED"]
    assert other_ip["errors"] == []


def test_success_resets_the_email_counter(gql: Any, make_user: Any) -> None:
    make_user(email="mai@example.vn")
    for _ in range(4):
        sign_in(gql, "mai@example.vn", "wrong")
    assert sign_in(gql, "mai@example.vn")["errors"] == []

    for _ in range(4):
        sign_in(gql, "mai@example.vn", "wrong")

    assert sign_in(gql, "mai@example.vn")["errors"] == []


def test_failures_expire_after_the_window(gql: Any, make_user: Any, settings: Any) -> None:
    from django.core.cache import cache

    settings.LOGIN_THROTTLE_PER_EMAIL = 2
    make_user(email="mai@example.vn")
    for _ in range(2):
        sign_in(gql, "mai@example.vn", "wrong")
    assert [e["code"] for e in sign_in(gql, "mai@example.vn")["errors"]] == ["THROTTLED"]

    cache.clear()  # what the window's expiry does

    assert sign_in(gql, "mai@example.vn")["errors"] == []


def test_forwarded_for_is_used_only_behind_trusted_proxies(gql: Any, make_user: Any, settings: Any) -> None:
    settings.LOGIN_THROTTLE_PER_IP = 2
    make_user(email="mai@example.vn")
    proxy = "10.0.0.2"

    def attempt(forwarded: str, password: str = "wrong") -> dict[str, Any]:
        headers = {"X-Forwarded-For": forwarded}
        return sign_in(gql, f"{forwarded}@example.vn", password, remote_addr=proxy, headers=headers)

    # No trusted proxy: the header is ignored, every attempt counts against the proxy's address.
    attempt("198.51.100.1")
    attempt("198.51.100.2")
    assert [e["code"] for e in attempt("198.51.100.3")["errors"]] == ["THROTTLED"]

    settings.TRUSTED_PROXY_COUNT = 1
    # One trusted proxy: the last entry is the client; earlier (forgeable) entries are ignored.
    attempt("1.2.3.4, 198.51.100.9")
    attempt("5.6.7.8, 198.51.100.9")
    assert [e["code"] for e in attempt("9.9.9.9, 198.51.100.9")["errors"]] == ["THROTTLED"]
    assert [e["code"] for e in attempt("198.51.100.10")["errors"]] == ["INVALID_CREDENTIALS"]


# --- refresh and expiry ----------------------------------------------------------------


def test_refresh_gives_a_new_working_access_token(gql: Any, make_user: Any) -> None:
    make_user(email="mai@example.vn")
    tokens = sign_in(gql, "mai@example.vn")

    refreshed = gql(TOKEN_REFRESH, {"refreshToken": tokens["refreshToken"]}).payload("tokenRefresh")

    assert refreshed["errors"] == []
    assert refreshed["token"] and refreshed["token"] != tokens["token"]
    assert gql(ME, token=refreshed["token"]).data["me"]["email"] == "mai@example.vn"


def test_access_token_is_refused_as_refresh_token(gql: Any, make_user: Any) -> None:
    user = make_user()

    payload = gql(TOKEN_REFRESH, {"refreshToken": access_token_for(user)}).payload("tokenRefresh")

    assert payload["token"] is None
    assert [e["code"] for e in payload["errors"]] == ["INVALID_TOKEN"]


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
def test_malformed_refresh_token_is_refused(gql: Any, token: str) -> None:
    payload = gql(TOKEN_REFRESH, {"refreshToken": token}).payload("tokenRefresh")

    assert [e["code"] for e in payload["errors"]] == ["INVALID_TOKEN"]


def test_expired_refresh_token_is_refused(gql: Any, make_user: Any) -> None:
    user = make_user()
    old = refresh_token_for(user, now=timezone.now() - timedelta(days=31))

    payload = gql(TOKEN_REFRESH, {"refreshToken": old}).payload("tokenRefresh")

    assert [e["code"] for e in payload["errors"]] == ["INVALID_TOKEN"]


def test_refresh_token_of_deactivated_user_is_refused(gql: Any, make_user: Any) -> None:
    user = make_user()
    token = refresh_token_for(user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    payload = gql(TOKEN_REFRESH, {"refreshToken": token}).payload("tokenRefresh")

    assert [e["code"] for e in payload["errors"]] == ["INVALID_TOKEN"]


def test_expired_access_token_is_http_401_on_any_query(gql: Any, make_user: Any) -> None:
    user = make_user()
    expired = access_token_for(user, now=timezone.now() - timedelta(minutes=16))

    for document in (ME, "{ __typename }"):
        result = gql(document, token=expired, lang="en")
        assert result.status == 401
        assert result.data is None
        assert [e["extensions"]["code"] for e in result.errors] == ["INVALID_TOKEN"]


def test_refresh_token_is_not_accepted_as_bearer(gql: Any, make_user: Any) -> None:
    user = make_user()

    result = gql(ME, token=refresh_token_for(user))

    assert result.status == 401


def test_sign_in_survives_a_password_hash_upgrade(gql: Any, make_user: Any, settings: Any) -> None:
    """check_password rehashes with the preferred hasher; the tokens issued then must still match."""
    make_user(email="mai@example.vn")  # hashed with MD5 (tests/accounts/conftest.py)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

    payload = sign_in(gql, "mai@example.vn")

    assert payload["errors"] == []
    assert User.objects.get(email="mai@example.vn").password.startswith("pbkdf2_sha256$")
    assert gql(ME, token=payload["token"]).data["me"]["email"] == "mai@example.vn"
    assert gql(TOKEN_REFRESH, {"refreshToken": payload["refreshToken"]}).payload("tokenRefresh")["errors"] == []
