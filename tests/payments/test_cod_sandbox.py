"""Cash on delivery and the offline sandbox gateway."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payments.base import (
    ActionKind,
    HttpLikeRequest,
    InvalidSignature,
    NotificationStatus,
    PaymentRequest,
    ReplyOutcome,
)
from payments.cod import CashOnDeliveryGateway
from payments.sandbox import SandboxGateway
from payments.signing import hmac_sha256_hex

PAYMENT = PaymentRequest("ORD1-1", 180_000, "Dâu tây Đà Lạt", "https://s/r", "https://s/n")


def test_cod_needs_no_online_step_and_has_no_notifications() -> None:
    cod = CashOnDeliveryGateway()
    assert cod.id == "cod" and not cod.supports_refund
    assert cod.start(PAYMENT).kind is ActionKind.NONE
    with pytest.raises(InvalidSignature):
        cod.parse_notification(HttpLikeRequest("POST", body=b"{}"))
    assert cod.reply(ReplyOutcome.BAD_SIGNATURE).status == 400


def test_cod_refund_is_manual() -> None:
    result = CashOnDeliveryGateway().refund(reference="ORD1", gateway_transaction_id="", amount=10, total=10)
    assert result.ok and result.manual
    with pytest.raises(ValueError):
        CashOnDeliveryGateway().refund(reference="ORD1", gateway_transaction_id="", amount=11, total=10)


def sandbox() -> SandboxGateway:
    return SandboxGateway("dev-secret", base_url="http://127.0.0.1:8000/")


def test_sandbox_start_redirects_to_its_page() -> None:
    action = sandbox().start(PAYMENT)
    assert action.kind is ActionKind.REDIRECT
    assert action.url == "http://127.0.0.1:8000/payments/sandbox/ORD1-1"


@pytest.mark.parametrize("status", [NotificationStatus.PAID, NotificationStatus.FAILED, "PAID"])
def test_sandbox_signed_notification_round_trip(status: NotificationStatus | str) -> None:
    gw = sandbox()
    body = gw.sign_notification("ORD1-1", 180_000, status, transaction_id="SBX-1")
    n = gw.parse_notification(HttpLikeRequest("POST", body=body))
    assert (n.reference, n.amount, n.status, n.gateway_transaction_id) == (
        "ORD1-1",
        180_000,
        NotificationStatus(status),
        "SBX-1",
    )


def test_sandbox_rejects_tampering_forgery_and_garbage() -> None:
    gw = sandbox()
    envelope = json.loads(gw.sign_notification("ORD1-1", 180_000, NotificationStatus.PAID))
    tampered = {**envelope, "data": envelope["data"].replace("180000", "1000")}
    forged_data = envelope["data"]
    forged = {"data": forged_data, "signature": hmac_sha256_hex("other-secret", forged_data)}
    for bad in (tampered, forged, {"data": forged_data}, {"signature": envelope["signature"]}, [1]):
        with pytest.raises(InvalidSignature):
            gw.parse_notification(HttpLikeRequest("POST", body=json.dumps(bad).encode()))
    with pytest.raises(InvalidSignature):
        gw.parse_notification(HttpLikeRequest("POST", body=b"\xff\xfe"))
    with pytest.raises(InvalidSignature):  # another instance's secret
        SandboxGateway("other").parse_notification(HttpLikeRequest("POST", body=json.dumps(envelope).encode()))


@settings(max_examples=80, deadline=None)
@given(
    amount=st.integers(min_value=1, max_value=10**12),
    reference=st.text(min_size=1, max_size=40),
    data=st.data(),
)
def test_sandbox_property_round_trip_and_one_character_change(amount: int, reference: str, data: st.DataObject) -> None:
    gw = sandbox()
    envelope = json.loads(gw.sign_notification(reference, amount, NotificationStatus.PAID, transaction_id="T1"))
    n = gw.parse_notification(HttpLikeRequest("POST", body=json.dumps(envelope).encode()))
    assert (n.reference, n.amount) == (reference, amount)
    key = data.draw(st.sampled_from(["data", "signature"]))
    text: str = envelope[key]
    pos = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    replacement = data.draw(st.characters(codec="utf-8").filter(lambda c: c != text[pos]))
    changed = {**envelope, key: text[:pos] + replacement + text[pos + 1 :]}
    with pytest.raises(InvalidSignature):
        gw.parse_notification(HttpLikeRequest("POST", body=json.dumps(changed).encode()))


def test_sandbox_replies_and_refund() -> None:
    gw = sandbox()
    assert json.loads(gw.reply(ReplyOutcome.OK).body) == {"ok": True}
    assert json.loads(gw.reply(ReplyOutcome.ALREADY_CONFIRMED).body) == {"ok": True}
    assert gw.reply(ReplyOutcome.BAD_SIGNATURE).status == 400
    assert json.loads(gw.reply(ReplyOutcome.NOT_FOUND).body)["ok"] is False
    result = gw.refund(reference="ORD1", gateway_transaction_id="SBX-1", amount=5, total=10)
    assert result.ok and not result.manual and gw.supports_refund


def test_sandbox_from_env_derives_secret_and_url() -> None:
    a = SandboxGateway.from_env({"SECRET_KEY": "k1", "PUBLIC_URL": "https://dev.example.vn"})
    b = SandboxGateway.from_env({"SECRET_KEY": "k2"})
    assert a is not None and b is not None
    assert a.start(PAYMENT).url == "https://dev.example.vn/payments/sandbox/ORD1-1"
    assert b.start(PAYMENT).url == "http://127.0.0.1:8000/payments/sandbox/ORD1-1"
    with pytest.raises(InvalidSignature):  # different SECRET_KEY -> different sandbox secret
        b.parse_notification(HttpLikeRequest("POST", body=a.sign_notification("ORD1-1", 1, "PAID")))
    assert "k1" not in repr(a)
