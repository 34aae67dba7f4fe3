"""The one contract every gateway adapter keeps, run against each of them: identity, replies for
every outcome, forged notifications refused before anything is read, and the action shape of a
payment start (for adapters that start without the network)."""

from __future__ import annotations

import pytest

from payments.base import (
    ActionKind,
    Gateway,
    GatewayUnavailable,
    HttpLikeRequest,
    InvalidSignature,
    NotificationReply,
    PaymentRequest,
    ReplyOutcome,
)
from payments.registry import available_gateways

ENV = {
    "SECRET_KEY": "contract-suite-secret",
    "VNPAY_TMN_CODE": "CHOPHIE1",
    "VNPAY_HASH_SECRET": "VNPAYSECRETVNPAYSECRETVNPAYSECRE",
    "MOMO_PARTNER_CODE": "MOMOCHOPHIEN",
    "MOMO_ACCESS_KEY": "momo-access-key",
    "MOMO_SECRET_KEY": "momo-secret-key-0123456789",
    "MOMO_ENDPOINT": "https://test-payment.momo.vn",
    "ZALOPAY_APP_ID": "2553",
    "ZALOPAY_KEY1": "zalopay-key1-0123456789",
    "ZALOPAY_KEY2": "zalopay-key2-0123456789",
    "ZALOPAY_ENDPOINT": "https://sb-openapi.zalopay.vn",
    "STRIPE_SECRET_KEY": "sk_test_chophien",
    "STRIPE_WEBHOOK_SECRET": "whsec_chophien_test",
    "VIETQR_BANK_BIN": "970436",
    "VIETQR_ACCOUNT_NO": "0011001234567",
    "VIETQR_ACCOUNT_NAME": "HTX CHO PHIEN",
    "PAYOS_CLIENT_ID": "payos-client",
    "PAYOS_API_KEY": "payos-api-key",
    "PAYOS_CHECKSUM_KEY": "payos-checksum-key-0123456789",
}
GATEWAYS = {g.id: g for g in available_gateways(ENV, debug=True, physical_goods=True)}
# Starting a payment at these calls the gateway's API over the network; their own tests cover it
# with fake transports.
STARTS_ONLINE = {"momo", "zalopay", "stripe"}
EXPECTED_ACTION = {
    "cod": ActionKind.NONE,
    "vnpay": ActionKind.REDIRECT,
    "sandbox": ActionKind.REDIRECT,
    "vietqr": ActionKind.QR,
}


def test_every_adapter_is_offered_with_its_settings() -> None:
    assert set(GATEWAYS) == {"cod", "vnpay", "momo", "zalopay", "vietqr", "stripe", "sandbox"}


@pytest.fixture(params=sorted(GATEWAYS))
def gateway(request: pytest.FixtureRequest) -> Gateway:
    return GATEWAYS[request.param]


def test_identity(gateway: Gateway) -> None:
    assert gateway.id and gateway.name
    assert isinstance(gateway.supports_refund, bool)
    secrets = [value for name, value in ENV.items() if "SECRET" in name or "KEY" in name]
    assert not any(secret in repr(gateway) for secret in secrets)  # never in logs


@pytest.mark.parametrize("outcome", list(ReplyOutcome))
def test_a_reply_for_every_outcome(gateway: Gateway, outcome: ReplyOutcome) -> None:
    reply = gateway.reply(outcome)
    assert isinstance(reply, NotificationReply)
    assert 200 <= reply.status < 600 and isinstance(reply.body, bytes)
    if outcome is ReplyOutcome.OK:
        assert reply.status in (200, 204)


@pytest.mark.parametrize(
    "request_",
    [
        HttpLikeRequest(method="GET", query={"vnp_TxnRef": "CP1", "vnp_Amount": "100", "vnp_SecureHash": "00"}),
        HttpLikeRequest(method="POST", body=b'{"orderId":"CP1","amount":100,"signature":"00","data":"{}"}'),
        HttpLikeRequest(method="POST", body=b"not json", headers={"Stripe-Signature": "t=1,v1=00"}),
        HttpLikeRequest(method="POST", body=b""),
    ],
)
def test_forged_notifications_are_refused(gateway: Gateway, request_: HttpLikeRequest) -> None:
    with pytest.raises((InvalidSignature, GatewayUnavailable)):
        gateway.parse_notification(request_)


def test_start_gives_the_documented_action(gateway: Gateway) -> None:
    if gateway.id in STARTS_ONLINE:
        pytest.skip("starts over the network; covered with a fake transport in its own tests")
    action = gateway.start(
        PaymentRequest(
            reference="CP261123ABCDEP1",
            amount=250_000,
            description="Thanh toan don hang CP261123ABCDE",
            return_url="https://chophien.example/payments/return",
            notify_url="https://chophien.example/payments/notify",
            created_at_epoch=1_795_000_000.0,
        )
    )
    assert action.kind is EXPECTED_ACTION[gateway.id]
    if action.kind is ActionKind.REDIRECT:
        assert action.url and action.url.startswith("http")
    if action.kind is ActionKind.QR:
        assert action.qr_payload and "CP261123ABCDEP1" in action.qr_payload


def test_refunds_never_exceed_the_captured_amount(gateway: Gateway) -> None:
    if gateway.supports_refund and gateway.id not in {"sandbox"}:
        pytest.skip("refunds call the gateway's API; covered with a fake transport in its own tests")
    result_or_error: object
    try:
        result_or_error = gateway.refund(reference="CP1", gateway_transaction_id="T1", amount=200, total=100)
    except ValueError as exc:
        result_or_error = exc
    assert isinstance(result_or_error, ValueError) or not getattr(result_or_error, "ok", True)
