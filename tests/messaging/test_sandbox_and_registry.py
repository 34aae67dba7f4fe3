"""Sandbox channels write what a tester must read; the registry offers channels from configuration."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from messaging.base import DeliveryError, Medium, Recipient
from messaging.email import EmailChannel, EmailEnvelope
from messaging.esms import EsmsChannel
from messaging.planner import QuietHours
from messaging.registry import ConfigurationError, available_channels, channel_by_id, quiet_hours_from_env
from messaging.sandbox import FlakyChannel, ListSink, SandboxChannel
from messaging.zalo import ZaloZnsChannel
from messaging.zalo_oauth import MemoryTokenStore
from tests.messaging.conftest import PHONE, order_message

AT = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)
ESMS = {"ESMS_API_KEY": "k", "ESMS_SECRET_KEY": "s", "ESMS_BRANDNAME": "CHOPHIEN"}
ZALO = {"ZALO_APP_ID": "1", "ZALO_APP_SECRET": "s", "ZALO_OA_ID": "2", "ZNS_TEMPLATE_OTP": "400001"}


def send_email(envelope: EmailEnvelope) -> str | None:
    return None


def test_the_sandbox_records_what_the_recipient_would_read() -> None:
    sink = ListSink()
    sms, zalo, email = (SandboxChannel(m, sink, clock=lambda: AT) for m in (Medium.SMS, Medium.ZALO, Medium.EMAIL))
    otp = order_message(kind="otp", short_text="Mã OTP của bạn là 482913", params={"otp": "482913"})
    assert sms.send(otp).ok and zalo.send(otp).ok and email.send(order_message()).ok
    entry = sink.latest(address=PHONE, kind="otp")
    assert entry is not None and entry.channel_id == "sandbox_zalo" and "otp: 482913" in entry.text
    sms_entry = sink.entries[0]
    assert (sms_entry.text, sms_entry.medium, sms_entry.at) == ("Ma OTP cua ban la 482913", Medium.SMS, AT)
    assert sink.latest(address="lan@example.vn") is not None
    assert sms.send(otp).provider_message_id == sink.entries[0].provider_message_id  # stable per key
    assert sms.send(order_message(recipient=Recipient(email="a@b.vn"))).error is DeliveryError.NO_ADDRESS


def test_the_flaky_fake_fails_exactly_n_times() -> None:
    flaky = FlakyChannel(Medium.SMS, failures=2, inner=SandboxChannel(Medium.SMS, ListSink()))
    results = [flaky.send(order_message()) for _ in range(3)]
    assert [r.ok for r in results] == [False, False, True]
    assert results[0].retryable and results[2].channel_id == "sandbox_sms"


def test_production_offers_only_configured_channels() -> None:
    assert available_channels({}, debug=False, sink=ListSink()) == []
    channels = available_channels(
        {**ESMS, **ZALO}, debug=False, send_email=send_email, zalo_token_store=MemoryTokenStore()
    )
    assert [type(c) for c in channels] == [ZaloZnsChannel, EsmsChannel, EmailChannel]
    zns = channel_by_id(channels, "zalo_zns")
    assert isinstance(zns, ZaloZnsChannel) and list(zns.templates) == ["otp"]


def test_zalo_needs_a_token_store() -> None:
    channels = available_channels({**ZALO}, debug=False)
    assert channels == []


def test_debug_fills_the_gaps_with_sandboxes() -> None:
    sink = ListSink()
    channels = available_channels(ESMS, debug=True, sink=sink)
    assert [c.id for c in channels] == ["sandbox_zalo", "esms", "sandbox_email"]
    forced = available_channels(
        {**ESMS, "SMS_PROVIDER": "sandbox", "EMAIL_CHANNEL": "sandbox"}, debug=True, sink=sink, send_email=send_email
    )
    assert [c.id for c in forced] == ["sandbox_zalo", "sandbox_sms", "sandbox_email"]
    no_sandbox_in_production = available_channels({"SMS_PROVIDER": "sandbox"}, debug=False, sink=sink)
    assert no_sandbox_in_production == []


def test_an_unknown_sms_provider_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError):
        available_channels({"SMS_PROVIDER": "speedsms"}, debug=True)


def test_email_message_ids_use_the_public_host() -> None:
    channel = available_channels({"PUBLIC_URL": "https://chophien.lamdong.gov.vn"}, debug=False, send_email=send_email)
    assert isinstance(channel[0], EmailChannel) and channel[0].message_id_domain == "chophien.lamdong.gov.vn"


def test_quiet_hours_setting() -> None:
    assert quiet_hours_from_env({}) == QuietHours()
    assert quiet_hours_from_env({"NOTIFY_QUIET_HOURS": "off"}) is None
