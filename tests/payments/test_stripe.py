"""Stripe adapter: PaymentIntent/refund through stripe.StripeClient with a recording fake HTTP client,
webhook signatures per Stripe's documented scheme (no Django, no network)."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest
import stripe

from payments.base import (
    ActionKind,
    GatewayUnavailable,
    HttpLikeRequest,
    InvalidSignature,
    NotificationStatus,
    PaymentRequest,
    ReplyOutcome,
)
from payments.stripe_gateway import StripeGateway

VECTORS = {v["id"]: v for v in json.loads((Path(__file__).parent / "payment_vectors.json").read_text())["vectors"]}
VECTOR = VECTORS["stripe_webhook_header"]
SECRET = VECTOR["inputs"]["secret"]
T = VECTOR["inputs"]["timestamp"]


class FakeHTTPClient(stripe.HTTPClient):
    """Records what the SDK sends and answers with canned JSON."""

    name: ClassVar[str] = "fake"

    def __init__(self, *responses: tuple[int, dict[str, Any]]) -> None:
        super().__init__()
        self.responses = list(responses)
        self.calls: list[tuple[str, str, Mapping[str, str] | None, dict[str, str]]] = []

    def request(
        self, method: str, url: str, headers: Mapping[str, str] | None, post_data: Any = None, *, _usage: Any = None
    ) -> tuple[str, int, Mapping[str, str]]:
        raw = post_data.decode() if isinstance(post_data, bytes) else (post_data or "")
        self.calls.append((method, url, headers, dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))))
        status, body = self.responses.pop(0)
        return json.dumps(body), status, {"request-id": "req_test"}

    def close(self) -> None:
        pass


def make(*responses: tuple[int, dict[str, Any]], now: float = T + 10) -> tuple[StripeGateway, FakeHTTPClient]:
    http = FakeHTTPClient(*responses)
    client = stripe.StripeClient("sk_test_123", http_client=http)
    return StripeGateway(secret_key="sk_test_123", webhook_secret=SECRET, client=client, clock=lambda: now), http


def header_for(payload: str | bytes, timestamp: int = T, secret: str = SECRET) -> str:
    text = payload.decode() if isinstance(payload, bytes) else payload
    v1 = hmac.new(secret.encode(), f"{timestamp}.{text}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={v1}"


def event(event_type: str, obj: dict[str, Any], event_id: str = "evt_1") -> bytes:
    return json.dumps({"id": event_id, "object": "event", "type": event_type, "data": {"object": obj}}).encode()


def webhook(body: bytes, header: str | None = None, name: str = "Stripe-Signature") -> HttpLikeRequest:
    return HttpLikeRequest(method="POST", body=body, headers={name: header if header is not None else header_for(body)})


def payment(**overrides: Any) -> PaymentRequest:
    values: dict[str, Any] = {
        "reference": "ORD20240101A",
        "amount": 150000,
        "description": "Tour trải nghiệm Đà Lạt",
        "return_url": "https://shop.example.vn/pay/stripe/return",
        "notify_url": "https://shop.example.vn/pay/stripe/webhook",
    }
    values.update(overrides)
    return PaymentRequest(**values)


def test_vector_header_matches_documented_scheme() -> None:
    payload = VECTOR["inputs"]["payload"]
    assert f"{T}.{payload}" == VECTOR["expected_canonical"]
    assert header_for(payload) == VECTOR["expected_header"]
    assert VECTOR["expected_header"].endswith(VECTOR["expected_signature"])
    # and stripe's own verifier accepts it
    assert stripe.WebhookSignature.verify_header(payload, VECTOR["expected_header"], SECRET, tolerance=None)


def test_vector_event_verifies_and_parses() -> None:
    gw, _ = make()
    body = VECTOR["inputs"]["payload"].encode()
    note = gw.parse_notification(webhook(body, VECTOR["expected_header"]))
    assert note.status is NotificationStatus.PAID
    assert note.amount == 150000  # zero-decimal: whole đồng
    assert note.currency == "VND"
    assert note.gateway_transaction_id == "pi_1"
    assert note.raw["id"] == "evt_test_1"


def test_construct_event_accepts_our_header() -> None:
    payload = VECTOR["inputs"]["payload"]
    built = stripe.Webhook.construct_event(payload, VECTOR["expected_header"], SECRET, tolerance=None)
    assert built["type"] == "payment_intent.succeeded"


def test_header_lookup_is_case_insensitive_and_accepts_django_meta_name() -> None:
    gw, _ = make()
    body = VECTOR["inputs"]["payload"].encode()
    assert gw.parse_notification(webhook(body, name="stripe-signature")).amount == 150000
    assert gw.parse_notification(webhook(body, name="HTTP_STRIPE_SIGNATURE")).amount == 150000


def test_rotation_any_v1_matches() -> None:
    gw, _ = make()
    body = VECTOR["inputs"]["payload"].encode()
    good = header_for(body).split(",")[1]
    assert gw.parse_notification(webhook(body, f"t={T},v1={'0' * 64},{good},v0=abc")).amount == 150000


@pytest.mark.parametrize(
    "mutate_body,mutate_header",
    [
        (lambda b: b.replace(b"150000", b"1500"), None),  # amount changed
        (lambda b: b.replace(b"pi_1", b"pi_2"), None),
        (lambda b: b + b" ", None),
        (None, lambda h: h.replace("v1=b", "v1=c")),
        (None, lambda h: h.replace(f"t={T}", f"t={T + 1}")),
        (None, lambda h: h.replace("v1=", "v0=")),
        (None, lambda h: f"t={T}"),
        (None, lambda h: "garbage"),
        (None, lambda h: ""),
    ],
)
def test_tampered_or_forged_webhooks_are_rejected(mutate_body: Any, mutate_header: Any) -> None:
    gw, _ = make()
    body = VECTOR["inputs"]["payload"].encode()
    header = VECTOR["expected_header"]
    if mutate_body:
        body = mutate_body(body)
    if mutate_header:
        header = mutate_header(header)
    with pytest.raises(InvalidSignature):
        gw.parse_notification(webhook(body, header))


def test_wrong_secret_and_missing_header() -> None:
    gw, _ = make()
    body = VECTOR["inputs"]["payload"].encode()
    with pytest.raises(InvalidSignature):
        gw.parse_notification(webhook(body, header_for(body, secret="whsec_other")))
    with pytest.raises(InvalidSignature):
        gw.parse_notification(HttpLikeRequest(method="POST", body=body))


@pytest.mark.parametrize("offset", [-301, 301, -10_000])
def test_timestamp_outside_tolerance_is_rejected(offset: int) -> None:
    gw, _ = make(now=T - offset)
    body = VECTOR["inputs"]["payload"].encode()
    with pytest.raises(InvalidSignature):
        gw.parse_notification(webhook(body, VECTOR["expected_header"]))


def test_timestamp_inside_tolerance_is_accepted() -> None:
    for now in (T - 300, T + 300):
        gw, _ = make(now=now)
        body = VECTOR["inputs"]["payload"].encode()
        assert gw.parse_notification(webhook(body, VECTOR["expected_header"])).status is NotificationStatus.PAID


def test_payment_failed_and_refunded_events() -> None:
    gw, _ = make()
    failed = event(
        "payment_intent.payment_failed",
        {"id": "pi_9", "object": "payment_intent", "amount": 99000, "amount_received": 0, "currency": "vnd",
         "metadata": {"reference": "ORD9"}},
    )  # fmt: skip
    note = gw.parse_notification(webhook(failed))
    assert (note.status, note.amount, note.reference, note.gateway_transaction_id) == (
        NotificationStatus.FAILED, 99000, "ORD9", "pi_9"
    )  # fmt: skip

    refunded = event(
        "charge.refunded",
        {"id": "ch_9", "object": "charge", "amount": 99000, "amount_refunded": 50000, "currency": "vnd",
         "payment_intent": "pi_9", "metadata": {"reference": "ORD9"}},
    )  # fmt: skip
    note = gw.parse_notification(webhook(refunded))
    assert (note.status, note.amount, note.reference, note.gateway_transaction_id) == (
        NotificationStatus.REFUNDED, 50000, "ORD9", "pi_9"
    )  # fmt: skip

    succeeded = event(
        "payment_intent.succeeded",
        {"id": "pi_8", "amount": 150000, "amount_received": 150000, "currency": "vnd", "metadata": {"reference": "R8"}},
    )
    note = gw.parse_notification(webhook(succeeded))
    assert (note.status, note.amount, note.reference) == (NotificationStatus.PAID, 150000, "R8")


def test_other_events_change_nothing() -> None:
    gw, _ = make()
    note = gw.parse_notification(webhook(event("customer.created", {"id": "cus_1"})))
    assert note.status is NotificationStatus.PENDING
    assert note.amount == 0


def test_replies() -> None:
    gw, _ = make()
    ok = gw.reply(ReplyOutcome.OK)
    assert (ok.status, json.loads(ok.body), ok.content_type) == (200, {"received": True}, "application/json")
    for outcome in (ReplyOutcome.ALREADY_CONFIRMED, ReplyOutcome.NOT_FOUND, ReplyOutcome.AMOUNT_MISMATCH):
        assert gw.reply(outcome).status == 200
    assert gw.reply(ReplyOutcome.BAD_SIGNATURE).status == 400
    assert gw.reply(ReplyOutcome.ERROR).status == 500


def test_start_creates_vnd_payment_intent() -> None:
    gw, http = make((200, {"id": "pi_123", "object": "payment_intent", "client_secret": "pi_123_secret_abc"}))
    action = gw.start(payment())
    assert action.kind is ActionKind.CLIENT_SECRET
    assert action.client_secret == "pi_123_secret_abc"
    assert action.gateway_reference == "pi_123"

    method, url, headers, fields = http.calls[0]
    assert method == "post"
    assert url == "https://api.stripe.com/v1/payment_intents"
    assert fields["amount"] == "150000"  # no x100 for VND
    assert fields["currency"] == "vnd"
    assert fields["metadata[reference]"] == "ORD20240101A"
    assert fields["automatic_payment_methods[enabled]"] == "true"
    assert headers is not None
    assert headers["Idempotency-Key"] == "pi-ORD20240101A"
    assert headers["Authorization"] == "Bearer sk_test_123"


def test_start_error_raises_unavailable() -> None:
    gw, _ = make((400, {"error": {"type": "invalid_request_error", "message": "Amount must be at least ₫12,000"}}))
    with pytest.raises(GatewayUnavailable):
        gw.start(payment(amount=1000))


def test_refund_through_sdk() -> None:
    gw, http = make((200, {"id": "re_1", "object": "refund", "status": "succeeded", "amount": 50000}))
    result = gw.refund(reference="ORD20240101A", gateway_transaction_id="pi_123", amount=50000, total=150000)
    assert result.ok and result.gateway_reference == "re_1"
    method, url, _, fields = http.calls[0]
    assert (method, url) == ("post", "https://api.stripe.com/v1/refunds")
    assert fields["payment_intent"] == "pi_123"
    assert fields["amount"] == "50000"


def test_refund_failures() -> None:
    gw, http = make((200, {"id": "re_2", "object": "refund", "status": "failed"}))
    assert not gw.refund(reference="A", gateway_transaction_id="pi_1", amount=1, total=1).ok
    assert not gw.refund(reference="A", gateway_transaction_id="pi_1", amount=2, total=1).ok
    assert not gw.refund(reference="A", gateway_transaction_id="ch_1", amount=1, total=1).ok
    assert len(http.calls) == 1
    gw, _ = make((402, {"error": {"type": "invalid_request_error", "message": "already refunded"}}))
    assert not gw.refund(reference="A", gateway_transaction_id="pi_1", amount=1, total=1).ok


def test_from_env() -> None:
    assert StripeGateway.from_env({}) is None
    assert StripeGateway.from_env({"STRIPE_SECRET_KEY": "sk_test_1"}) is None
    built = StripeGateway.from_env({"STRIPE_SECRET_KEY": "sk_test_1", "STRIPE_WEBHOOK_SECRET": SECRET})
    assert built is not None and built.id == "stripe" and built.supports_refund
