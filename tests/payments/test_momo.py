"""MoMo adapter against the reference vectors, plus forgery, replies, create and refund bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payments.base import (
    ActionKind,
    GatewayUnavailable,
    HttpLikeRequest,
    InvalidSignature,
    NotificationStatus,
    PaymentRequest,
    ReplyOutcome,
)
from payments.momo import (
    CREATE_SIGNED_FIELDS,
    IPN_SIGNED_FIELDS,
    REFUND_SIGNED_FIELDS,
    MoMoGateway,
    raw_signature,
)
from payments.signing import hmac_sha256_hex
from tests.payments.conftest import RecordingOpener

ACCESS_KEY = "F8BBA842ECF85"
SECRET_KEY = "K951B6PE1waDMi640xX08PD3vg6EkVlz"


def gateway(opener: RecordingOpener | None = None, endpoint: str = "https://test-payment.momo.vn") -> MoMoGateway:
    return MoMoGateway(
        "MOMO", ACCESS_KEY, SECRET_KEY, endpoint, opener=opener, request_id_factory=lambda ref: f"REQ-{ref}"
    )


def ipn(body: dict[str, Any]) -> HttpLikeRequest:
    return HttpLikeRequest(method="POST", body=json.dumps(body, ensure_ascii=False).encode("utf-8"))


def test_create_vector(vectors: dict[str, Any], opener: RecordingOpener) -> None:
    v = vectors["momo_create_self"]
    i = v["inputs"]
    expected_body = i["body_without_signature"]
    assert (
        raw_signature({**expected_body, "accessKey": i["accessKey"]}, CREATE_SIGNED_FIELDS) == v["expected_canonical"]
    )
    opener.answer = {"resultCode": 0, "message": "Thành công.", "payUrl": "https://test-payment.momo.vn/pay/x"}
    gw = MoMoGateway(
        i["partnerCode"], i["accessKey"], i["secretKey"], opener=opener, request_id_factory=lambda ref: f"REQ-{ref}"
    )
    payment = PaymentRequest(
        reference=expected_body["orderId"],
        amount=expected_body["amount"],
        description=expected_body["orderInfo"],
        return_url=expected_body["redirectUrl"],
        notify_url=expected_body["ipnUrl"],
        locale="vn",
    )
    action = gw.start(payment)
    assert action.kind is ActionKind.REDIRECT
    assert action.url == "https://test-payment.momo.vn/pay/x"
    request = opener.requests[-1]
    assert request.full_url == "https://test-payment.momo.vn/v2/gateway/api/create"
    assert opener.timeouts[-1] >= 30  # MoMo asks for at least 30 s
    assert opener.last_json == {**expected_body, "signature": v["expected_signature"]}
    assert "accessKey" not in opener.last_json


def test_create_with_only_qr_and_failures(opener: RecordingOpener) -> None:
    payment = PaymentRequest("ORD2", 50_000, "Cà phê", "https://s/r", "https://s/n")
    opener.answer = {"resultCode": 0, "qrCodeUrl": "2|99|0912345678|||0|0|50000"}
    action = gateway(opener).start(payment)
    assert action.kind is ActionKind.QR and action.qr_payload == "2|99|0912345678|||0|0|50000"
    opener.answer = {"resultCode": 0, "payUrl": "https://p", "qrCodeUrl": "qr"}
    action = gateway(opener).start(payment)
    assert (action.kind, action.url, action.qr_payload) == (ActionKind.REDIRECT, "https://p", "qr")
    opener.answer = {"resultCode": 22, "message": "Amount out of range"}
    with pytest.raises(GatewayUnavailable):
        gateway(opener).start(payment)


def test_endpoint_may_be_the_full_create_url(opener: RecordingOpener) -> None:
    opener.answer = {"resultCode": 0, "payUrl": "https://p"}
    gateway(opener, endpoint="https://payment.momo.vn/v2/gateway/api/create/").start(
        PaymentRequest("ORD3", 10_000, "x", "https://s/r", "https://s/n")
    )
    assert opener.requests[-1].full_url == "https://payment.momo.vn/v2/gateway/api/create"


@pytest.mark.parametrize(
    ("vector_id", "status"),
    [("momo_ipn_success_self", NotificationStatus.PAID), ("momo_ipn_denied_self", NotificationStatus.FAILED)],
)
def test_ipn_vectors(vectors: dict[str, Any], vector_id: str, status: NotificationStatus) -> None:
    v = vectors[vector_id]
    unsigned = v["inputs"]["body_without_signature"]
    assert raw_signature({**unsigned, "accessKey": ACCESS_KEY}, IPN_SIGNED_FIELDS) == v["expected_canonical"]
    assert hmac_sha256_hex(SECRET_KEY, v["expected_canonical"]) == v["expected_signature"]
    n = gateway().parse_notification(ipn(v["expected_body"]))
    assert n.status is status
    assert n.amount == unsigned["amount"]
    assert n.reference == unsigned["orderId"]
    assert n.gateway_transaction_id == str(unsigned["transId"])
    assert n.merchant_id == "MOMO"


def test_ipn_signs_vietnamese_message_exactly_as_received() -> None:
    body: dict[str, Any] = {
        "partnerCode": "MOMO",
        "orderId": "ORD5",
        "requestId": "REQ-ORD5",
        "amount": 120000,
        "orderInfo": "Thanh toán đơn hàng",
        "orderType": "momo_wallet",
        "transId": 42,
        "resultCode": 0,
        "message": "Thành công.",
        "payType": "napas",
        "responseTime": 1704079800000,
        "extraData": "",
    }
    body["signature"] = hmac_sha256_hex(SECRET_KEY, raw_signature({**body, "accessKey": ACCESS_KEY}, IPN_SIGNED_FIELDS))
    assert gateway().parse_notification(ipn(body)).status is NotificationStatus.PAID


@pytest.fixture
def paid_body(vectors: dict[str, Any]) -> dict[str, Any]:
    return dict(vectors["momo_ipn_success_self"]["expected_body"])


def test_tampered_amount_forged_and_missing_signature(paid_body: dict[str, Any]) -> None:
    gw = gateway()
    with pytest.raises(InvalidSignature):
        gw.parse_notification(ipn({**paid_body, "amount": 1000}))
    forged = {**paid_body, "resultCode": 0}
    forged["signature"] = hmac_sha256_hex(
        "attacker", raw_signature({**forged, "accessKey": ACCESS_KEY}, IPN_SIGNED_FIELDS)
    )
    with pytest.raises(InvalidSignature):
        gw.parse_notification(ipn(forged))
    with pytest.raises(InvalidSignature):
        gw.parse_notification(ipn({k: val for k, val in paid_body.items() if k != "signature"}))
    with pytest.raises(InvalidSignature):
        gw.parse_notification(HttpLikeRequest("POST", body=b"not json"))
    with pytest.raises(InvalidSignature):
        gw.parse_notification(HttpLikeRequest("POST", body=b"[1, 2]"))


def test_wrong_secret_rejects_genuine_ipn(paid_body: dict[str, Any]) -> None:
    other = MoMoGateway("MOMO", ACCESS_KEY, "another-secret")
    with pytest.raises(InvalidSignature):
        other.parse_notification(ipn(paid_body))


@pytest.mark.parametrize(("code", "status"), [(9000, NotificationStatus.PENDING), (1000, NotificationStatus.PENDING)])
def test_ambiguous_result_codes_fail_closed(paid_body: dict[str, Any], code: int, status: NotificationStatus) -> None:
    body = {**paid_body, "resultCode": code}
    body["signature"] = hmac_sha256_hex(SECRET_KEY, raw_signature({**body, "accessKey": ACCESS_KEY}, IPN_SIGNED_FIELDS))
    assert gateway().parse_notification(ipn(body)).status is status


@settings(max_examples=60, deadline=None)
@given(
    amount=st.integers(min_value=1_000, max_value=50_000_000),
    reference=st.from_regex(r"[0-9a-zA-Z]([-_.]?[0-9a-zA-Z]){0,30}", fullmatch=True),
    data=st.data(),
)
def test_ipn_round_trip_and_single_character_change(amount: int, reference: str, data: st.DataObject) -> None:
    body: dict[str, Any] = {
        "partnerCode": "MOMO",
        "orderId": reference,
        "requestId": f"REQ-{reference}",
        "amount": amount,
        "orderInfo": "Don hang",
        "orderType": "momo_wallet",
        "transId": 4088878653,
        "resultCode": 0,
        "message": "Successful.",
        "payType": "qr",
        "responseTime": 1704079800000,
        "extraData": "",
    }
    body["signature"] = hmac_sha256_hex(SECRET_KEY, raw_signature({**body, "accessKey": ACCESS_KEY}, IPN_SIGNED_FIELDS))
    n = gateway().parse_notification(ipn(body))
    assert (n.reference, n.amount, n.status) == (reference, amount, NotificationStatus.PAID)
    key = data.draw(st.sampled_from(["orderId", "amount", "signature", "requestId", "orderInfo"]))
    text = str(body[key])
    pos = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    alphabet = {"signature": "0123456789abcdef", "amount": "123456789"}.get(key, "123456789ABCxyz")
    replacement = data.draw(st.sampled_from(alphabet).filter(lambda c: c != text[pos]))
    changed = text[:pos] + replacement + text[pos + 1 :]
    tampered = {**body, key: int(changed) if key == "amount" else changed}
    with pytest.raises(InvalidSignature):
        gateway().parse_notification(ipn(tampered))


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (ReplyOutcome.OK, 204),
        (ReplyOutcome.ALREADY_CONFIRMED, 204),
        (ReplyOutcome.NOT_FOUND, 204),
        (ReplyOutcome.AMOUNT_MISMATCH, 204),
        (ReplyOutcome.BAD_SIGNATURE, 400),
        (ReplyOutcome.ERROR, 500),
    ],
)
def test_replies(outcome: ReplyOutcome, status: int) -> None:
    reply = gateway().reply(outcome)
    assert reply.status == status
    assert reply.body == b""


def test_refund_request_body(opener: RecordingOpener) -> None:
    opener.answer = {"resultCode": 0, "message": "Thành công.", "transId": 555}
    gw = gateway(opener)
    body = gw.refund_body(
        reference="ORD1", gateway_transaction_id="4088878653", amount=50_000, total=150_000, refund_order_id="ORD1-RF1"
    )
    raw = (
        f"accessKey={ACCESS_KEY}&amount=50000&description=&orderId=ORD1-RF1&partnerCode=MOMO"
        "&requestId=REQ-ORD1-RF1&transId=4088878653"
    )
    assert raw_signature({**body, "accessKey": ACCESS_KEY}, REFUND_SIGNED_FIELDS) == raw
    assert body["signature"] == hmac_sha256_hex(SECRET_KEY, raw)
    result = gw.refund(reference="ORD1", gateway_transaction_id="4088878653", amount=50_000, total=150_000)
    assert result.ok and result.gateway_reference == "555"
    assert opener.requests[-1].full_url == "https://test-payment.momo.vn/v2/gateway/api/refund"
    sent = opener.last_json
    assert sent["transId"] == 4088878653 and sent["amount"] == 50_000 and sent["orderId"].startswith("ORD1-RF")
    assert sent["signature"] == hmac_sha256_hex(
        SECRET_KEY, raw_signature({**sent, "accessKey": ACCESS_KEY}, REFUND_SIGNED_FIELDS)
    )
    opener.answer = {"resultCode": 1080, "message": "Refund rejected"}
    assert not gw.refund(reference="ORD1", gateway_transaction_id="1", amount=1, total=1).ok
    with pytest.raises(ValueError):
        gw.refund(reference="ORD1", gateway_transaction_id="1", amount=2, total=1)


def test_from_env() -> None:
    env = {
        "MOMO_PARTNER_CODE": "MOMO",
        "MOMO_ACCESS_KEY": ACCESS_KEY,
        "MOMO_SECRET_KEY": SECRET_KEY,
        "MOMO_ENDPOINT": "https://test-payment.momo.vn",
    }
    gw = MoMoGateway.from_env(env)
    assert gw is not None and gw.id == "momo" and gw.supports_refund
    assert SECRET_KEY not in repr(gw)
    for missing in env:
        assert MoMoGateway.from_env({k: val for k, val in env.items() if k != missing}) is None
