"""VietQR (EMVCo payload + CRC) and its payOS-confirmed notifications (no Django, no network)."""

from __future__ import annotations

import copy
import json
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
from payments.emvco import ascii_fold, check_crc, crc16_ccitt_false, parse_tlv, sanitize_memo, tlv, vietqr_payload
from payments.payos_gateway import PayOSWebhookVerifier
from payments.vietqr import VietQRGateway, memo_for, memo_reference, reference_from_memo

VECTORS = {v["id"]: v for v in json.loads((Path(__file__).parent / "payment_vectors.json").read_text())["vectors"]}
PAYLOAD_IDS = sorted(k for k, v in VECTORS.items() if v["gateway"] == "vietqr" and v["kind"] == "payload")
PAYOS = VECTORS["payos_webhook_official_doc"]
PAYOS_KEY = PAYOS["inputs"]["checksum_key"]

ENV = {"VIETQR_BANK_BIN": "970436", "VIETQR_ACCOUNT_NO": "0123456789", "VIETQR_ACCOUNT_NAME": "HTX CHO PHIEN"}
PAYOS_ENV = {"PAYOS_CLIENT_ID": "cid", "PAYOS_API_KEY": "akey", "PAYOS_CHECKSUM_KEY": PAYOS_KEY}


def payment(reference: str = "ORD20240101A", amount: int = 250000) -> PaymentRequest:
    return PaymentRequest(
        reference=reference,
        amount=amount,
        description="Đơn hàng gạo ST25",
        return_url="https://shop.example.vn/pay/return",
        notify_url="https://shop.example.vn/pay/notify",
    )


def gateway(with_payos: bool = True) -> VietQRGateway:
    built = VietQRGateway.from_env({**ENV, **(PAYOS_ENV if with_payos else {})})
    assert built is not None
    return built


def payos_body(data: dict[str, Any], key: str = PAYOS_KEY) -> bytes:
    verifier = PayOSWebhookVerifier(client_id="c", api_key="a", checksum_key=key)
    envelope = {
        "code": "00",
        "desc": "success",
        "success": True,
        "data": data,
        "signature": verifier.signature_of(data),
    }
    return json.dumps(envelope, ensure_ascii=False).encode()


def test_payload_vectors_are_all_listed() -> None:
    assert PAYLOAD_IDS == [
        "vietqr_acb_dynamic",
        "vietqr_acb_static",
        "vietqr_mb_subiz_dynamic",
        "vietqr_tpbank_subiz_static",
        "vietqr_vcb_diacritics_stripped",
        "vietqr_vcb_order_self",
    ]


def test_crc_check_value() -> None:
    v = VECTORS["crc16_ccitt_false_check_value"]
    assert crc16_ccitt_false(v["inputs"]["data_ascii"]) == v["expected_signature"] == "29B1"
    assert crc16_ccitt_false(b"123456789") == "29B1"


@pytest.mark.parametrize("vector_id", PAYLOAD_IDS)
def test_payload_vector(vector_id: str) -> None:
    v = VECTORS[vector_id]
    i = v["inputs"]
    payload = vietqr_payload(
        bank_bin=i["bank_bin"], account=i["account"], amount=i.get("amount_vnd"), purpose=i.get("purpose")
    )
    assert payload == v["expected_payload"]
    assert payload[:-4] == v["expected_canonical"]
    assert crc16_ccitt_false(v["expected_canonical"]) == v["expected_signature"]
    assert check_crc(payload)


def test_gateway_start_reproduces_order_vector() -> None:
    v = VECTORS["vietqr_vcb_order_self"]
    action = gateway(with_payos=False).start(payment("ORD20240101A", 250000))
    assert action.kind is ActionKind.QR
    assert action.qr_payload == v["expected_payload"]
    assert action.url is None and action.client_secret is None


def test_payload_structure() -> None:
    payload = gateway().start(payment("ord-2024/01-01-A", 120000)).qr_payload
    assert payload is not None
    fields = parse_tlv(payload)
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["01"] == "12"
    account = parse_tlv(fields["38"])
    assert account == {"00": "A000000727", "01": "000697043601100123456789", "02": "QRIBFTTA"}
    assert parse_tlv(account["01"]) == {"00": "970436", "01": "0123456789"}
    assert fields["53"] == "704" and fields["54"] == "120000" and fields["58"] == "VN"
    assert parse_tlv(fields["62"]) == {"08": "DH ORD20240101A"}
    assert check_crc(payload)
    assert not check_crc(payload[:-1] + ("0" if payload[-1] != "0" else "1"))


def test_memo_helpers() -> None:
    assert memo_reference("ord-2024/01") == "ORD202401"
    assert memo_for("Đơn-1") == "DH DON1"
    assert reference_from_memo("MBVCB.123.DH ORD20240101A.CT tu 0011") == "ORD20240101A"
    assert reference_from_memo("dhord20240101a chuyen tien") == "ORD20240101A"
    assert reference_from_memo("ADH X") is None
    assert reference_from_memo("no memo") is None
    assert ascii_fold("Lâm Đồng đẹp") == "Lam Dong dep"
    assert sanitize_memo("  ủng hộ / lũ lụt!! ") == "ung ho lu lut"
    with pytest.raises(ValueError):
        memo_reference("---")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bank_bin": "97043", "account": "1"},
        {"bank_bin": "970436", "account": "12 34"},
        {"bank_bin": "970436", "account": "1" * 20},
        {"bank_bin": "970436", "account": "1", "amount": 0},
        {"bank_bin": "970436", "account": "1", "amount": -5},
        {"bank_bin": "970436", "account": "1", "purpose": "Chuyển tiền"},
        {"bank_bin": "970436", "account": "1", "purpose": "x" * 96},
        {"bank_bin": "970436", "account": "1", "service_code": "QRPUSH"},
    ],
)
def test_payload_rejects_bad_input(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        vietqr_payload(**kwargs)


def test_tlv_length_is_two_digits() -> None:
    assert tlv("08", "abc") == "0803abc"
    with pytest.raises(ValueError):
        tlv("8", "abc")


def test_from_env() -> None:
    assert VietQRGateway.from_env({}) is None
    assert VietQRGateway.from_env({k: v for k, v in ENV.items() if k != "VIETQR_ACCOUNT_NAME"}) is None
    manual = VietQRGateway.from_env(ENV)
    assert manual is not None and not manual.automatic_confirmation
    auto = VietQRGateway.from_env({**ENV, **PAYOS_ENV})
    assert auto is not None and auto.automatic_confirmation
    assert (auto.id, auto.supports_refund) == ("vietqr", False)


def test_payos_official_vector_becomes_notification() -> None:
    note = gateway().parse_notification(
        HttpLikeRequest(method="POST", body=json.dumps(PAYOS["expected_body"]).encode())
    )
    assert note.status is NotificationStatus.PAID
    assert note.amount == 3000
    assert note.reference == "123"  # memo "VQRIO123" has no DH token: falls back to orderCode
    assert note.gateway_transaction_id == "TF230204212323"
    assert note.merchant_id == "12345678"
    assert note.currency == "VND"


def test_payos_webhook_for_our_qr_round_trip() -> None:
    data = copy.deepcopy(PAYOS["inputs"]["data"])
    data.update(amount=250000, description="CUSTOMER DH ORD20240101A FT24001", accountNumber="0123456789")
    note = gateway().parse_notification(HttpLikeRequest(method="POST", body=payos_body(data)))
    assert note.reference == memo_reference("ORD20240101A")
    assert note.amount == 250000
    assert note.status is NotificationStatus.PAID
    assert note.raw["description"] == "CUSTOMER DH ORD20240101A FT24001"


def test_payos_non_success_code_changes_nothing() -> None:
    data = {**PAYOS["inputs"]["data"], "code": "01", "description": "DH ORD1"}
    note = gateway().parse_notification(HttpLikeRequest(method="POST", body=payos_body(data)))
    assert note.status is NotificationStatus.PENDING


def test_amount_changed_notification_is_rejected() -> None:
    envelope = copy.deepcopy(PAYOS["expected_body"])
    envelope["data"]["amount"] = 3_000_000
    with pytest.raises(InvalidSignature):
        gateway().parse_notification(HttpLikeRequest(method="POST", body=json.dumps(envelope).encode()))


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{}",
        payos_body({"amount": 1, "description": "DH X", "code": "00"}, key="forger-key"),
    ],
)
def test_forged_notifications_are_rejected(body: bytes) -> None:
    with pytest.raises(InvalidSignature):
        gateway().parse_notification(HttpLikeRequest(method="POST", body=body))


def test_without_payos_notifications_are_unavailable() -> None:
    with pytest.raises(GatewayUnavailable):
        gateway(with_payos=False).parse_notification(
            HttpLikeRequest(method="POST", body=json.dumps(PAYOS["expected_body"]).encode())
        )


def test_replies() -> None:
    gw = gateway()
    ok = gw.reply(ReplyOutcome.OK)
    assert (ok.status, json.loads(ok.body), ok.content_type) == (200, {"success": True}, "application/json")
    assert gw.reply(ReplyOutcome.ALREADY_CONFIRMED).status == 200
    assert gw.reply(ReplyOutcome.NOT_FOUND).status == 200
    assert gw.reply(ReplyOutcome.BAD_SIGNATURE).status == 400
    assert json.loads(gw.reply(ReplyOutcome.BAD_SIGNATURE).body) == {"success": False}
    assert gw.reply(ReplyOutcome.ERROR).status == 500


def test_refund_is_manual() -> None:
    result = gateway().refund(reference="ORD1", gateway_transaction_id="TF1", amount=1000, total=1000)
    assert result.ok is False
    assert result.manual is True
