"""The fallback planner: order, addresses, preferences, transactional kinds and quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import pytest

from messaging.base import Medium, Recipient
from messaging.planner import (
    VIETNAM_TZ,
    DeliveryPlan,
    KindPolicy,
    Preferences,
    QuietHours,
    SkipReason,
    plan_delivery,
)
from messaging.sandbox import ListSink, SandboxChannel

SINK = ListSink()
CHANNELS = [SandboxChannel(Medium.EMAIL, SINK), SandboxChannel(Medium.SMS, SINK), SandboxChannel(Medium.ZALO, SINK)]
EVERYONE = Recipient(email="lan@example.vn", phone="+84912345678")
NOON = datetime(2026, 11, 26, 12, 0, tzinfo=VIETNAM_TZ)
LATE = datetime(2026, 11, 26, 22, 30, tzinfo=VIETNAM_TZ)


def plan(kind: str = "order.shipped", recipient: Recipient = EVERYONE, now: datetime = NOON, **kw: Any) -> DeliveryPlan:
    return plan_delivery(kind=kind, channels=CHANNELS, recipient=recipient, now=now, **kw)


def test_default_order_is_zalo_sms_email_whatever_the_channels_order() -> None:
    assert plan().channels == ("sandbox_zalo", "sandbox_sms", "sandbox_email")
    assert plan().not_before is None


def test_only_reachable_channels() -> None:
    phone_only = plan(recipient=Recipient(phone="+84912345678"))
    assert phone_only.channels == ("sandbox_zalo", "sandbox_sms")
    assert phone_only.skipped == {Medium.EMAIL: SkipReason.NO_ADDRESS}
    assert plan(recipient=Recipient(email="a@b.vn")).channels == ("sandbox_email",)
    assert plan(recipient=Recipient(phone="+84281234567")).channels == ()  # a landline: no SMS, no Zalo


def test_a_missing_channel_is_skipped() -> None:
    result = plan_delivery(kind="order.shipped", channels=CHANNELS[:1], recipient=EVERYONE, now=NOON)
    assert result.channels == ("sandbox_email",)
    assert result.skipped == {Medium.ZALO: SkipReason.NOT_AVAILABLE, Medium.SMS: SkipReason.NOT_AVAILABLE}


def test_an_otp_never_goes_by_email() -> None:
    result = plan(kind="otp", recipient=Recipient(email="a@b.vn"))
    assert result.empty and result.skipped[Medium.EMAIL] is SkipReason.NOT_ALLOWED


def test_channel_opt_outs_and_the_personal_order() -> None:
    prefs = Preferences(disabled={"order.shipped": frozenset({Medium.ZALO})}, order=(Medium.EMAIL,))
    result = plan(preferences=prefs)
    assert result.channels == ("sandbox_email", "sandbox_sms")
    assert result.skipped == {Medium.ZALO: SkipReason.OPTED_OUT}
    everywhere = Preferences(disabled={"*": frozenset({Medium.SMS})})
    assert plan(kind="refund.issued", preferences=everywhere).channels == ("sandbox_zalo", "sandbox_email")


def test_transactional_kinds_cannot_be_turned_off() -> None:
    prefs = Preferences(muted_kinds=frozenset({"order.shipped"}), disabled={"*": frozenset(Medium)})
    result = plan(preferences=prefs)
    assert result.channels == ("sandbox_zalo", "sandbox_sms", "sandbox_email")
    assert result.preferences_overridden and not result.suppressed


def test_other_kinds_can() -> None:
    muted = plan(kind="marketing.news", preferences=Preferences(muted_kinds=frozenset({"marketing.news"})))
    assert muted.suppressed and muted.empty
    off = plan(kind="marketing.news", preferences=Preferences(disabled={"*": frozenset(Medium)}))
    assert off.empty and not off.preferences_overridden
    assert set(off.skipped.values()) == {SkipReason.OPTED_OUT}


def test_non_urgent_kinds_wait_for_the_end_of_quiet_hours() -> None:
    waiting = plan(now=LATE)
    assert waiting.not_before == datetime(2026, 11, 27, 7, 0, tzinfo=VIETNAM_TZ)
    early = plan(now=datetime(2026, 11, 27, 5, 59, tzinfo=VIETNAM_TZ))
    assert early.not_before == datetime(2026, 11, 27, 7, 0, tzinfo=VIETNAM_TZ)
    assert plan(now=datetime(2026, 11, 27, 7, 0, tzinfo=VIETNAM_TZ)).not_before is None
    # 15:30 UTC is 22:30 in Vietnam.
    assert plan(now=datetime(2026, 11, 26, 15, 30, tzinfo=UTC)).not_before is not None


def test_urgent_kinds_and_switched_off_quiet_hours_do_not_wait() -> None:
    assert plan(kind="otp", now=LATE).not_before is None
    assert plan(kind="order.placed", now=LATE).not_before is None
    assert plan(now=LATE, quiet_hours=None).not_before is None
    own = Preferences(quiet_hours=QuietHours(start=time(23, 0), end=time(6, 0)))
    assert plan(now=LATE, preferences=own).not_before is None


def test_unknown_kinds_are_transactional_and_can_follow_a_policy_of_the_backend() -> None:
    assert plan(kind="something.new", preferences=Preferences(muted_kinds=frozenset({"something.new"}))).channels
    policies = {"harvest.reminder": KindPolicy(transactional=False, urgent=False, mediums=(Medium.ZALO,))}
    assert plan(kind="harvest.reminder", policies=policies).channels == ("sandbox_zalo",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21:00-07:00", QuietHours()),
        ("22:30 - 06:15", QuietHours(time(22, 30), time(6, 15))),
        ("off", None),
        ("", None),
    ],
)
def test_quiet_hours_parse(text: str, expected: QuietHours | None) -> None:
    assert QuietHours.parse(text) == expected


def test_daytime_quiet_hours_and_bad_input() -> None:
    siesta = QuietHours(start=time(12, 0), end=time(13, 30))
    assert siesta.contains(NOON) and not siesta.contains(LATE)
    with pytest.raises(ValueError):
        QuietHours.parse("late")
    with pytest.raises(ValueError):
        plan(now=datetime(2026, 11, 26, 12, 0))
