"""Accounts by phone through GraphQL: one-time codes by Zalo (sandbox), sign-in, registration, locks,
no enumeration, phone verification and password reset."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from backend.accounts.models import PhoneCode, User
from backend.notifications.models import Notification, SandboxMessage
from tests.accounts.operations import PASSWORD, TOKEN_CREATE
from tests.notifications.helpers import (
    OTP_REQUEST,
    PHONE,
    PHONE_VERIFY,
    REGISTER_WITH_PHONE,
    REQUEST_PASSWORD_RESET,
    SET_PASSWORD_WITH_OTP,
    TOKEN_CREATE_WITH_OTP,
    last_code,
    sandbox,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sandbox")]
__all__ = ["sandbox"]


@pytest.fixture
def ask(gql: Any, django_capture_on_commit_callbacks: Any) -> Any:
    def run(phone: str = "0912 345 678", purpose: str = "SIGN_IN", **kwargs: Any) -> dict[str, Any]:
        with django_capture_on_commit_callbacks(execute=True):
            return gql(OTP_REQUEST, {"phone": phone, "purpose": purpose}, **kwargs).payload("otpRequest")

    return run


def test_new_buyer_registers_with_only_a_phone_and_signs_in_again(ask: Any, gql: Any) -> None:
    answer = ask()
    assert answer["errors"] == [] and answer["phone"] == PHONE and answer["expiresInSeconds"] == 300
    sent = SandboxMessage.objects.get(address=PHONE)
    assert sent.channel_id == "sandbox_zalo" and sent.kind == "otp"
    code = last_code()
    # The code is kept only as a keyed hash, and the notification forgets it once sent.
    assert code not in PhoneCode.objects.get().code_hash
    assert Notification.objects.get(kind="otp").params == {}

    not_yet = gql(TOKEN_CREATE_WITH_OTP, {"phone": PHONE, "code": code}).payload("tokenCreateWithOtp")
    assert [e["code"] for e in not_yet["errors"]] == ["NOT_REGISTERED"]

    made = gql(REGISTER_WITH_PHONE, {"input": {"phone": "0912345678", "code": code, "fullName": "Bà Hoa"}})
    payload = made.payload("accountRegisterWithPhone")
    assert payload["errors"] == [] and payload["created"] is True and payload["token"]
    assert payload["user"] == {
        "id": payload["user"]["id"],
        "email": "",
        "phone": PHONE,
        "phoneVerified": True,
        "fullName": "Bà Hoa",
    }
    user = User.objects.get(phone=PHONE)
    assert user.email is None and not user.has_usable_password()

    again = gql(REGISTER_WITH_PHONE, {"input": {"phone": PHONE, "code": code}}).payload("accountRegisterWithPhone")
    assert [e["code"] for e in again["errors"]] == ["INVALID_CODE"]  # single use

    # Later (the resend cooldown has passed): a new code signs the account in.
    cache.clear()
    ask()
    signed = gql(TOKEN_CREATE_WITH_OTP, {"phone": "0912 345 678", "code": last_code()}).payload("tokenCreateWithOtp")
    assert signed["errors"] == [] and signed["token"] and signed["user"]["phone"] == PHONE
    assert User.objects.count() == 1


def test_unknown_and_known_numbers_get_the_same_answer(ask: Any, make_user: Any) -> None:
    make_user(phone="+84912345678", phone_verified=True)
    known = ask("0912345678")
    unknown = ask("0987654321")
    assert known == {**unknown, "phone": known["phone"]}
    assert known["errors"] == []
    known_reset = ask("0912345678", purpose="PASSWORD_RESET", remote_addr="10.0.0.9")
    unknown_reset = ask("0987654321", purpose="PASSWORD_RESET", remote_addr="10.0.0.9")
    assert known_reset == {**unknown_reset, "phone": known_reset["phone"]} and known_reset["errors"] == []
    # A reset code goes only to the number with an account; nothing reveals it in the answer.
    assert PhoneCode.objects.filter(purpose="PASSWORD_RESET").values_list("phone", flat=True).get() == PHONE


def test_five_wrong_codes_lock_the_number(ask: Any, gql: Any) -> None:
    ask()
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    codes = [
        gql(TOKEN_CREATE_WITH_OTP, {"phone": PHONE, "code": wrong}).error_codes("tokenCreateWithOtp") for _ in range(5)
    ]
    assert codes == [["INVALID_CODE"]] * 4 + [["THROTTLED"]]
    # Locked: even the right code is refused, and no new code is sent.
    assert gql(TOKEN_CREATE_WITH_OTP, {"phone": PHONE, "code": code}).error_codes("tokenCreateWithOtp") == ["THROTTLED"]
    assert ask(remote_addr="10.1.1.1")["errors"][0]["code"] == "THROTTLED"
    # Another number is not affected.
    assert ask("0987654321", remote_addr="10.1.1.2")["errors"] == []


def test_resend_cooldown_per_number_and_per_ip(ask: Any, settings: Any) -> None:
    assert ask()["errors"] == []
    assert [e["code"] for e in ask(remote_addr="10.2.2.2")["errors"]] == ["THROTTLED"]  # same number
    settings.OTP_PER_IP_PER_HOUR = 2
    assert ask("0987654321")["errors"] == []
    assert [e["code"] for e in ask("0977777777")["errors"]] == ["THROTTLED"]  # same IP, hourly cap
    assert PhoneCode.objects.count() == 2


def test_expired_code_is_refused(ask: Any, gql: Any) -> None:
    ask()
    code = last_code()
    PhoneCode.objects.update(expires_at=PhoneCode.objects.get().created_at)
    answer = gql(REGISTER_WITH_PHONE, {"input": {"phone": PHONE, "code": code}}).payload("accountRegisterWithPhone")
    assert [e["code"] for e in answer["errors"]] == ["INVALID_CODE"]
    assert not User.objects.exists()


def test_phone_taken_by_a_verified_account_signs_that_account_in(ask: Any, gql: Any, make_user: Any) -> None:
    owner = make_user(phone=PHONE, phone_verified=True)
    ask()
    answer = gql(REGISTER_WITH_PHONE, {"input": {"phone": PHONE, "code": last_code(), "email": owner.email}})
    payload = answer.payload("accountRegisterWithPhone")
    assert payload["errors"] == [] and payload["created"] is False and payload["user"]["id"]
    assert User.objects.count() == 1


def test_verified_phone_signs_in_with_its_password(ask: Any, gql: Any) -> None:
    ask()
    gql(REGISTER_WITH_PHONE, {"input": {"phone": PHONE, "code": last_code(), "password": PASSWORD}})
    answer = gql(TOKEN_CREATE, {"email": "0912 345 678", "password": PASSWORD}).payload("tokenCreate")
    assert answer["errors"] == [] and answer["user"]["phone"] == PHONE


def test_signed_in_user_verifies_a_phone_once(ask: Any, gql: Any, make_user: Any) -> None:
    user = make_user()
    other = make_user()
    ask(purpose="VERIFY_PHONE", user=user)
    answer = gql(PHONE_VERIFY, {"phone": PHONE, "code": last_code()}, user=user).payload("phoneVerify")
    assert answer == {"user": {"phone": PHONE, "phoneVerified": True}, "errors": []}
    cache.clear()  # the resend cooldown has passed
    ask(purpose="VERIFY_PHONE", user=other)
    taken = gql(PHONE_VERIFY, {"phone": PHONE, "code": last_code()}, user=other).payload("phoneVerify")
    assert [e["code"] for e in taken["errors"]] == ["PHONE_TAKEN"]
    other.refresh_from_db()
    assert not other.phone_verified


def test_password_reset_by_phone(gql: Any, make_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    user = make_user(phone=PHONE, phone_verified=True)
    old_token_user = gql(TOKEN_CREATE, {"email": user.email, "password": PASSWORD}).payload("tokenCreate")
    with django_capture_on_commit_callbacks(execute=True):
        asked = gql(REQUEST_PASSWORD_RESET, {"phone": "0912345678"}).payload("requestPasswordReset")
    assert asked == {"errors": []}
    new_password = "Một-mật-khẩu-mới-2026"
    answer = gql(SET_PASSWORD_WITH_OTP, {"phone": PHONE, "code": last_code(), "password": new_password}).payload(
        "setPasswordWithOtp"
    )
    assert answer["errors"] == [] and answer["token"]
    user.refresh_from_db()
    assert user.check_password(new_password)
    stale = gql("{ me { email } }", token=old_token_user["token"])
    assert stale.errors  # tokens issued before the reset are revoked
