"""The one contract every gateway adapter keeps, run against each of them: identity and what it
says about itself, replies for every outcome, forged notifications refused before anything is read,
and `start` and `refund` for every gateway, over recorded transports (no network: each gateway's
HTTP client answers with the gateway's documented success body and records the call)."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from payments.base import (
    ActionKind,
    Gateway,
    GatewayUnavailable,
    HttpLikeRequest,
    InvalidSignature,
    Notification,
    NotificationReply,
    NotificationStatus,
    PaymentRequest,
    ReplyOutcome,
)
from payments.momo import MoMoGateway
from payments.registry import available_gateways
from payments.stripe_gateway import StripeGateway
from payments.vnpay import VNPayGateway
from payments.zalopay import ZaloPayGateway
from tests.payments.recorded import RecordedTransport

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

# The gateways' documented success answers, replayed by the recorded transports.
START_ANSWERS: dict[str, dict[str, Any]] = {
    "momo": {"resultCode": 0, "message": "Thành công.", "payUrl": "https://test-payment.momo.vn/pay/abc"},
    "zalopay": {"return_code": 1, "order_url": "https://sbgateway.zalopay.vn/openinapp?order=abc"},
    "stripe": {"id": "pi_123", "object": "payment_intent", "client_secret": "pi_123_secret_abc"},
}
REFUND_ANSWERS: dict[str, dict[str, Any]] = {
    "vnpay": {"vnp_ResponseCode": "00", "vnp_Message": "Refund success", "vnp_TransactionNo": "14422999"},
    "momo": {"resultCode": 0, "message": "Thành công.", "transId": 4088878999},
    "zalopay": {"return_code": 1, "return_message": "refunded"},
    "stripe": {"id": "re_1", "object": "refund", "status": "succeeded", "amount": 100_000},
}
# The gateway's own transaction id as its notification gives it (what a refund names).
TRANSACTION_IDS = {"vnpay": "14422574", "momo": "4088878653", "zalopay": "251123999", "stripe": "pi_123"}
EXPECTED_ACTION = {
    "cod": ActionKind.NONE,
    "vnpay": ActionKind.REDIRECT,
    "momo": ActionKind.REDIRECT,
    "zalopay": ActionKind.REDIRECT,
    "sandbox": ActionKind.REDIRECT,
    "vietqr": ActionKind.QR,
    "stripe": ActionKind.CLIENT_SECRET,
}
PAYMENT = PaymentRequest(
    reference="CP261123ABCDEP1",
    amount=250_000,
    description="Thanh toan don hang CP261123ABCDE",
    return_url="https://chophien.example/payments/return",
    notify_url="https://chophien.example/payments/notify",
    created_at_epoch=1_795_000_000.0,
)


def test_every_adapter_is_offered_with_its_settings() -> None:
    assert set(GATEWAYS) == {"cod", "vnpay", "momo", "zalopay", "vietqr", "stripe", "sandbox"}


@pytest.fixture(params=sorted(GATEWAYS))
def gateway(request: pytest.FixtureRequest) -> Gateway:
    return GATEWAYS[request.param]


@pytest.fixture(params=sorted(GATEWAYS))
def gateway_id(request: pytest.FixtureRequest) -> str:
    gateway_id: str = request.param
    return gateway_id


def with_transport(gateway_id: str, recorded: RecordedTransport) -> Gateway:
    """The gateway built from the same settings, its HTTP client replaced by `recorded`."""
    if gateway_id == "vnpay":
        return VNPayGateway.from_env(ENV, opener=recorded.urllib_opener) or pytest.fail("vnpay")
    if gateway_id == "momo":
        return MoMoGateway.from_env(ENV, opener=recorded.urllib_opener) or pytest.fail("momo")
    if gateway_id == "zalopay":
        return ZaloPayGateway(
            app_id=ENV["ZALOPAY_APP_ID"],
            key1=ENV["ZALOPAY_KEY1"],
            key2=ENV["ZALOPAY_KEY2"],
            endpoint=ENV["ZALOPAY_ENDPOINT"],
            opener=recorded.form_opener,
        )
    if gateway_id == "stripe":
        client = stripe.StripeClient(ENV["STRIPE_SECRET_KEY"], http_client=recorded.stripe_client())
        return StripeGateway(
            secret_key=ENV["STRIPE_SECRET_KEY"], webhook_secret=ENV["STRIPE_WEBHOOK_SECRET"], client=client
        )
    return GATEWAYS[gateway_id]  # no network: cod, sandbox, vietqr


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


def test_what_each_gateway_says_about_itself(gateway: Gateway) -> None:
    assert gateway.label and isinstance(gateway.is_cash, bool) and isinstance(gateway.supports_query, bool)
    assert gateway.notify_method in ("GET", "POST")
    for path in (gateway.notify_path, gateway.return_path):
        assert path is None or path.startswith("/payments/")
    # Only cash has no server-to-server confirmation.
    assert (gateway.notify_path is None) is gateway.is_cash
    merchant = gateway.merchant_id
    assert merchant is None or (isinstance(merchant, str) and merchant in ENV.values())


def test_the_reference_a_notification_names(gateway: Gateway) -> None:
    notification = Notification(
        reference="CP261123ABCDEP1", amount=1, status=NotificationStatus.PAID, gateway_transaction_id="T"
    )
    assert gateway.payment_reference(notification).upper() == "CP261123ABCDEP1"


def test_start_gives_the_documented_action(gateway_id: str) -> None:
    recorded = RecordedTransport(START_ANSWERS.get(gateway_id))
    action = with_transport(gateway_id, recorded).start(PAYMENT)
    assert action.kind is EXPECTED_ACTION[gateway_id]
    if action.kind is ActionKind.REDIRECT:
        assert action.url and action.url.startswith("http")
    if action.kind is ActionKind.QR:
        assert action.qr_payload and "CP261123ABCDEP1" in action.qr_payload
    if action.kind is ActionKind.CLIENT_SECRET:
        assert action.client_secret
    # Only the gateways whose start is an API call used the network, once each.
    assert len(recorded.calls) == (1 if gateway_id in START_ANSWERS else 0)


def test_refund_within_the_captured_amount(gateway_id: str) -> None:
    recorded = RecordedTransport(REFUND_ANSWERS.get(gateway_id))
    gateway = with_transport(gateway_id, recorded)
    result = gateway.refund(
        reference="CP261123ABCDEP1",
        gateway_transaction_id=TRANSACTION_IDS.get(gateway_id, "T1"),
        amount=100_000,
        total=250_000,
        created_at_epoch=1_795_000_000.0,
    )
    if gateway.supports_refund:
        assert result.ok and not result.manual
        assert len(recorded.calls) == (1 if gateway_id in REFUND_ANSWERS else 0)
    else:
        assert result.manual and recorded.calls == []  # a person gives the money back


def test_refunds_never_exceed_the_captured_amount(gateway_id: str) -> None:
    recorded = RecordedTransport(REFUND_ANSWERS.get(gateway_id))
    result_or_error: object
    try:
        result_or_error = with_transport(gateway_id, recorded).refund(
            reference="CP1", gateway_transaction_id=TRANSACTION_IDS.get(gateway_id, "T1"), amount=200, total=100
        )
    except ValueError as exc:
        result_or_error = exc
    assert isinstance(result_or_error, ValueError) or not getattr(result_or_error, "ok", True)
    assert recorded.calls == []


def test_gateways_without_a_status_query_say_so(gateway: Gateway) -> None:
    if gateway.supports_query:
        return  # their own tests (and tests/orders/test_polling.py) run the query
    with pytest.raises(GatewayUnavailable):
        gateway.query_status(reference="CP1", gateway_transaction_id="", created_at_epoch=1_795_000_000.0)
