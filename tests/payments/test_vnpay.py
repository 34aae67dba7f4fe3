"""VNPay adapter against the reference vectors, plus forgery, replies, querydr and refund bodies."""

from __future__ import annotations

import json
import urllib.error
from typing import Any
from urllib.parse import parse_qsl, urlsplit

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
from payments.vnpay import (
    QUERYDR_HASH_ORDER,
    REFUND_HASH_ORDER,
    RESPONSE_HASH_ORDER,
    SANDBOX_API_URL,
    SANDBOX_PAYMENT_URL,
    VNPayGateway,
    canonical_query,
    pipe_checksum,
    sign_params,
)
from tests.payments.conftest import RecordingOpener

SECRET = "SECRETKEYSECRETKEYSECRETKEY12345"
CREATED_2024_01_01_1030_VN = 1704079800.0  # 2024-01-01 10:30:00 GMT+7 (= 03:30 UTC)


def gateway(secret: str = SECRET, tmn: str = "TESTTMN1", opener: RecordingOpener | None = None) -> VNPayGateway:
    return VNPayGateway(tmn, secret, opener=opener, request_id_factory=lambda: "REQ-FIXED")


def signed_query(params: dict[str, str], secret: str) -> dict[str, str]:
    return {**params, "vnp_SecureHash": sign_params(params, secret)}


# -- vectors ------------------------------------------------------------------------


def test_doc_payment_url_canonical_string(vectors: dict[str, Any]) -> None:
    v = vectors["vnpay_doc_payment_url_canonical"]
    assert canonical_query(v["inputs"]["params_decoded"]) == v["expected_canonical"]


def test_payment_url_vector(vectors: dict[str, Any]) -> None:
    v = vectors["vnpay_payment_url_self"]
    i = v["inputs"]
    gw = VNPayGateway(i["tmn_code"], i["secret"])
    payment = PaymentRequest(
        reference=i["txn_ref"],
        amount=i["amount_vnd"],
        description=i["order_info"],
        return_url=i["return_url"],
        notify_url="https://shop.example.vn/payments/vnpay/ipn",
        client_ip=i["ip_addr"],
        locale=i["locale"],
        created_at_epoch=CREATED_2024_01_01_1030_VN,
    )
    params = gw.payment_params(payment)
    assert params["vnp_CreateDate"] == i["create_date"]
    assert params["vnp_ExpireDate"] == i["expire_date"]
    assert canonical_query(params) == v["expected_canonical"]
    assert sign_params(params, i["secret"]) == v["expected_signature"]
    action = gw.start(payment)
    assert action.kind is ActionKind.REDIRECT
    assert action.url == v["expected_url"]


def test_payment_url_strips_diacritics_and_unsafe_characters() -> None:
    payment = PaymentRequest(
        reference="ORD1-1",
        amount=10_000,
        description="Thanh toán đơn hàng ORD1: cà phê Đà Lạt & dâu tây!",
        return_url="https://shop.example.vn/r",
        notify_url="https://shop.example.vn/n",
        created_at_epoch=CREATED_2024_01_01_1030_VN,
    )
    params = gateway().payment_params(payment)
    assert params["vnp_OrderInfo"] == "Thanh toan don hang ORD1: ca phe Da Lat dau tay"
    assert params["vnp_Amount"] == "1000000"
    assert "vnp_SecureHashType" not in params
    assert gateway().start(payment).url.startswith(SANDBOX_PAYMENT_URL + "?")  # type: ignore[union-attr]


def test_payment_rejects_unsafe_reference_and_non_positive_amount() -> None:
    with pytest.raises(ValueError):
        gateway().start(PaymentRequest("ORD/1?x", 1000, "x", "https://a", "https://b"))
    with pytest.raises(ValueError):
        gateway().start(PaymentRequest("ORD1", 0, "x", "https://a", "https://b"))


@pytest.mark.parametrize(
    ("vector_id", "status"),
    [
        ("vnpay_ipn_success_lehuygiang28", NotificationStatus.PAID),
        ("vnpay_ipn_rc99_lehuygiang28", NotificationStatus.FAILED),
    ],
)
def test_ipn_vectors_verify_and_parse(vectors: dict[str, Any], vector_id: str, status: NotificationStatus) -> None:
    v = vectors[vector_id]
    params = v["inputs"]["params"]
    assert canonical_query(params) == v["expected_canonical"]
    assert sign_params(params, v["inputs"]["secret"]) == v["expected_signature"]
    query = {**params, "vnp_SecureHash": v["expected_signature"]}
    if "expected_query" in v:
        assert dict(parse_qsl(v["expected_query"])) == query
    notification = gateway(secret=v["inputs"]["secret"], tmn="TEST_TMN_CODE").parse_notification(
        HttpLikeRequest(method="GET", query=query)
    )
    assert notification.status is status
    assert notification.amount == 10_000
    assert notification.reference == "1716257871703"
    assert notification.gateway_transaction_id == "14422574"
    assert notification.merchant_id == "TEST_TMN_CODE"
    assert notification.currency == "VND"


def test_ipn_accepts_hash_type_and_uppercase_hash(vectors: dict[str, Any]) -> None:
    v = vectors["vnpay_ipn_success_lehuygiang28"]
    query = {
        **v["inputs"]["params"],
        "vnp_SecureHash": v["expected_signature"].upper(),
        "vnp_SecureHashType": "HmacSHA512",
    }
    gw = gateway(secret=v["inputs"]["secret"])
    assert gw.parse_notification(HttpLikeRequest(method="GET", query=query)).status is NotificationStatus.PAID


def test_querydr_checksum_vector(vectors: dict[str, Any]) -> None:
    v = vectors["vnpay_querydr_checksum_self"]
    assert "|".join(QUERYDR_HASH_ORDER) == v["inputs"]["field_order"]
    values = dict(zip(QUERYDR_HASH_ORDER, v["expected_canonical"].split("|"), strict=True))
    gw = VNPayGateway(values["vnp_TmnCode"], v["inputs"]["secret"], server_ip=values["vnp_IpAddr"])
    body = gw.querydr_body(
        reference=values["vnp_TxnRef"],
        transaction_date=values["vnp_TransactionDate"],
        order_info=values["vnp_OrderInfo"],
        request_id=values["vnp_RequestId"],
        create_date=values["vnp_CreateDate"],
    )
    assert pipe_checksum(body, QUERYDR_HASH_ORDER, v["inputs"]["secret"]) == (
        v["expected_canonical"],
        v["expected_signature"],
    )
    assert body["vnp_SecureHash"] == v["expected_signature"]


def test_refund_partial_checksum_vector(vectors: dict[str, Any]) -> None:
    v = vectors["vnpay_refund_partial_checksum_self"]
    assert "|".join(REFUND_HASH_ORDER) == v["inputs"]["field_order"]
    values = dict(zip(REFUND_HASH_ORDER, v["expected_canonical"].split("|"), strict=True))
    gw = VNPayGateway(values["vnp_TmnCode"], v["inputs"]["secret"], server_ip=values["vnp_IpAddr"])
    body = gw.refund_body(
        reference=values["vnp_TxnRef"],
        gateway_transaction_id=values["vnp_TransactionNo"],
        amount=v["inputs"]["refund_amount_vnd"],
        total=150_000,
        transaction_date=values["vnp_TransactionDate"],
        create_by=values["vnp_CreateBy"],
        request_id=values["vnp_RequestId"],
        create_date=values["vnp_CreateDate"],
    )
    assert body["vnp_TransactionType"] == v["inputs"]["vnp_TransactionType"] == "03"
    assert body["vnp_OrderInfo"] == values["vnp_OrderInfo"]  # default "Hoan tien mot phan <ref>"
    assert pipe_checksum(body, REFUND_HASH_ORDER, v["inputs"]["secret"])[0] == v["expected_canonical"]
    assert body["vnp_SecureHash"] == v["expected_signature"]


# -- forgery ------------------------------------------------------------------------


@pytest.fixture
def paid_query(vectors: dict[str, Any]) -> dict[str, str]:
    v = vectors["vnpay_ipn_success_lehuygiang28"]
    return {**v["inputs"]["params"], "vnp_SecureHash": v["expected_signature"]}


def test_tampered_amount_is_rejected(paid_query: dict[str, str]) -> None:
    with pytest.raises(InvalidSignature):
        gateway("test_secret").parse_notification(HttpLikeRequest("GET", {**paid_query, "vnp_Amount": "100"}))


def test_forged_signature_is_rejected(paid_query: dict[str, str]) -> None:
    forged = {**paid_query, "vnp_SecureHash": sign_params(paid_query, "attacker-secret")}
    with pytest.raises(InvalidSignature):
        gateway("test_secret").parse_notification(HttpLikeRequest("GET", forged))


def test_missing_hash_is_rejected(paid_query: dict[str, str]) -> None:
    unsigned = {k: val for k, val in paid_query.items() if k != "vnp_SecureHash"}
    with pytest.raises(InvalidSignature):
        gateway("test_secret").parse_notification(HttpLikeRequest("GET", unsigned))
    with pytest.raises(InvalidSignature):
        gateway("test_secret").parse_notification(HttpLikeRequest("GET", {}))


def test_non_ascii_hash_is_rejected_not_crashing(paid_query: dict[str, str]) -> None:
    with pytest.raises(InvalidSignature):
        gateway("test_secret").parse_notification(HttpLikeRequest("GET", {**paid_query, "vnp_SecureHash": "đ" * 128}))


def test_signature_checked_before_fields_are_read() -> None:
    # A garbage but unsigned message must say InvalidSignature, not KeyError/ValueError.
    with pytest.raises(InvalidSignature):
        gateway().parse_notification(HttpLikeRequest("GET", {"vnp_Amount": "abc", "vnp_SecureHash": "00"}))


def test_suspicious_payment_is_pending_not_paid() -> None:
    params = {"vnp_Amount": "1000000", "vnp_TxnRef": "R1", "vnp_ResponseCode": "07", "vnp_TransactionStatus": "07"}
    n = gateway().parse_notification(HttpLikeRequest("GET", signed_query(params, SECRET)))
    assert n.status is NotificationStatus.PENDING


def test_cancelled_payment_is_failed() -> None:
    params = {"vnp_Amount": "1000000", "vnp_TxnRef": "R1", "vnp_ResponseCode": "24", "vnp_TransactionStatus": "02"}
    n = gateway().parse_notification(HttpLikeRequest("GET", signed_query(params, SECRET)))
    assert n.status is NotificationStatus.FAILED


@settings(max_examples=60, deadline=None)
@given(
    amount=st.integers(min_value=1, max_value=10**10),
    reference=st.from_regex(r"[A-Za-z0-9._-]{1,40}", fullmatch=True),
    data=st.data(),
)
def test_sign_verify_round_trip_and_any_change_breaks_it(amount: int, reference: str, data: st.DataObject) -> None:
    gw = gateway()
    params = {
        "vnp_Amount": str(amount * 100),
        "vnp_TxnRef": reference,
        "vnp_ResponseCode": "00",
        "vnp_TransactionStatus": "00",
        "vnp_TmnCode": "TESTTMN1",
        "vnp_TransactionNo": "123",
    }
    query = signed_query(params, SECRET)
    n = gw.parse_notification(HttpLikeRequest("GET", query))
    assert (n.reference, n.amount, n.status) == (reference, amount, NotificationStatus.PAID)
    # Change exactly one character of one signed value or of the hash.
    key = data.draw(st.sampled_from([*params, "vnp_SecureHash"]))
    value = query[key]
    pos = data.draw(st.integers(min_value=0, max_value=len(value) - 1))
    alphabet = "0123456789abcdef" if key == "vnp_SecureHash" else "0123456789ABCXYZabcxyz._-"
    replacement = data.draw(st.sampled_from(alphabet).filter(lambda c: c != value[pos]))
    tampered = {**query, key: value[:pos] + replacement + value[pos + 1 :]}
    with pytest.raises(InvalidSignature):
        gw.parse_notification(HttpLikeRequest("GET", tampered))


# -- replies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "code", "message"),
    [
        (ReplyOutcome.OK, "00", "Confirm Success"),
        (ReplyOutcome.NOT_FOUND, "01", "Order not found"),
        (ReplyOutcome.ALREADY_CONFIRMED, "02", "Order already confirmed"),
        (ReplyOutcome.AMOUNT_MISMATCH, "04", "Invalid amount"),
        (ReplyOutcome.BAD_SIGNATURE, "97", "Invalid signature"),
        (ReplyOutcome.ERROR, "99", "Unknown error"),
    ],
)
def test_reply_bodies(outcome: ReplyOutcome, code: str, message: str) -> None:
    reply = gateway().reply(outcome)
    assert reply.status == 200
    assert reply.content_type == "application/json"
    assert json.loads(reply.body) == {"RspCode": code, "Message": message}


# -- merchant API over the fake opener ----------------------------------------------------


def test_full_refund_request_body(opener: RecordingOpener) -> None:
    opener.answer = {"vnp_ResponseCode": "00", "vnp_Message": "Refund success", "vnp_TransactionNo": "999"}
    gw = gateway(opener=opener)
    result = gw.refund(
        reference="ORD1",
        gateway_transaction_id="14422574",
        amount=150_000,
        total=150_000,
        transaction_date="20240101103000",
    )
    assert result.ok and result.gateway_reference == "999" and not result.manual
    request = opener.requests[-1]
    assert request.full_url == SANDBOX_API_URL
    assert request.get_method() == "POST"
    assert request.get_header("Content-type", "").startswith("application/json")
    assert 0 < opener.timeouts[-1] <= 30
    body = opener.last_json
    assert body["vnp_Command"] == "refund"
    assert body["vnp_TransactionType"] == "02"
    assert body["vnp_Amount"] == "15000000"
    assert body["vnp_TransactionNo"] == "14422574"
    assert body["vnp_RequestId"] == "REQ-FIXED"
    assert body["vnp_SecureHash"] == pipe_checksum(body, REFUND_HASH_ORDER, SECRET)[1]


def test_partial_refund_failure_is_reported(opener: RecordingOpener) -> None:
    opener.answer = {"vnp_ResponseCode": "94", "vnp_Message": "Duplicate request"}
    result = gateway(opener=opener).refund(
        reference="ORD1", gateway_transaction_id="1", amount=50_000, total=150_000, transaction_date="20240101103000"
    )
    assert not result.ok
    assert result.message.startswith("94")
    assert opener.last_json["vnp_TransactionType"] == "03"


def test_refund_never_exceeds_captured_amount(opener: RecordingOpener) -> None:
    with pytest.raises(ValueError):
        gateway(opener=opener).refund(
            reference="ORD1", gateway_transaction_id="1", amount=200_000, total=150_000, transaction_date="20240101"
        )
    assert opener.requests == []


def test_refund_without_transaction_date_is_manual(opener: RecordingOpener) -> None:
    result = gateway(opener=opener).refund(reference="ORD1", gateway_transaction_id="1", amount=1, total=1)
    assert not result.ok and result.manual
    assert opener.requests == []


def test_network_failure_is_gateway_unavailable(opener: RecordingOpener) -> None:
    opener.error = urllib.error.URLError("timed out")
    with pytest.raises(GatewayUnavailable):
        gateway(opener=opener).querydr(reference="ORD1", transaction_date="20240101103000")


def test_querydr_posts_signed_body_and_checks_answer_hash(opener: RecordingOpener) -> None:
    answer = {"vnp_ResponseId": "r1", "vnp_Command": "querydr", "vnp_ResponseCode": "00", "vnp_TxnRef": "ORD1"}
    answer["vnp_SecureHash"] = pipe_checksum(answer, RESPONSE_HASH_ORDER, SECRET)[1]
    opener.answer = answer
    gw = gateway(opener=opener)
    assert gw.querydr(reference="ORD1", transaction_date="20240101103000")["vnp_ResponseCode"] == "00"
    body = opener.last_json
    assert body["vnp_Command"] == "querydr"
    assert body["vnp_SecureHash"] == pipe_checksum(body, QUERYDR_HASH_ORDER, SECRET)[1]
    opener.answer = {**answer, "vnp_ResponseCode": "91"}
    with pytest.raises(InvalidSignature):
        gw.querydr(reference="ORD1", transaction_date="20240101103000")


def test_payment_url_round_trips_through_verify() -> None:
    payment = PaymentRequest(
        reference="ORD9",
        amount=250_000,
        description="Dâu tây Đà Lạt",
        return_url="https://shop.example.vn/r",
        notify_url="https://shop.example.vn/n",
    )
    url = gateway().start(payment).url
    assert url is not None
    query = dict(parse_qsl(urlsplit(url).query))
    gateway().verify(query)  # our own URL verifies with our own rules
    assert query["vnp_Amount"] == "25000000"


def test_from_env_and_repr_hides_secret() -> None:
    assert VNPayGateway.from_env({}) is None
    assert VNPayGateway.from_env({"VNPAY_TMN_CODE": "X", "VNPAY_HASH_SECRET": "  "}) is None
    gw = VNPayGateway.from_env({"VNPAY_TMN_CODE": "TESTTMN1", "VNPAY_HASH_SECRET": "s3cr3t-value"})
    assert gw is not None and gw.payment_url == SANDBOX_PAYMENT_URL and gw.supports_refund
    assert "s3cr3t-value" not in repr(gw)
