"""On PostgreSQL, with real concurrent connections: one code signs up one account however many
requests race with it (single use), and one verified phone belongs to one account."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from backend.accounts import otp, phone_auth
from backend.accounts.models import CodePurpose, PhoneCode, User
from backend.core.errors import DomainError

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PHONE = "+84912345678"
RACERS = 6


def _race(target: Any) -> list[Any]:
    barrier = threading.Barrier(RACERS)
    results: list[Any] = [None] * RACERS

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = target(i)
        except DomainError as exc:
            results[i] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def code(monkeypatch: Any) -> str:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite serialises every write")
    monkeypatch.setattr(otp.secrets, "choice", lambda digits: "7")
    otp.request_code(phone=PHONE, purpose=CodePurpose.SIGN_IN, ip=None)
    return "777777"


def test_a_code_is_used_once_under_concurrent_registrations(code: str) -> None:
    results = _race(
        lambda i: phone_auth.account_register_with_phone(phone=PHONE, code=code, full_name=f"racer {i}", ip=None)
    )
    created = [r for r in results if not isinstance(r, str)]
    assert len(created) == 1 and created[0].created, results
    # Every other racer is refused: the code is spent (INVALID_CODE), or, once five wrong tries have
    # been counted against the number, the number is locked for a while (THROTTLED).
    refused = [r for r in results if isinstance(r, str)]
    assert len(refused) == RACERS - 1 and set(refused) <= {"INVALID_CODE", "THROTTLED"}, results
    assert User.objects.filter(phone=PHONE, phone_verified=True).count() == 1
    assert PhoneCode.objects.get().used_at is not None
