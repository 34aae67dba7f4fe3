"""ZaloPay v2 against payment_vectors.json; HTTP through a recording fake opener (no Django, no network)."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from payments.base import (
    ActionKind,
    GatewayUnavailable,
    HttpLikeRequest,
    InvalidSignature,
    NotificationStatus,
    PaymentRequest,
    ReplyOutcome,
)
from payments.zalopay import (
    ZaloPayGateway,
    app_trans_id_for,
    create_mac,
    hmac_sha256,
    query_mac,
    reference_from_app_trans_id,
    refund_mac,
    yymmdd,
)

VECTORS = {v["id"]: v for v in json.loads((Path(__file__).parent / "payment_vectors.json").read_text())["vectors"]}
ZALOPAY_IDS = sorted(k for k, v in VECTORS.items() if v["gateway"] == "zalopay")
SANDBOX_KEY1 = "PcY4iZIKFCIdgZvA6ueMcMHHUbRLYjPL"
SANDBOX_KEY2 = "kLtgPl8HHhfvMuDHPwKfgfsY4Ydm9eIz"
T0 = 1704079800  # 2024-01-01 10:30 GMT+7


class FakeOpener:
    def __init__(self, *responses: dict[str, Any]) -> None:
        self.responses = list(responses)
        self.calls: list[tuple[str, dict[str, str], Mapping[str, str]]] = []

    def __call__(self, url: str, body: bytes, headers: Mapping[str, str]) -> bytes:
        fields = dict(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        self.calls.append((url, fields, headers))
        return json.dumps(self.responses.pop(0)).encode()


def make(opener: FakeOpener | None = None, **kwargs: Any) -> ZaloPayGateway:
    params: dict[str, Any] = {
        "app_id": 2553,
        "key1": SANDBOX_KEY1,
        "key2": SANDBOX_KEY2,
        "endpoint": "https://sb-openapi.zalopay.vn",
        "app_user": "buyer-42",
        "opener": opener or FakeOpener(),
        "clock": lambda: T0 + 60,
        "token": lambda: "r1",
    }
    params.update(kwargs)
    return ZaloPayGateway(**params)


def payment(**overrides: Any) -> PaymentRequest:
    values: dict[str, Any] = {
        "reference": "ORD20240101A",
        "amount": 150000,
        "description": "Thanh toan don hang ORD20240101A",
        "return_url": "https://shop.example.vn/pay/zalopay/return",
        "notify_url": "https://shop.example.vn/pay/zalopay/callback",
        "created_at_epoch": T0,
    }
    values.update(overrides)
    return PaymentRequest(**values)


def callback_request(data: str, mac: str) -> HttpLikeRequest:
    return HttpLikeRequest(method="POST", body=json.dumps({"data": data, "mac": mac, "type": 1}).encode())


def test_every_zalopay_vector_is_covered() -> None:
    assert ZALOPAY_IDS == [
        "zalopay_callback_official_doc",
        "zalopay_callback_self",
        "zalopay_create_mac_official_doc",
        "zalopay_create_mac_self",
        "zalopay_query_mac_self",
    ]


def test_create_mac_official_doc_vector() -> None:
    v = VECTORS["zalopay_create_mac_official_doc"]
    i = v["inputs"]
    assert hmac_sha256(i["key1"], v["expected_canonical"]) == v["expected_signature"]
    mac = create_mac(
        i["key1"],
        app_id=i["app_id"],
        app_trans_id=i["app_trans_id"],
        app_user=i["app_user"],
        amount=i["amount"],
        app_time=i["app_time"],
        embed_data=i["embed_data"],
        item=i["item"],
    )
    assert mac == v["expected_signature"]


def test_start_reproduces_create_mac_self_vector() -> None:
    v = VECTORS["zalopay_create_mac_self"]
    opener = FakeOpener({"return_code": 1, "order_url": "https://sbgateway.zalopay.vn/openinapp?order=abc"})
    action = make(opener, key1=v["inputs"]["key1"]).start(payment())
    assert action.kind is ActionKind.REDIRECT
    assert action.url == "https://sbgateway.zalopay.vn/openinapp?order=abc"
    assert action.gateway_reference == "240101_ORD20240101A"

    url, fields, headers = opener.calls[0]
    assert url == "https://sb-openapi.zalopay.vn/v2/create"
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    signed = "|".join(
        fields[k] for k in ("app_id", "app_trans_id", "app_user", "amount", "app_time", "embed_data", "item")
    )
    assert signed == v["expected_canonical"]
    assert fields["mac"] == v["expected_signature"]
    assert fields["embed_data"] == '{"redirecturl":"https://shop.example.vn/pay/zalopay/return"}'
    assert fields["item"] == "[]"
    assert fields["callback_url"] == "https://shop.example.vn/pay/zalopay/callback"
    assert fields["expire_duration_seconds"] == "900"


def test_app_trans_id_uses_vietnam_date() -> None:
    # 2024-01-01 17:30 UTC is already 2 January in Vietnam.
    late_utc = 1704130200_000
    assert yymmdd(late_utc) == "240102"
    assert app_trans_id_for("X1", late_utc) == "240102_X1"
    assert reference_from_app_trans_id("240102_X1_2") == "X1_2"
    with pytest.raises(ValueError):
        app_trans_id_for("R" * 40, late_utc)
    with pytest.raises(ValueError):
        reference_from_app_trans_id("ORD1")


def test_start_failure_raises_unavailable() -> None:
    opener = FakeOpener({"return_code": 2, "return_message": "Giao dịch thất bại", "sub_return_code": -401})
    with pytest.raises(GatewayUnavailable):
        make(opener).start(payment())


@pytest.mark.parametrize("vector_id", ["zalopay_callback_official_doc", "zalopay_callback_self"])
def test_callback_vectors(vector_id: str) -> None:
    v = VECTORS[vector_id]
    data = v["expected_body"]["data"]
    assert data == v["expected_canonical"]
    assert hmac_sha256(v["inputs"]["key2"], data) == v["expected_signature"]
    note = make(key2=v["inputs"]["key2"]).parse_notification(
        HttpLikeRequest(method="POST", body=json.dumps(v["expected_body"]).encode())
    )
    parsed = json.loads(data)
    assert note.status is NotificationStatus.PAID
    assert note.amount == parsed["amount"]
    assert note.gateway_transaction_id == str(parsed["zp_trans_id"])
    assert note.merchant_id == str(parsed["app_id"])
    assert note.currency == "VND"
    assert note.reference == parsed["app_trans_id"].split("_", 1)[1]


def test_callback_self_reference_is_ours() -> None:
    v = VECTORS["zalopay_callback_self"]
    note = make().parse_notification(HttpLikeRequest(method="POST", body=json.dumps(v["expected_body"]).encode()))
    assert note.reference == "ORD20240101A"
    assert note.amount == 150000
    assert note.gateway_transaction_id == "240101000000123"


def test_callback_signs_exact_received_string() -> None:
    # Same JSON, different spacing: the mac covers the bytes, so a re-serialised copy must not verify.
    v = VECTORS["zalopay_callback_self"]
    reformatted = json.dumps(json.loads(v["expected_body"]["data"]), indent=1)
    with pytest.raises(InvalidSignature):
        make().parse_notification(callback_request(reformatted, v["expected_signature"]))


def test_callback_round_trip() -> None:
    data = json.dumps({"app_id": 2553, "app_trans_id": "240101_R9", "amount": 99000, "zp_trans_id": 7})
    note = make().parse_notification(callback_request(data, hmac_sha256(SANDBOX_KEY2, data)))
    assert (note.reference, note.amount, note.gateway_transaction_id) == ("R9", 99000, "7")


def test_amount_changed_callback_is_rejected() -> None:
    v = VECTORS["zalopay_callback_self"]
    tampered = v["expected_body"]["data"].replace('"amount":150000', '"amount":1500')
    assert tampered != v["expected_body"]["data"]
    with pytest.raises(InvalidSignature):
        make().parse_notification(callback_request(tampered, v["expected_signature"]))


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"data": "{}"}',
        b'{"mac": "00"}',
        b'{"data": {"amount": 1}, "mac": "00"}',
        json.dumps({"data": "{}", "mac": hmac_sha256(SANDBOX_KEY1, "{}")}).encode(),  # signed with key1
        json.dumps({"data": "{}", "mac": "0" * 64}).encode(),
    ],
)
def test_forged_callbacks_are_rejected(body: bytes) -> None:
    with pytest.raises(InvalidSignature):
        make().parse_notification(HttpLikeRequest(method="POST", body=body))


def test_replies() -> None:
    gw = make()
    expected = {
        ReplyOutcome.OK: 1,
        ReplyOutcome.ALREADY_CONFIRMED: 1,
        ReplyOutcome.NOT_FOUND: 0,
        ReplyOutcome.AMOUNT_MISMATCH: -1,
        ReplyOutcome.BAD_SIGNATURE: -1,
        ReplyOutcome.ERROR: 0,
    }
    for outcome, code in expected.items():
        reply = gw.reply(outcome)
        assert reply.status == 200
        assert reply.content_type == "application/json"
        assert json.loads(reply.body)["return_code"] == code
    assert json.loads(gw.reply(ReplyOutcome.OK).body) == {"return_code": 1, "return_message": "success"}


def test_query_mac_vector() -> None:
    v = VECTORS["zalopay_query_mac_self"]
    i = v["inputs"]
    assert hmac_sha256(i["key1"], v["expected_canonical"]) == v["expected_signature"]
    assert query_mac(i["key1"], app_id=i["app_id"], app_trans_id=i["app_trans_id"]) == v["expected_signature"]


@pytest.mark.parametrize(
    "answer,status",
    [
        ({"return_code": 1, "amount": 150000, "zp_trans_id": 240101000000123, "is_processing": False}, "PAID"),
        ({"return_code": 2, "amount": 150000, "zp_trans_id": 0}, "FAILED"),
        ({"return_code": 3, "is_processing": True}, "PENDING"),
        ({"return_code": 1, "amount": 150000, "is_processing": True}, "PENDING"),
    ],
)
def test_query(answer: dict[str, Any], status: str) -> None:
    v = VECTORS["zalopay_query_mac_self"]
    opener = FakeOpener(answer)
    note = make(opener).query("240101_ORD20240101A")
    url, fields, _ = opener.calls[0]
    assert url == "https://sb-openapi.zalopay.vn/v2/query"
    assert fields == {"app_id": "2553", "app_trans_id": "240101_ORD20240101A", "mac": v["expected_signature"]}
    assert note.status.value == status
    assert note.reference == "ORD20240101A"


def test_refund_request() -> None:
    opener = FakeOpener({"return_code": 3, "return_message": "processing", "refund_id": 12345})
    result = make(opener).refund(
        reference="ORD20240101A", gateway_transaction_id="240101000000123", amount=50000, total=150000
    )
    url, fields, _ = opener.calls[0]
    assert url == "https://sb-openapi.zalopay.vn/v2/refund"
    timestamp = str((T0 + 60) * 1000)
    assert fields["m_refund_id"] == "240101_2553_r1"
    assert fields["timestamp"] == timestamp
    assert fields["zp_trans_id"] == "240101000000123"
    assert fields["amount"] == "50000"
    signed = f"2553|240101000000123|50000|{fields['description']}|{timestamp}"
    assert fields["mac"] == hmac_sha256(SANDBOX_KEY1, signed)
    assert fields["mac"] == refund_mac(
        SANDBOX_KEY1,
        app_id=2553,
        zp_trans_id="240101000000123",
        amount=50000,
        description=fields["description"],
        timestamp=int(timestamp),
    )
    assert result.ok and result.gateway_reference == "240101_2553_r1"


def test_refund_outcomes() -> None:
    done = make(FakeOpener({"return_code": 1})).refund(reference="A", gateway_transaction_id="9", amount=1, total=1)
    assert done.ok
    failed = make(FakeOpener({"return_code": 2, "return_message": "fail"})).refund(
        reference="A", gateway_transaction_id="9", amount=1, total=1
    )
    assert not failed.ok
    opener = FakeOpener()
    too_much = make(opener).refund(reference="A", gateway_transaction_id="9", amount=2, total=1)
    assert not too_much.ok and opener.calls == []


def test_from_env() -> None:
    env = {
        "ZALOPAY_APP_ID": "2553",
        "ZALOPAY_KEY1": SANDBOX_KEY1,
        "ZALOPAY_KEY2": SANDBOX_KEY2,
        "ZALOPAY_ENDPOINT": "https://sb-openapi.zalopay.vn/v2/create",
    }
    built = ZaloPayGateway.from_env(env)
    assert built is not None
    assert (built.id, built.app_id, built.endpoint) == ("zalopay", 2553, "https://sb-openapi.zalopay.vn")
    assert ZaloPayGateway.from_env({**env, "ZALOPAY_KEY2": ""}) is None
    assert ZaloPayGateway.from_env({}) is None
