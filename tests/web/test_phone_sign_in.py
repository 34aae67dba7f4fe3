"""The web pages for phones: sign in (or up) with a code, and a new password by phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from backend.accounts.models import User
from tests.notifications.helpers import PHONE, last_code, sandbox

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sandbox")]
__all__ = ["sandbox"]


def _post(client: Any, url: str, data: dict[str, str], capture: Any) -> Any:
    with capture(execute=True):
        return client.post(url, data)


def test_sign_up_then_sign_in_with_a_phone(client: Any, django_capture_on_commit_callbacks: Any) -> None:
    page = client.get("/account/phone")
    assert page.status_code == 200 and b'name="phone"' in page.content
    asked = _post(
        client, "/account/phone", {"step": "phone", "phone": "0912 345 678"}, django_capture_on_commit_callbacks
    )
    assert asked.status_code == 200 and PHONE.encode() in asked.content and b'name="code"' in asked.content

    wrong = client.post("/account/phone", {"step": "code", "code": "12345"})
    assert wrong.status_code == 400 and not User.objects.exists()

    done = client.post("/account/phone", {"step": "code", "code": last_code(), "full_name": "Bà Hoa", "next": "/cart/"})
    assert done.status_code == 302 and done["Location"] == "/cart/"
    user = User.objects.get()
    assert user.full_name == "Bà Hoa" and user.phone_verified and user.email is None
    assert client.get("/seller/").status_code == 200  # the portal opens for a phone-only account

    client.post("/account/logout")
    cache.clear()
    _post(client, "/account/phone", {"step": "phone", "phone": PHONE}, django_capture_on_commit_callbacks)
    again = client.post("/account/phone", {"step": "code", "code": last_code()})
    assert again.status_code == 302 and User.objects.count() == 1
    assert int(client.session["_auth_user_id"]) == user.pk


def test_new_password_by_phone(client: Any, make_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    user = make_user(phone=PHONE, phone_verified=True)
    asked = _post(
        client, "/account/password/phone", {"step": "phone", "phone": "0912345678"}, django_capture_on_commit_callbacks
    )
    assert asked.status_code == 200
    new = "Một-mật-khẩu-mới-2026"
    data = {"step": "code", "code": last_code(), "password": new, "password_again": new}
    done = client.post("/account/password/phone", data)
    assert done.status_code == 200
    user.refresh_from_db()
    assert user.check_password(new)


def test_unknown_number_gets_the_same_reset_page(client: Any, django_capture_on_commit_callbacks: Any) -> None:
    asked = _post(
        client, "/account/password/phone", {"step": "phone", "phone": "0912345678"}, django_capture_on_commit_callbacks
    )
    assert asked.status_code == 200 and b'name="code"' in asked.content


def test_notification_preferences_in_the_account(client: Any, make_user: Any) -> None:
    from backend.notifications.models import NotificationPreference

    user = make_user()
    assert client.get("/account/notifications").status_code == 302  # sign in first
    client.force_login(user)
    page = client.get("/account/notifications")
    assert page.status_code == 200 and b'name="mute:marketing.news"' in page.content
    assert b'name="mute:order.placed"' not in page.content  # transactional: cannot be turned off
    data = {"mute:marketing.news": "1", "mute:order.placed": "1", "on:order.placed:sms": "1"}
    assert client.post("/account/notifications", data).status_code == 302
    prefs = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    assert prefs["marketing.news"].muted is True
    assert prefs["order.placed"].muted is False and prefs["order.placed"].disabled_mediums == "email,zalo"
