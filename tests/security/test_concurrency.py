"""Single use under real concurrency (threads, each with its own connection and transactions; run
on PostgreSQL with DATABASE_URL): a reset link sets the password once however many requests race."""

from __future__ import annotations

from typing import Any

import pytest

from backend.accounts import recovery
from backend.accounts.models import User
from backend.accounts.tokens import password_reset_token
from tests.orders.test_concurrency import _run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reset_token_sets_the_password_once_under_a_race(make_user: Any, settings: Any) -> None:
    settings.PASSWORD_RESET_THROTTLE_PER_IP = 100
    user = make_user(email="mai@example.vn")
    token = password_reset_token(user)
    passwords = [f"Mật-khẩu-đua-{n}-2026" for n in range(4)]

    outcomes = _run_concurrently(
        [lambda p=p: recovery.set_password(token=token, password=p, ip=None) for p in passwords]
    )

    assert outcomes.unexpected == []
    assert len(outcomes.results) == 1 and outcomes.codes == ["INVALID_TOKEN"] * 3
    user = User.objects.get(pk=user.pk)
    assert len([p for p in passwords if user.check_password(p)]) == 1
    assert user.token_version == 1  # one change, one revocation
