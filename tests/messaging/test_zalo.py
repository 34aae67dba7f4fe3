"""Zalo ZNS against recorded exchanges: token refresh and rotation, the exact send, error codes, receipts."""

from __future__ import annotations

import hashlib
import json
import threading
from contextlib import AbstractContextManager

import pytest

from messaging.base import DeliveryError, InboundRequest, InvalidReceipt, Message, ReceiptNotSupported, ReceiptStatus
from messaging.zalo import ERRORS, ZnsTemplate, env_name, templates_from_env
from messaging.zalo_oauth import MemoryTokenStore, ZaloTokenManager, ZaloTokens
from tests.messaging.conftest import NOW, ZALO_APP_ID, fresh_tokens, order_message, recorded, zalo
from tests.recorded_http import RecordedTransport, no_network, unreachable


def otp_message() -> Message:
    return order_message(kind="otp", idempotency_key="otp:84912345678:7", params={"otp": "482913"})


def answering(answer: dict[str, object], status: int = 200) -> RecordedTransport:
    exchange = recorded("zns_token_rejected_then_refreshed.json").exchanges[0]
    return RecordedTransport([{"request": exchange["request"], "response": {"status": status, "json": answer}}])


def test_refreshes_with_the_bootstrap_token_then_sends_the_documented_request() -> None:
    transport = recorded("zns_refresh_then_send.json")
    channel, store = zalo(transport, bootstrap="bootstrap-refresh-token")
    result = channel.send(order_message())
    assert transport.done
    assert result.ok and result.provider_message_id == "a4e3b1f0c1d2e3f4"
    assert result.info == {"remaining_quota": "499"}
    # The refresh token rotated: the new one is stored, the bootstrap one is never used again.
    assert store.tokens == ZaloTokens("access-1", "refresh-2", NOW + 90_000)


def test_a_fresh_token_is_used_without_refreshing() -> None:
    transport = answering({"error": 0, "data": {"msg_id": "m1"}})
    channel, store = zalo(transport, tokens=fresh_tokens())
    assert channel.send(otp_message()).provider_message_id == "m1"
    assert transport.done and store.tokens == fresh_tokens()


def test_a_rejected_token_is_refreshed_once_and_the_send_repeated() -> None:
    transport = recorded("zns_token_rejected_then_refreshed.json")
    channel, store = zalo(transport, tokens=fresh_tokens())
    result = channel.send(otp_message())
    assert transport.done and result.ok and result.provider_message_id == "b5f4c2"
    assert store.tokens is not None and store.tokens.refresh_token == "refresh-new"


def test_an_expiring_token_is_refreshed_before_sending() -> None:
    exchanges = recorded("zns_token_rejected_then_refreshed.json").exchanges[1:]
    transport = RecordedTransport(exchanges)
    expiring = ZaloTokens("access-old", "refresh-old", access_expires_at=NOW + 60)  # inside the 5 min margin
    channel, _ = zalo(transport, tokens=expiring)
    assert channel.send(otp_message()).ok and transport.done


def test_a_refused_refresh_is_an_auth_failure_of_the_whole_channel() -> None:
    refresh = recorded("zns_token_rejected_then_refreshed.json").exchanges[1]
    refused = {"error": -14014, "error_name": "Invalid refresh token", "error_description": "expired"}
    transport = RecordedTransport([{"request": refresh["request"], "response": {"status": 200, "json": refused}}])
    channel, store = zalo(transport, tokens=ZaloTokens("access-old", "refresh-old", 0))
    result = channel.send(otp_message())
    assert result.error is DeliveryError.AUTH_FAILED and result.channel_problem and not result.retryable
    assert result.provider_code == "-14014"
    assert store.tokens == ZaloTokens("access-old", "refresh-old", 0)  # nothing half-stored


def test_no_token_at_all() -> None:
    channel, _ = zalo(no_network)
    result = channel.send(otp_message())
    assert result.error is DeliveryError.AUTH_FAILED and result.provider_code == "NO_REFRESH_TOKEN"


def test_an_unreachable_oauth_server_is_retryable() -> None:
    channel, _ = zalo(unreachable, bootstrap="bootstrap-refresh-token")
    result = channel.send(otp_message())
    assert result.error is DeliveryError.AUTH_FAILED and result.retryable


def test_a_worker_that_lost_the_refresh_race_uses_the_winners_token() -> None:
    store = MemoryTokenStore(ZaloTokens("access-new", "refresh-new", NOW + 90_000))
    manager = ZaloTokenManager(ZALO_APP_ID, "zalo-app-secret", store, transport=no_network, clock=lambda: NOW)
    assert manager.refresh(stale="access-old").access_token == "access-new"


def test_refreshes_run_under_the_injected_lock() -> None:
    entered: list[str] = []
    lock = threading.Lock()

    class Recording(AbstractContextManager[object]):
        def __enter__(self) -> object:
            lock.acquire()
            entered.append("in")
            return None

        def __exit__(self, *args: object) -> None:
            lock.release()

    exchanges = recorded("zns_token_rejected_then_refreshed.json").exchanges[1:2]
    store = MemoryTokenStore(ZaloTokens("access-old", "refresh-old", 0))
    manager = ZaloTokenManager(
        ZALO_APP_ID, "zalo-app-secret", store, lock=Recording, transport=RecordedTransport(exchanges), clock=lambda: NOW
    )
    assert manager.access_token() == "access-new" and entered == ["in"] and not lock.locked()


@pytest.mark.parametrize(("code", "expected"), sorted(ERRORS.items()))
def test_error_codes(code: int, expected: tuple[DeliveryError, bool]) -> None:
    if code in (-124, -220):  # a token error is refreshed first: covered above
        return
    channel, _ = zalo(answering({"error": code, "message": "x"}), tokens=fresh_tokens())
    result = channel.send(otp_message())
    assert (result.error, result.retryable) == expected
    assert result.fallback and result.provider_code == str(code)


def test_the_cases_the_fallback_is_for() -> None:
    for code, error in ((-118, DeliveryError.RECIPIENT_UNREACHABLE), (-117, DeliveryError.TEMPLATE_REJECTED)):
        channel, _ = zalo(answering({"error": code, "message": "x"}), tokens=fresh_tokens())
        result = channel.send(otp_message())
        assert result.error is error and result.fallback and not result.channel_problem
    channel, _ = zalo(answering({"error": -115, "message": "Out of quota"}), tokens=fresh_tokens())
    assert channel.send(otp_message()).channel_problem
    channel, _ = zalo(answering({"error": -999, "message": "?"}), tokens=fresh_tokens())
    assert channel.send(otp_message()).error is DeliveryError.PROVIDER_ERROR


def test_no_template_or_a_missing_parameter_fails_without_calling() -> None:
    channel, _ = zalo(no_network, tokens=fresh_tokens())
    assert channel.send(order_message(kind="order.shipped")).error is DeliveryError.TEMPLATE_NOT_CONFIGURED
    missing = channel.send(order_message(params={"order_number": "CP1"}))
    assert missing.error is DeliveryError.TEMPLATE_DATA_INVALID and missing.needs_operator


def test_development_mode_is_sent() -> None:
    channel, _ = zalo(no_network, tokens=fresh_tokens(), development_mode=True)
    body = channel.request_body(otp_message(), ZnsTemplate("400001"), {"otp": "1"})
    assert body["mode"] == "development"


def test_templates_from_env() -> None:
    environ = {
        "ZNS_TEMPLATE_ORDER_PLACED": "312345",
        "ZNS_TEMPLATE_ORDER_PLACED_PARAMS": "order_code:order_number, total:total_text,broken",
        "ZNS_TEMPLATE_COD_TO_COLLECT": " 300111 ",
        "ZNS_TEMPLATE_OTP": "",
    }
    templates = templates_from_env(environ, ["order.placed", "cod.to_collect", "otp", "order.shipped"])
    assert templates == {
        "order.placed": ZnsTemplate("312345", {"order_code": "order_number", "total": "total_text"}),
        "cod.to_collect": ZnsTemplate("300111"),
    }
    assert env_name("cod.to_collect") == "ZNS_TEMPLATE_COD_TO_COLLECT"


def webhook(event: dict[str, object], secret: str = "oa-secret-key") -> InboundRequest:
    raw = json.dumps(event, separators=(",", ":")).encode()
    mac = hashlib.sha256(f"{event['app_id']}{raw.decode()}{event['timestamp']}{secret}".encode()).hexdigest()
    return InboundRequest(method="POST", body=raw, headers={"X-ZEvent-Signature": f"mac={mac}"})


RECEIVED = {
    "app_id": ZALO_APP_ID,
    "event_name": "user_received_message",
    "sender": {"id": "1397492183140006179"},
    "message": {"msg_id": "a4e3b1f0c1d2e3f4", "delivery_time": "1732600002000"},
    "timestamp": "1732600002500",
}


def test_delivery_receipts_from_the_oa_webhook() -> None:
    channel, _ = zalo(no_network)
    parsed = channel.parse_receipt(webhook(RECEIVED))
    assert parsed is not None and parsed.status is ReceiptStatus.DELIVERED
    assert parsed.provider_message_id == "a4e3b1f0c1d2e3f4" and parsed.at is not None
    assert channel.parse_receipt(webhook({**RECEIVED, "event_name": "user_send_text"})) is None


def test_forged_webhooks_are_refused() -> None:
    channel, _ = zalo(no_network)
    with pytest.raises(InvalidReceipt):
        channel.parse_receipt(webhook(RECEIVED, secret="attacker"))
    with pytest.raises(InvalidReceipt):
        channel.parse_receipt(webhook({**RECEIVED, "app_id": "999"}))
    tampered = webhook(RECEIVED)
    with pytest.raises(InvalidReceipt):
        channel.parse_receipt(
            InboundRequest("POST", body=tampered.body.replace(b"a4e3", b"ffff"), headers=tampered.headers)
        )
    with pytest.raises(InvalidReceipt):
        channel.parse_receipt(InboundRequest("POST", body=b"not json"))
    without_secret, _ = zalo(no_network, oa_secret_key=None)
    with pytest.raises(ReceiptNotSupported):
        without_secret.parse_receipt(webhook(RECEIVED))


def test_tokens_stay_out_of_reprs() -> None:
    channel, store = zalo(no_network, tokens=fresh_tokens("access-secret-1", "refresh-secret-1"))
    text = repr(channel) + repr(store.tokens) + repr(channel.tokens)
    assert "secret" not in text and "zalo-app-secret" not in text
