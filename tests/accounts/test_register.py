"""accountRegister through the GraphQL endpoint: input errors, no account enumeration, throttling."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from backend.accounts.models import User
from tests.accounts.operations import ACCOUNT_REGISTER, PASSWORD, TOKEN_CREATE

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(gql: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """accountRegister's payload; the e-mails it sends after commit are in `mail.outbox`."""

    def run(lang: str | None = "en", remote_addr: str = "127.0.0.1", **fields: Any) -> dict[str, Any]:
        data = {"email": "mai@example.vn", "password": PASSWORD, **fields}
        with django_capture_on_commit_callbacks(execute=True):
            answer = gql(ACCOUNT_REGISTER, {"input": data}, lang=lang, remote_addr=remote_addr)
        return answer.payload("accountRegister")

    return run


def errors_by_field(payload: dict[str, Any]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in payload["errors"]:
        result.setdefault(error["field"], []).append(error["code"])
    return result


def test_register_normalises_email_and_phone_and_mails_a_welcome(register: Any, gql: Any) -> None:
    payload = register(email="  Mai.Nguyen@Example.VN ", fullName=" Nguyễn Thị Mai ", phone="0903 123 456")

    assert payload == {"user": None, "errors": []}
    user = User.objects.get(email="mai.nguyen@example.vn")
    assert user.full_name == "Nguyễn Thị Mai" and user.phone == "+84903123456"
    assert user.check_password(PASSWORD)
    assert not user.is_staff and not user.is_superuser and not user.is_platform_staff
    assert [m.to for m in mail.outbox] == [["mai.nguyen@example.vn"]]
    assert "ready" in mail.outbox[0].body
    signed_in = gql(TOKEN_CREATE, {"email": "mai.nguyen@example.vn", "password": PASSWORD}).payload("tokenCreate")
    assert signed_in["errors"] == [] and signed_in["user"]["phone"] == "+84903123456"


def test_register_without_optional_fields(register: Any) -> None:
    assert register()["errors"] == []
    user = User.objects.get(email="mai@example.vn")
    assert user.full_name == "" and user.phone == ""


def test_preferred_language_defaults_to_request_language(register: Any) -> None:
    register(lang="en", email="en@example.vn")
    register(lang=None, email="vi@example.vn")
    register(lang="en", email="x@example.vn", preferredLanguage="vi")
    languages = dict(User.objects.values_list("email", "preferred_language"))
    assert languages == {"en@example.vn": "en", "vi@example.vn": "vi", "x@example.vn": "vi"}


def test_unsupported_language_is_invalid(register: Any) -> None:
    assert errors_by_field(register(preferredLanguage="fr")) == {"preferredLanguage": ["INVALID"]}


def test_an_existing_address_gets_exactly_the_answer_of_a_new_one(
    gql: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Finding 4 of issue 14: registration answered UNIQUE "A user with this e-mail already exists"."""
    owner = make_user(email="mai@example.vn", password="Mật-khẩu-cũ-2024")

    with django_capture_on_commit_callbacks(execute=True):
        taken = gql(ACCOUNT_REGISTER, {"input": {"email": "MAI@Example.vn", "password": PASSWORD}}, lang="vi")
        fresh = gql(ACCOUNT_REGISTER, {"input": {"email": "lan@example.vn", "password": PASSWORD}}, lang="vi")

    assert taken.status == fresh.status == 200
    assert taken.json == fresh.json == {"data": {"accountRegister": {"user": None, "errors": []}}}
    assert User.objects.filter(email__iexact="mai@example.vn").count() == 1
    owner.refresh_from_db()
    assert owner.check_password("Mật-khẩu-cũ-2024")  # nobody took the account over
    welcome, notice = sorted(mail.outbox, key=lambda m: m.to[0])
    assert notice.to == ["mai@example.vn"] and "/account/password/reset/" in notice.body
    assert welcome.to == ["lan@example.vn"]


def test_invalid_email(register: Any) -> None:
    payload = register(email="not-an-email")

    assert errors_by_field(payload) == {"email": ["INVALID"]}
    assert payload["errors"][0]["message"] == "Enter a valid email address."


def test_empty_email_is_required(register: Any) -> None:
    assert errors_by_field(register(email="  ")) == {"email": ["REQUIRED"]}


@pytest.mark.parametrize("password", ["12345678", "password", "short"])
def test_weak_password_is_invalid(register: Any, password: str) -> None:
    payload = register(password=password)

    assert payload["user"] is None
    assert set(errors_by_field(payload)) == {"password"}
    assert {e["code"] for e in payload["errors"]} == {"INVALID"}
    assert not User.objects.exists()


def test_password_errors_do_not_depend_on_the_address_having_an_account(register: Any, make_user: Any) -> None:
    make_user(email="mai@example.vn")
    assert register(email="mai@example.vn", password="123") == register(email="lan@example.vn", password="123")


def test_password_similar_to_email_is_invalid(register: Any) -> None:
    payload = register(email="hoangvanthu@example.vn", password="hoangvanthu")

    assert "password" in errors_by_field(payload)


@pytest.mark.parametrize("phone", ["12345", "+1 650 253 0000", "0903 123"])
def test_invalid_phone(register: Any, phone: str) -> None:
    payload = register(phone=phone)

    assert errors_by_field(payload) == {"phone": ["INVALID"]}
    assert not User.objects.exists()


def test_all_field_errors_are_reported_at_once(register: Any, make_user: Any) -> None:
    make_user(email="taken@example.vn")

    payload = register(email="Taken@example.vn", password="123", phone="12345", fullName="x" * 151)

    fields = errors_by_field(payload)
    assert "email" not in fields
    assert set(fields["password"]) == {"INVALID"}
    assert len(fields["password"]) >= 2  # too short and entirely numeric
    assert fields["phone"] == ["INVALID"]
    assert fields["fullName"] == ["INVALID"]


def test_messages_follow_accept_language(register: Any) -> None:
    english = register(lang="en", email="sai-dia-chi")["errors"]
    vietnamese = register(lang="vi", email="sai-dia-chi")["errors"]

    assert english == [{"field": "email", "code": "INVALID", "message": "Enter a valid email address."}]
    # Django's own validator messages come translated ("Nhập địa chỉ email…").
    assert [(e["field"], e["code"]) for e in vietnamese] == [("email", "INVALID")]
    assert vietnamese[0]["message"].startswith("Nhập")


def test_lost_race_on_unique_constraint_answers_the_same(register: Any, make_user: Any, monkeypatch: Any) -> None:
    """Another request creates the same address between the check and the insert."""
    from backend.accounts import services

    make_user(email="mai@example.vn")
    real = services.user_by_email
    calls = iter([None])
    monkeypatch.setattr(services, "user_by_email", lambda *, email: next(calls, None) or real(email=email))

    assert register(email="Mai@example.vn") == {"user": None, "errors": []}
    assert User.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["mai@example.vn"]]


def test_registration_is_throttled_per_address(register: Any, settings: Any) -> None:
    settings.REGISTER_THROTTLE_PER_EMAIL = 3
    answers = [register(email="mai@example.vn", remote_addr=f"10.0.0.{n}") for n in range(4)]

    assert [a["errors"] for a in answers[:3]] == [[], [], []]
    assert [e["code"] for e in answers[3]["errors"]] == ["THROTTLED"]


def test_registration_is_throttled_per_ip(register: Any, make_user: Any, settings: Any) -> None:
    settings.REGISTER_THROTTLE_PER_IP = 3
    make_user(email="taken@example.vn")
    emails = ["a@example.vn", "taken@example.vn", "b@example.vn", "c@example.vn"]
    codes = [[e["code"] for e in register(email=email)["errors"]] for email in emails]

    assert codes == [[], [], [], ["THROTTLED"]]
    assert register(email="c@example.vn", remote_addr="10.0.0.9")["errors"] == []
