"""Password reset (finding 6 of issue 14: a buyer or farmer who forgot the password had no way back):
the same answer for every address or phone, a signed single-use token with an expiry, Django's
password validators, every session and token revoked, throttled; by GraphQL and on the web."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from backend.accounts.models import User
from tests.accounts.operations import ME, PASSWORD, TOKEN_CREATE, TOKEN_REFRESH
from tests.conftest import GQL

pytestmark = pytest.mark.django_db

REQUEST = """mutation R($email: String, $phone: String) {
  requestPasswordReset(email: $email, phone: $phone) { errors { field code message } } }"""
SET = """mutation S($token: String!, $password: String!) {
  setPassword(token: $token, password: $password) {
    user { email } token refreshToken errors { field code message } } }"""
NEW_PASSWORD = "Mật-khẩu-mới-2026"
LINK = re.compile(r"/account/password/reset/(?P<token>[^\s/]+)")


@pytest.fixture
def ask(gql: GQL, django_capture_on_commit_callbacks: Any) -> Any:
    def run(remote_addr: str = "127.0.0.1", **variables: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return gql(REQUEST, variables, lang="en", remote_addr=remote_addr)

    return run


def _token(message: Any) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found["token"]


def test_the_answer_is_the_same_whether_or_not_an_account_matches(ask: Any, make_user: Any) -> None:
    make_user(email="mai@example.vn", phone="+84903123456")

    answers = [
        ask(email="mai@example.vn").json,
        ask(email="nobody@example.vn").json,
        ask(phone="0903 123 456").json,
        ask(phone="0912 000 111").json,
    ]

    assert all(a == {"data": {"requestPasswordReset": {"errors": []}}} for a in answers)
    assert [m.to for m in mail.outbox] == [["mai@example.vn"], ["mai@example.vn"]]  # by e-mail, then by phone


def test_input_errors_do_not_depend_on_accounts(ask: Any) -> None:
    payload = ask().json["data"]["requestPasswordReset"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("email", "REQUIRED")]
    payload = ask(phone="12345").json["data"]["requestPasswordReset"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("phone", "INVALID")]


def test_the_link_sets_a_new_password_once_and_revokes_every_token(ask: Any, gql: GQL, make_user: Any) -> None:
    make_user(email="mai@example.vn")
    before = gql(TOKEN_CREATE, {"email": "mai@example.vn", "password": PASSWORD}).payload("tokenCreate")
    ask(email="mai@example.vn")
    token = _token(mail.outbox[-1])

    weak = gql(SET, {"token": token, "password": "12345678"}, lang="en").payload("setPassword")
    assert {e["field"] for e in weak["errors"]} == {"password"} and weak["token"] is None
    done = gql(SET, {"token": token, "password": NEW_PASSWORD}).payload("setPassword")
    assert done["errors"] == [] and done["user"] == {"email": "mai@example.vn"}

    assert gql(ME, token=done["token"]).data["me"]["email"] == "mai@example.vn"
    assert gql(ME, token=before["token"]).status == 401  # the old access token
    refreshed = gql(TOKEN_REFRESH, {"refreshToken": before["refreshToken"]}).payload("tokenRefresh")
    assert [e["code"] for e in refreshed["errors"]] == ["INVALID_TOKEN"]  # the old refresh token
    assert User.objects.get(email="mai@example.vn").check_password(NEW_PASSWORD)
    again = gql(SET, {"token": token, "password": "Một-mật-khẩu-khác-2027"}).payload("setPassword")
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("token", "INVALID_TOKEN")]  # single use


def test_a_tampered_or_expired_token_is_refused(ask: Any, gql: GQL, make_user: Any, settings: Any) -> None:
    make_user(email="mai@example.vn")
    ask(email="mai@example.vn")
    token = _token(mail.outbox[-1])
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "MQ.abc-def", "garbage", ""):
        answer = gql(SET, {"token": bad, "password": NEW_PASSWORD}).payload("setPassword")
        assert [e["code"] for e in answer["errors"]] == ["INVALID_TOKEN"], bad
    settings.PASSWORD_RESET_TIMEOUT = -1  # every token is older than that
    expired = gql(SET, {"token": token, "password": NEW_PASSWORD}).payload("setPassword")
    assert [e["code"] for e in expired["errors"]] == ["INVALID_TOKEN"]
    assert User.objects.get(email="mai@example.vn").check_password(PASSWORD)


def test_requests_are_throttled_per_address_and_per_ip(ask: Any, settings: Any) -> None:
    settings.PASSWORD_RESET_THROTTLE_PER_ACCOUNT = 2
    settings.PASSWORD_RESET_THROTTLE_PER_IP = 3
    codes = [
        [
            e["code"]
            for e in ask(email="mai@example.vn", remote_addr=f"10.0.0.{n}").json["data"]["requestPasswordReset"][
                "errors"
            ]
        ]
        for n in range(3)
    ]
    assert codes == [[], [], ["THROTTLED"]]
    per_ip = [
        [
            e["code"]
            for e in ask(email=f"u{n}@example.vn", remote_addr="10.9.9.9").json["data"]["requestPasswordReset"][
                "errors"
            ]
        ]
        for n in range(4)
    ]
    assert per_ip == [[], [], [], ["THROTTLED"]]


def test_the_web_flow_from_the_login_page(make_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    make_user(email="mai@example.vn")
    browser, other_device = Client(), Client()
    other_device.post("/account/login", {"email": "mai@example.vn", "password": PASSWORD})
    assert other_device.get("/seller/").status_code == 200

    login = browser.get("/account/login").content.decode()
    assert "Quên mật khẩu?" in login and 'href="/account/password/forgot"' in login
    with django_capture_on_commit_callbacks(execute=True):
        sent = browser.post("/account/password/forgot", {"email": "mai@example.vn"})
    assert sent.status_code == 200 and "Kiểm tra e-mail" in sent.content.decode()
    token = _token(mail.outbox[-1])

    opened = browser.get(f"/account/password/reset/{token}")
    assert opened.status_code == 302 and opened["Location"] == "/account/password/new"  # token off the URL
    form = browser.get("/account/password/new")
    assert form.status_code == 200 and token not in form.content.decode()
    mismatch = browser.post("/account/password/new", {"password": NEW_PASSWORD, "password_again": "khác"})
    assert mismatch.status_code == 400
    done = browser.post("/account/password/new", {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert done.status_code == 200 and "_auth_user_id" in browser.session

    assert other_device.get("/seller/").status_code == 302  # that session ended with the old password
    used = Client().get(f"/account/password/reset/{token}")
    assert used.status_code == 400
