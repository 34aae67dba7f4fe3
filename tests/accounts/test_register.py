"""accountRegister through the GraphQL endpoint."""

from __future__ import annotations

from typing import Any

import pytest
from graphql_relay import from_global_id

from backend.accounts.models import User
from tests.accounts.operations import ACCOUNT_REGISTER, PASSWORD

pytestmark = pytest.mark.django_db


def register(gql: Any, lang: str | None = "en", **fields: Any) -> dict[str, Any]:
    data = {"email": "mai@example.vn", "password": PASSWORD, **fields}
    return gql(ACCOUNT_REGISTER, {"input": data}, lang=lang).payload("accountRegister")


def errors_by_field(payload: dict[str, Any]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in payload["errors"]:
        result.setdefault(error["field"], []).append(error["code"])
    return result


def test_register_normalises_email_and_phone(gql: Any) -> None:
    payload = register(gql, email="  Mai.Nguyen@Example.VN ", fullName=" Nguyễn Thị Mai ", phone="0903 123 456")

    assert payload["errors"] == []
    user_data = payload["user"]
    assert user_data["email"] == "mai.nguyen@example.vn"
    assert user_data["fullName"] == "Nguyễn Thị Mai"
    assert user_data["phone"] == "+84903123456"
    assert user_data["isProvinceAdmin"] is False
    assert from_global_id(user_data["id"])[0] == "User"
    user = User.objects.get(email="mai.nguyen@example.vn")
    assert user.check_password(PASSWORD)
    assert user.phone == "+84903123456"
    assert not user.is_staff and not user.is_superuser


def test_register_without_optional_fields(gql: Any) -> None:
    payload = register(gql)

    assert payload["errors"] == []
    assert payload["user"]["fullName"] is None
    assert payload["user"]["phone"] is None


def test_preferred_language_defaults_to_request_language(gql: Any) -> None:
    assert register(gql, lang="en", email="en@example.vn")["user"]["preferredLanguage"] == "en"
    assert register(gql, lang=None, email="vi@example.vn")["user"]["preferredLanguage"] == "vi"
    assert register(gql, lang="en", email="x@example.vn", preferredLanguage="vi")["user"]["preferredLanguage"] == "vi"


def test_unsupported_language_is_invalid(gql: Any) -> None:
    payload = register(gql, preferredLanguage="fr")

    assert errors_by_field(payload) == {"preferredLanguage": ["INVALID"]}


def test_duplicate_email_in_other_case_is_unique_error(gql: Any, make_user: Any) -> None:
    make_user(email="mai@example.vn")

    payload = register(gql, email="MAI@Example.vn")

    assert payload["user"] is None
    assert errors_by_field(payload) == {"email": ["UNIQUE"]}
    assert User.objects.filter(email__iexact="mai@example.vn").count() == 1


def test_invalid_email(gql: Any) -> None:
    payload = register(gql, email="not-an-email")

    assert errors_by_field(payload) == {"email": ["INVALID"]}
    assert payload["errors"][0]["message"] == "Enter a valid email address."


def test_empty_email_is_required(gql: Any) -> None:
    assert errors_by_field(register(gql, email="  ")) == {"email": ["REQUIRED"]}


@pytest.mark.parametrize("password", ["12345678", "password", "short"])
def test_weak_password_is_invalid(gql: Any, password: str) -> None:
    payload = register(gql, password=password)

    assert payload["user"] is None
    assert set(errors_by_field(payload)) == {"password"}
    assert {e["code"] for e in payload["errors"]} == {"INVALID"}
    assert not User.objects.exists()


def test_password_similar_to_email_is_invalid(gql: Any) -> None:
    payload = register(gql, email="hoangvanthu@example.vn", password="hoangvanthu")

    assert "password" in errors_by_field(payload)


@pytest.mark.parametrize("phone", ["12345", "+1 650 253 0000", "0903 123"])
def test_invalid_phone(gql: Any, phone: str) -> None:
    payload = register(gql, phone=phone)

    assert errors_by_field(payload) == {"phone": ["INVALID"]}
    assert not User.objects.exists()


def test_all_field_errors_are_reported_at_once(gql: Any, make_user: Any) -> None:
    make_user(email="taken@example.vn")

    payload = register(gql, email="Taken@example.vn", password="123", phone="12345", fullName="x" * 151)

    fields = errors_by_field(payload)
    assert fields["email"] == ["UNIQUE"]
    assert set(fields["password"]) == {"INVALID"}
    assert len(fields["password"]) >= 2  # too short and entirely numeric
    assert fields["phone"] == ["INVALID"]
    assert fields["fullName"] == ["INVALID"]


def test_messages_follow_accept_language(gql: Any, make_user: Any) -> None:
    make_user(email="mai@example.vn")

    english = register(gql, lang="en")["errors"]
    vietnamese = register(gql, lang="vi", email="sai-dia-chi")["errors"]

    assert english == [
        {"field": "email", "code": "UNIQUE", "message": "A user with this e-mail address already exists."}
    ]
    # Django's own validator messages come translated ("Nhập địa chỉ email…").
    assert [(e["field"], e["code"]) for e in vietnamese] == [("email", "INVALID")]
    assert vietnamese[0]["message"].startswith("Nhập")


def test_lost_race_on_unique_constraint_is_unique_error(gql: Any, make_user: Any, monkeypatch: Any) -> None:
    """Another request creates the same address between the check and the insert."""
    make_user(email="mai@example.vn")
    monkeypatch.setattr("backend.accounts.services.user_by_email", lambda *, email: None)

    payload = register(gql, email="Mai@example.vn")

    assert errors_by_field(payload) == {"email": ["UNIQUE"]}
    assert User.objects.count() == 1
