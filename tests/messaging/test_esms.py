"""eSMS brandname SMS against recorded exchanges: the exact request, every documented answer, receipts."""

from __future__ import annotations

import pytest

from messaging.base import DeliveryError, InboundRequest, InvalidReceipt, ReceiptNotSupported, ReceiptStatus, Recipient
from messaging.esms import ERRORS, EsmsChannel
from tests.messaging.conftest import esms, order_message, recorded
from tests.recorded_http import RecordedTransport, no_network, unreachable


def answering(answer: dict[str, object], status: int = 200) -> RecordedTransport:
    """A transport that accepts whatever request the first recording holds and answers `answer`."""
    exchange = recorded("esms_send.json").exchanges[0]
    return RecordedTransport([{"request": exchange["request"], "response": {"status": status, "json": answer}}])


def test_sends_the_documented_request_folded_to_gsm7() -> None:
    transport = recorded("esms_send.json")
    result = esms(transport).send(order_message())
    assert transport.done
    assert result.ok and result.provider_message_id == "d533459ee42b2b9525ba9eabf6a8156"
    assert result.info == {"segments": "1", "unicode": "0"}
    assert transport.timeouts == [10.0]


def test_unicode_and_sandbox_modes_keep_the_diacritics() -> None:
    transport = recorded("esms_send_unicode_sandbox.json")
    channel = esms(transport, unicode=True, sandbox=True, callback_url=None)
    result = channel.send(order_message())
    assert transport.done and result.ok
    assert result.info["unicode"] == "1"


@pytest.mark.parametrize(("code", "error"), sorted((code, err) for code, (err, _) in ERRORS.items()))
def test_each_documented_error_code_is_typed(code: str, error: DeliveryError) -> None:
    result = esms(answering({"CodeResult": code, "ErrorMessage": "x"})).send(order_message())
    assert not result.ok and result.error is error and result.provider_code == code
    assert result.fallback  # another channel may still reach the person


def test_channel_wide_errors_are_flagged() -> None:
    for code in ("101", "103", "140"):
        assert esms(answering({"CodeResult": code})).send(order_message()).channel_problem
    assert not esms(answering({"CodeResult": "108"})).send(order_message()).channel_problem


def test_a_repeated_request_id_counts_as_sent_once() -> None:
    result = esms(answering({"CodeResult": "124", "ErrorMessage": "Request exist 1", "SendStatus": "5"})).send(
        order_message()
    )
    assert result.ok and result.duplicate and result.provider_message_id is None


@pytest.mark.parametrize(
    ("answer", "status", "error", "retryable"),
    [
        ({"error": "Invalid request"}, 200, DeliveryError.PROVIDER_ERROR, False),
        ({"CodeResult": "777"}, 200, DeliveryError.PROVIDER_ERROR, False),
        ({"Message": "down"}, 503, DeliveryError.PROVIDER_UNAVAILABLE, True),
        ({"Message": "slow down"}, 429, DeliveryError.RATE_LIMITED, True),
    ],
)
def test_unknown_answers_and_outages(
    answer: dict[str, object], status: int, error: DeliveryError, retryable: bool
) -> None:
    result = esms(answering(answer, status)).send(order_message())
    assert (result.ok, result.error, result.retryable) == (False, error, retryable)


def test_no_answer_is_retryable() -> None:
    result = esms(unreachable).send(order_message())
    assert result.error is DeliveryError.PROVIDER_UNAVAILABLE and result.retryable


def test_refuses_without_calling_when_it_cannot_send() -> None:
    channel = esms(no_network, max_segments=1)
    assert channel.send(order_message(recipient=Recipient(email="a@b.vn"))).error is DeliveryError.NO_ADDRESS
    assert (
        channel.send(order_message(recipient=Recipient(phone="+84281234567"))).error is DeliveryError.RECIPIENT_INVALID
    )
    assert (
        channel.send(order_message(recipient=Recipient(phone="+12025550123"))).error is DeliveryError.RECIPIENT_INVALID
    )
    assert channel.send(order_message(short_text="  ")).error is DeliveryError.CONTENT_REJECTED
    too_long = channel.send(order_message(short_text="Đơn hàng " * 30))
    assert too_long.error is DeliveryError.MESSAGE_TOO_LONG and too_long.fallback


def receipt(path_key: str, signature: str, **query: str) -> InboundRequest:
    return InboundRequest(method="GET", path=f"/messaging/esms/receipt/{path_key}/{signature}", query=query)


KEY = "order.placed%3ACP2611ABC%3Auser%3A42%3Aesms"
SIGNATURE = "e87cebf59e24d9a34b2de42827659589"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"SendStatus": "5", "SendSuccess": "1", "SendFailed": "0"}, ReceiptStatus.DELIVERED),
        ({"SendStatus": "5", "SendSuccess": "0", "SendFailed": "1"}, ReceiptStatus.FAILED),
        ({"SendStatus": "4", "SendSuccess": "0", "SendFailed": "0"}, ReceiptStatus.FAILED),
        ({"SendStatus": "7", "SendSuccess": "0", "SendFailed": "0"}, ReceiptStatus.PENDING),
    ],
)
def test_receipts_signed_in_the_callback_path(query: dict[str, str], status: ReceiptStatus) -> None:
    parsed = esms(no_network).parse_receipt(
        receipt(KEY, SIGNATURE, SMSID="d533459ee42b2b9525ba9eabf6a8156", TotalReceiver="1", telcoid="1", **query)
    )
    assert parsed is not None
    assert (parsed.status, parsed.provider_message_id) == (status, "d533459ee42b2b9525ba9eabf6a8156")
    assert parsed.idempotency_key == "order.placed:CP2611ABC:user:42:esms"


def test_forged_receipts_are_refused() -> None:
    channel = esms(no_network)
    query = {"SMSID": "x", "SendStatus": "5", "SendSuccess": "1"}
    with pytest.raises(InvalidReceipt):
        channel.parse_receipt(receipt(KEY, "0" * 32, **query))
    with pytest.raises(InvalidReceipt):
        channel.parse_receipt(receipt("order.placed%3AOTHER%3Aesms", SIGNATURE, **query))
    with pytest.raises(InvalidReceipt):
        channel.parse_receipt(receipt(KEY, SIGNATURE, SendStatus="5"))  # no SMSID
    with pytest.raises(ReceiptNotSupported):
        esms(no_network, callback_url=None).parse_receipt(receipt(KEY, SIGNATURE, **query))
    assert channel.receipt_reply(accepted=False).status == 403


def test_from_env() -> None:
    assert EsmsChannel.from_env({"ESMS_API_KEY": "k", "ESMS_SECRET_KEY": "s"}) is None
    channel = EsmsChannel.from_env(
        {
            "ESMS_API_KEY": "api-key-0123",
            "ESMS_SECRET_KEY": "secret-key-0123",
            "ESMS_BRANDNAME": "CHOPHIEN",
            "ESMS_UNICODE": "1",
            "ESMS_MAX_SEGMENTS": "2",
        }
    )
    assert channel is not None and channel.unicode and channel.max_segments == 2 and not channel.sandbox
    assert "api-key-0123" not in repr(channel) and "secret-key-0123" not in repr(channel)
