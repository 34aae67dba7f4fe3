"""E-mail through the injected send function, and SMS text folding and segment counting."""

from __future__ import annotations

import smtplib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from messaging.base import DeliveryError, Recipient
from messaging.email import EmailChannel, EmailEnvelope, EmailRejected
from messaging.text import fold_vietnamese, is_gsm7, sms_length, to_gsm7
from tests.messaging.conftest import order_message


def test_the_envelope_and_a_stable_message_id() -> None:
    sent: list[EmailEnvelope] = []
    channel = EmailChannel(lambda envelope: sent.append(envelope) or None, message_id_domain="chophien.example")
    first, again = channel.send(order_message()), channel.send(order_message())
    assert first.ok and first.provider_message_id == again.provider_message_id
    assert first.provider_message_id is not None and first.provider_message_id.endswith("@chophien.example>")
    envelope = sent[0]
    assert (envelope.to, envelope.subject, envelope.text) == (
        "lan@example.vn",
        "Đơn hàng CP2611ABC",
        "Chào chị Lan, đơn hàng CP2611ABC đã được đặt.",
    )
    assert envelope.headers == {"X-Notification-Kind": "order.placed", "Content-Language": "vi"}
    other = channel.send(order_message(idempotency_key="order.placed:CP2611ABC:user:43"))
    assert other.provider_message_id != first.provider_message_id


def refusing(exc: Exception) -> EmailChannel:
    def send(envelope: EmailEnvelope) -> str | None:
        raise exc

    return EmailChannel(send)


@pytest.mark.parametrize(
    ("exc", "error", "retryable"),
    [
        (smtplib.SMTPRecipientsRefused({"lan@example.vn": (550, b"no such user")}), "RECIPIENT_UNREACHABLE", False),
        (smtplib.SMTPDataError(554, b"rejected"), "RECIPIENT_UNREACHABLE", False),
        (smtplib.SMTPDataError(451, b"try later"), "PROVIDER_UNAVAILABLE", True),
        (smtplib.SMTPServerDisconnected("gone"), "PROVIDER_UNAVAILABLE", True),
        (ConnectionRefusedError(), "PROVIDER_UNAVAILABLE", True),
        (EmailRejected("bounced", permanent=True), "RECIPIENT_UNREACHABLE", False),
        (EmailRejected("greylisted", permanent=False), "RECIPIENT_UNREACHABLE", True),
    ],
)
def test_send_failures_are_typed(exc: Exception, error: str, retryable: bool) -> None:
    result = refusing(exc).send(order_message())
    assert (result.ok, result.error, result.retryable) == (False, DeliveryError(error), retryable)


def test_no_address() -> None:
    channel = refusing(AssertionError("must not be called"))
    for recipient in (Recipient(phone="+84912345678"), Recipient(email="not-an-address")):
        assert channel.send(order_message(recipient=recipient)).error is DeliveryError.NO_ADDRESS


def test_folding_vietnamese() -> None:
    assert fold_vietnamese("Đà Lạt — Hồ Xuân Hương") == "Da Lat — Ho Xuan Huong"
    assert to_gsm7("Mã OTP “482913” – hết hạn sau 5 phút… 🌿") == 'Ma OTP "482913" - het han sau 5 phut... '
    assert to_gsm7("Tổng: 150.000₫") == "Tong: 150.000d"


@pytest.mark.parametrize(
    ("text", "unicode", "segments"),
    [
        ("a" * 160, False, 1),
        ("a" * 161, False, 2),
        ("a" * 306, False, 2),
        ("a" * 307, False, 3),
        ("[" * 80, False, 1),  # extension characters take two septets
        ("[" * 81, False, 2),
        ("ạ" * 70, True, 1),
        ("ạ" * 71, True, 2),
        ("ạ" * 134, True, 2),
        ("ạ" * 135, True, 3),
    ],
)
def test_segments(text: str, unicode: bool, segments: int) -> None:
    length = sms_length(text)
    assert (length.unicode, length.segments) == (unicode, segments)


@given(st.text(max_size=400))
def test_folded_text_is_gsm7_and_folding_again_changes_nothing(text: str) -> None:
    folded = to_gsm7(text)
    assert is_gsm7(folded) and not sms_length(folded).unicode
    assert to_gsm7(folded) == folded
