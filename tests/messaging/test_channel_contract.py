"""The one contract every channel keeps, run against each of them: identity, addressing without the network,
failures as results (never exceptions), forged receipts refused, and secrets kept out of reprs."""

from __future__ import annotations

import pytest

from adapter_http import HttpResponse, Transport
from messaging.base import (
    AddressKind,
    Channel,
    DeliveryResult,
    InboundRequest,
    InvalidReceipt,
    Medium,
    ReceiptNotSupported,
    Recipient,
)
from messaging.email import EmailEnvelope
from messaging.registry import available_channels
from messaging.sandbox import ListSink
from messaging.zalo_oauth import MemoryTokenStore
from tests.messaging.conftest import fresh_tokens, order_message
from tests.recorded_http import no_network, unreachable

ENV = {
    "ESMS_API_KEY": "esms-api-key-contract",
    "ESMS_SECRET_KEY": "esms-secret-key-contract",
    "ESMS_BRANDNAME": "CHOPHIEN",
    "ESMS_CALLBACK_URL": "https://chophien.example/messaging/esms/receipt",
    "ZALO_APP_ID": "4291763606161179100",
    "ZALO_APP_SECRET": "zalo-app-secret-contract",
    "ZALO_OA_ID": "1397492183140006179",
    "ZALO_OA_SECRET_KEY": "zalo-oa-secret-contract",
    "ZNS_TEMPLATE_ORDER_PLACED": "312345",
}
SECRETS = [value for name, value in ENV.items() if "SECRET" in name or "KEY" in name]


def send_email(envelope: EmailEnvelope) -> str | None:
    return None


def channels(transport: Transport) -> dict[str, Channel]:
    real = available_channels(
        ENV,
        debug=False,
        send_email=send_email,
        zalo_token_store=MemoryTokenStore(fresh_tokens("access-token-contract", "refresh-token-contract")),
        transport=transport,
    )
    sandboxes = available_channels({}, debug=True, sink=ListSink())
    return {c.id: c for c in [*real, *sandboxes]}


IDS = sorted(channels(no_network))
NETWORKED = {"esms", "zalo_zns"}


def test_every_channel_is_offered() -> None:
    assert IDS == ["email", "esms", "sandbox_email", "sandbox_sms", "sandbox_zalo", "zalo_zns"]


@pytest.fixture(params=IDS)
def channel(request: pytest.FixtureRequest) -> Channel:
    return channels(no_network)[request.param]


def test_identity(channel: Channel) -> None:
    assert channel.id and channel.name
    assert isinstance(channel.medium, Medium)
    assert channel.address_kind is (AddressKind.EMAIL if channel.medium is Medium.EMAIL else AddressKind.PHONE)
    assert not any(secret in repr(channel) for secret in [*SECRETS, "access-token-contract"])


@pytest.mark.parametrize(
    "recipient", [Recipient(), Recipient(email="nope"), Recipient(phone="+84281234567"), Recipient(phone="0912")]
)
def test_unaddressable_recipients_fail_without_the_network(channel: Channel, recipient: Recipient) -> None:
    assert not channel.can_address(recipient)
    result = channel.send(order_message(recipient=recipient))  # the transport raises if called
    assert isinstance(result, DeliveryResult) and not result.ok and result.error is not None
    assert result.channel_id == channel.id


def test_the_right_recipient_is_addressable(channel: Channel) -> None:
    assert channel.can_address(order_message().recipient)


@pytest.mark.parametrize("channel_id", sorted(NETWORKED))
def test_an_outage_is_a_retryable_result(channel_id: str) -> None:
    result = channels(unreachable)[channel_id].send(order_message())
    assert not result.ok and result.retryable and result.channel_id == channel_id


@pytest.mark.parametrize(
    "request_",
    [
        InboundRequest(method="GET", path="/r/x/00", query={"SMSID": "1", "SendStatus": "5", "SendSuccess": "1"}),
        InboundRequest(method="POST", body=b'{"app_id":"4291763606161179100","timestamp":"1"}'),
        InboundRequest(method="POST", body=b"not json", headers={"X-ZEvent-Signature": "mac=00"}),
        InboundRequest(method="POST"),
    ],
)
def test_forged_receipts_are_refused(channel: Channel, request_: InboundRequest) -> None:
    with pytest.raises((InvalidReceipt, ReceiptNotSupported)):
        channel.parse_receipt(request_)
    reply = channel.receipt_reply(accepted=False)
    assert isinstance(reply, HttpResponse) and reply.status >= 400
