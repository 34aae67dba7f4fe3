"""payOS webhook verifier and payment-request signature against payment_vectors.json (no Django, no network)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from payments.payos_gateway import (
    InvalidPayOSWebhook,
    PayOSWebhookVerifier,
    canonical_data,
    payment_request_signature,
    sign,
)

VECTORS = {v["id"]: v for v in json.loads((Path(__file__).parent / "payment_vectors.json").read_text())["vectors"]}
PAYOS_IDS = sorted(k for k, v in VECTORS.items() if v["gateway"] == "payos")
WEBHOOK = VECTORS["payos_webhook_official_doc"]
KEY = WEBHOOK["inputs"]["checksum_key"]


def verifier() -> PayOSWebhookVerifier:
    return PayOSWebhookVerifier(client_id="cid", api_key="akey", checksum_key=KEY)


def body_of(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope, ensure_ascii=False).encode("utf-8")


def test_every_payos_vector_is_covered() -> None:
    assert PAYOS_IDS == ["payos_payment_request_self", "payos_webhook_official_doc"]


def test_webhook_vector_canonical_and_signature() -> None:
    data = WEBHOOK["inputs"]["data"]
    assert canonical_data(data) == WEBHOOK["expected_canonical"]
    assert sign(KEY, WEBHOOK["expected_canonical"]) == WEBHOOK["expected_signature"]
    assert verifier().signature_of(data) == WEBHOOK["expected_signature"]
    assert WEBHOOK["expected_body"]["signature"] == WEBHOOK["expected_signature"]


def test_webhook_vector_body_verifies() -> None:
    data = verifier().verify(body_of(WEBHOOK["expected_body"]))
    assert data == WEBHOOK["inputs"]["data"]


def test_webhook_vector_body_verifies_with_escaped_unicode() -> None:
    # payOS may send "Th\u00e0nh c\u00f4ng" escaped; the signed value is the decoded text.
    raw = json.dumps(WEBHOOK["expected_body"], ensure_ascii=True).encode()
    assert verifier().verify(raw)["desc"] == "Thành công"


def test_payos_sdk_agrees_on_the_documented_example() -> None:
    payos = pytest.importorskip("payos")
    client = payos.PayOS(client_id="cid", api_key="akey", checksum_key=KEY)
    verified = client.webhooks.verify(body_of(WEBHOOK["expected_body"]))
    assert verified.order_code == 123
    assert verified.amount == 3000


def test_payment_request_vector() -> None:
    v = VECTORS["payos_payment_request_self"]
    i = v["inputs"]
    sig = payment_request_signature(
        i["checksum_key"],
        amount=i["amount"],
        cancel_url=i["cancelUrl"],
        description=i["description"],
        order_code=i["orderCode"],
        return_url=i["returnUrl"],
    )
    assert sign(i["checksum_key"], v["expected_canonical"]) == v["expected_signature"]
    assert sig == v["expected_signature"]


def test_payment_request_vector_matches_payos_sdk_crypto() -> None:
    pytest.importorskip("payos")
    from payos._crypto import CryptoProvider

    v = VECTORS["payos_payment_request_self"]
    i = v["inputs"]
    sdk_sig = CryptoProvider().create_signature_of_payment_request(
        {
            "amount": i["amount"],
            "cancelUrl": i["cancelUrl"],
            "description": i["description"],
            "orderCode": i["orderCode"],
            "returnUrl": i["returnUrl"],
        },
        i["checksum_key"],
    )
    assert sdk_sig == v["expected_signature"]


@pytest.mark.parametrize(
    "field,value",
    [("amount", 3001), ("amount", 300000), ("code", "01"), ("description", "VQRIO124"), ("accountNumber", "999")],
)
def test_tampered_data_is_rejected(field: str, value: object) -> None:
    envelope = copy.deepcopy(WEBHOOK["expected_body"])
    envelope["data"][field] = value
    with pytest.raises(InvalidPayOSWebhook):
        verifier().verify(body_of(envelope))


def test_added_field_changes_signature() -> None:
    envelope = copy.deepcopy(WEBHOOK["expected_body"])
    envelope["data"]["extra"] = "x"
    with pytest.raises(InvalidPayOSWebhook):
        verifier().verify(body_of(envelope))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda e: e.update(signature="0" * 64),
        lambda e: e.pop("signature"),
        lambda e: e.update(signature=None),
        lambda e: e.update(data="not an object"),
        lambda e: e.pop("data"),
    ],
)
def test_forged_envelopes_are_rejected(mutate: Any) -> None:
    envelope = copy.deepcopy(WEBHOOK["expected_body"])
    mutate(envelope)
    with pytest.raises(InvalidPayOSWebhook):
        verifier().verify(body_of(envelope))


@pytest.mark.parametrize("raw", [b"", b"not json", b"[]", b"\xff\xfe", b"null"])
def test_garbage_is_rejected(raw: bytes) -> None:
    with pytest.raises(InvalidPayOSWebhook):
        verifier().verify(raw)


def test_wrong_key_is_rejected() -> None:
    other = PayOSWebhookVerifier(client_id="cid", api_key="akey", checksum_key="another-key")
    with pytest.raises(InvalidPayOSWebhook):
        other.verify(body_of(WEBHOOK["expected_body"]))


def test_round_trip_with_own_signature() -> None:
    data = {"orderCode": 7, "amount": 250000, "description": "DH ORD20240101A", "code": "00", "flag": True}
    envelope = {"code": "00", "desc": "success", "success": True, "data": data}
    envelope["signature"] = verifier().signature_of(data)
    assert verifier().verify(body_of(envelope)) == data


def test_value_stringification_rules() -> None:
    data = {"b": None, "a": "null", "c": "undefined", "d": True, "e": False, "f": [{"y": 1, "x": 2}], "g": 0}
    assert canonical_data(data) == 'a=&b=&c=&d=true&e=false&f=[{"x":2,"y":1}]&g=0'


def test_from_env() -> None:
    assert PayOSWebhookVerifier.from_env({}) is None
    assert PayOSWebhookVerifier.from_env({"PAYOS_CLIENT_ID": "c", "PAYOS_API_KEY": "a"}) is None
    built = PayOSWebhookVerifier.from_env({"PAYOS_CLIENT_ID": "c", "PAYOS_API_KEY": "a", "PAYOS_CHECKSUM_KEY": KEY})
    assert built is not None
    assert built.client_id == "c"
