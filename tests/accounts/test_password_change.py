"""passwordChange: validators, revocation of earlier tokens."""

from __future__ import annotations

from typing import Any

import pytest

from backend.accounts.tokens import access_token_for, refresh_token_for
from tests.accounts.operations import ME, PASSWORD, PASSWORD_CHANGE, TOKEN_REFRESH

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Đà-Lạt-mù-sương-2026"


def change(gql: Any, old: str, new: str, **kwargs: Any) -> dict[str, Any]:
    return gql(PASSWORD_CHANGE, {"old": old, "new": new}, **kwargs).payload("passwordChange")


def test_password_change_revokes_old_tokens_and_returns_new_ones(gql: Any, make_user: Any) -> None:
    user = make_user(email="mai@example.vn")
    old_access, old_refresh = access_token_for(user), refresh_token_for(user)

    payload = change(gql, PASSWORD, NEW_PASSWORD, token=old_access)

    assert payload["errors"] == []
    assert payload["user"] == {"email": "mai@example.vn"}
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert gql(ME, token=old_access).status == 401
    refreshed = gql(TOKEN_REFRESH, {"refreshToken": old_refresh}).payload("tokenRefresh")
    assert [e["code"] for e in refreshed["errors"]] == ["INVALID_TOKEN"]
    assert gql(ME, token=payload["token"]).data["me"]["email"] == "mai@example.vn"
    assert gql(TOKEN_REFRESH, {"refreshToken": payload["refreshToken"]}).payload("tokenRefresh")["errors"] == []


def test_wrong_current_password(gql: Any, make_user: Any) -> None:
    user = make_user()

    payload = change(gql, "wrong", NEW_PASSWORD, user=user, lang="en")

    assert payload["errors"] == [
        {"field": "oldPassword", "code": "INVALID_CREDENTIALS", "message": "The current password is incorrect."}
    ]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_wrong_current_password_is_throttled(gql: Any, make_user: Any) -> None:
    user = make_user()
    token = access_token_for(user)
    for _ in range(5):
        change(gql, "wrong", NEW_PASSWORD, token=token)

    payload = change(gql, PASSWORD, NEW_PASSWORD, token=token)

    assert [e["code"] for e in payload["errors"]] == ["THROTTLED"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_weak_new_password_is_invalid(gql: Any, make_user: Any) -> None:
    user = make_user()
    token = access_token_for(user)

    payload = change(gql, PASSWORD, "12345", token=token)

    assert {(e["field"], e["code"]) for e in payload["errors"]} == {("newPassword", "INVALID")}
    assert gql(ME, token=token).status == 200  # nothing changed, the token still works


def test_password_change_requires_sign_in(gql: Any) -> None:
    payload = change(gql, PASSWORD, NEW_PASSWORD)

    assert [e["code"] for e in payload["errors"]] == ["AUTHENTICATION_REQUIRED"]
