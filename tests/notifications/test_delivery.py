"""Delivery with a failing fake transport: retried with backoff, then the next channel; a repeated event
never sends twice; preferences, transactional kinds and quiet hours."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import transaction

from backend.notifications import services
from backend.notifications.channels import use_channels
from backend.notifications.models import DeliveryAttempt, Notification, NotificationStatus
from backend.outbox.models import OutboxItem, OutboxStatus
from backend.outbox.services import dispatch_due
from messaging.base import DeliveryError, Medium
from messaging.planner import VIETNAM_TZ
from messaging.sandbox import FlakyChannel

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 4, 12, 0, tzinfo=VIETNAM_TZ)


@pytest.fixture
def clock(monkeypatch: Any, settings: Any) -> Any:
    settings.NOTIFY_QUIET_HOURS = "21:00-07:00"
    state = {"now": NOON}

    class Clock:
        def __call__(self) -> datetime:
            return state["now"]

        def advance(self, seconds: float) -> None:
            state["now"] += timedelta(seconds=seconds)
            OutboxItem.objects.filter(status=OutboxStatus.PENDING).update(available_at=state["now"] - timedelta(1))

    monkeypatch.setattr(services, "clock", Clock())
    return Clock()


def _announce(user: Any, kind: str = "order.confirmed", event: str = "order:CP1:confirmed") -> Notification:
    with transaction.atomic():
        rows = services.notify(
            kind=kind, event_key=event, recipients=[user], params={"number": "CP1", "seller": "HTX Thái Phiên"}
        )
    return rows[0]


def _run(notification: Notification) -> str:
    return services.deliver(notification_id=notification.pk)


def test_failing_channel_is_retried_then_falls_back(make_user: Any, clock: Any) -> None:
    user = make_user(phone="+84912345678", phone_verified=True)
    zalo = FlakyChannel(Medium.ZALO, failures=99)
    sms = FlakyChannel(Medium.SMS, failures=0)
    note = _announce(user)
    with use_channels([zalo, sms]):
        assert _run(note) == NotificationStatus.PENDING  # first failure: wait 30 s
        clock.advance(29)
        assert _run(note) == NotificationStatus.PENDING and zalo.calls == 1  # not yet due
        clock.advance(1)
        assert _run(note) == NotificationStatus.PENDING and zalo.calls == 2  # then 2 min
        clock.advance(120)
        assert _run(note) == NotificationStatus.SENT
    assert (zalo.calls, sms.calls) == (3, 1)
    note.refresh_from_db()
    assert note.status == NotificationStatus.SENT and note.channel_id == "flaky_sms"
    attempts = list(DeliveryAttempt.objects.filter(notification=note).values_list("channel_id", "ok", "error"))
    assert attempts == [("flaky_zalo", False, "PROVIDER_UNAVAILABLE")] * 3 + [("flaky_sms", True, "")]
    # Each wait was an outbox item due at the retry time.
    assert OutboxItem.objects.filter(kind="notifications.deliver").count() >= 3


def test_the_dispatcher_carries_the_retries(make_user: Any, clock: Any) -> None:
    user = make_user(phone="+84912345678")
    zalo = FlakyChannel(Medium.ZALO, failures=1)
    _announce(user)
    with use_channels([zalo]):
        dispatch_due()
        clock.advance(30)
        dispatch_due()
    assert zalo.calls == 2 and Notification.objects.get().status == NotificationStatus.SENT


def test_non_retryable_failure_falls_back_at_once_and_every_failure_is_recorded(make_user: Any, clock: Any) -> None:
    user = make_user(phone="+84912345678")
    zalo = FlakyChannel(Medium.ZALO, failures=1, error=DeliveryError.RECIPIENT_UNREACHABLE, retryable=False)
    sms = FlakyChannel(Medium.SMS, failures=9, error=DeliveryError.CONTENT_REJECTED, retryable=False)
    note = _announce(user)
    with use_channels([zalo, sms]):
        assert _run(note) == NotificationStatus.FAILED
    note.refresh_from_db()
    assert note.error == "CONTENT_REJECTED" and (zalo.calls, sms.calls) == (1, 1)


def test_a_repeated_event_never_sends_twice(make_user: Any, clock: Any) -> None:
    user = make_user(phone="+84912345678")
    zalo = FlakyChannel(Medium.ZALO, failures=0)
    first = _announce(user)
    with transaction.atomic():
        assert (
            services.notify(kind="order.confirmed", event_key="order:CP1:confirmed", recipients=[user], params={}) == []
        )
    with use_channels([zalo]):
        _run(first)
        _run(first)  # the outbox ran the item again after a crash
        dispatch_due()
    assert zalo.calls == 1 and Notification.objects.count() == 1


def test_muted_kinds_and_transactional_ones(make_user: Any, clock: Any) -> None:
    user = make_user(phone="+84912345678")
    services.set_preference(user=user, kind="marketing.news", muted=True)
    services.set_preference(user=user, kind="order.confirmed", muted=True, disabled_mediums=["zalo", "sms", "email"])
    zalo = FlakyChannel(Medium.ZALO, failures=0)
    with use_channels([zalo]):
        news = services.notify(kind="marketing.news", event_key="x", recipients=[user], params={"text": "hi"})[0]
        assert _run(news) == NotificationStatus.SUPPRESSED
        # Transactional: cannot be muted, and with every medium off it still goes somewhere.
        assert _run(_announce(user)) == NotificationStatus.SENT
    assert zalo.calls == 1


def test_quiet_hours_hold_non_urgent_messages_until_morning(make_user: Any, clock: Any) -> None:
    user = make_user(phone="+84912345678")
    clock.advance(10 * 3600)  # 22:00
    zalo = FlakyChannel(Medium.ZALO, failures=0)
    with use_channels([zalo]):
        later = _announce(user)
        assert _run(later) == NotificationStatus.PENDING and zalo.calls == 0
        urgent = _announce(user, kind="order.placed", event="order:CP1:placed")
        assert _run(urgent) == NotificationStatus.SENT and zalo.calls == 1
        waiting = OutboxItem.objects.filter(kind="notifications.deliver", status=OutboxStatus.PENDING)
        assert waiting.filter(available_at__gte=clock() + timedelta(hours=8, minutes=59)).exists()
        clock.advance(9 * 3600)  # 07:00
        assert _run(later) == NotificationStatus.SENT and zalo.calls == 2


def test_messages_are_rendered_in_the_recipients_language() -> None:
    from backend.notifications import catalog

    params = {"number": "CP1", "total": "150.000 đ"}
    assert "cảm ơn" in catalog.render("order.placed", params, language="vi").text
    assert "thank you" in catalog.render("order.placed", params, language="en").text
    code = catalog.render("otp", {"code": "123456", "purpose": "SIGN_IN", "minutes": "5"}, language="vi")
    assert "123456" in code.short_text and "để đăng nhập" in code.short_text


def test_zns_is_offered_when_configured_and_keeps_its_rotating_tokens_in_the_database(monkeypatch: Any) -> None:
    from backend.notifications.channels import DatabaseTokenStore, channels
    from messaging.zalo_oauth import ZaloTokens

    for name, value in {"ZALO_APP_ID": "1", "ZALO_APP_SECRET": "s", "ZALO_OA_ID": "2"}.items():
        monkeypatch.setenv(name, value)
    assert next(c.id for c in channels()) == "zalo_zns"
    store = DatabaseTokenStore()
    assert store.get() is None
    store.set(ZaloTokens("a1", "r1", 100.0))
    store.set(ZaloTokens("a2", "r2", 200.0))
    assert store.get() == ZaloTokens("a2", "r2", 200.0)
