"""An offline gateway for development (DEBUG only): the buyer lands on our own sandbox page whose
Pay / Fail buttons POST a notification signed here, so it takes the same verify -> parse path as a
real gateway's IPN.

Wire format: `{"data": "<JSON string>", "signature": "<hex>"}` where
`signature = HMAC_SHA256(secret, data)` over the data string exactly as sent (never re-serialised)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from payments.base import (
    ActionKind,
    GatewayDefaults,
    HttpLikeRequest,
    InvalidSignature,
    Notification,
    NotificationReply,
    NotificationStatus,
    PaymentAction,
    PaymentRequest,
    RefundResult,
    ReplyOutcome,
    gettext_noop,
)
from payments.signing import constant_time_equals, hmac_sha256_hex, json_reply_body, setting

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class SandboxGateway(GatewayDefaults):
    id: str = "sandbox"
    name: str = "Sandbox (dev)"
    label: str = gettext_noop("Sandbox gateway (test, no money moves)")
    supports_refund: bool = True
    debug_only: bool = True
    notify_path: str | None = "/payments/sandbox/notify"

    def __init__(self, secret: str, base_url: str = DEFAULT_BASE_URL) -> None:
        if not secret:
            raise ValueError("the sandbox gateway needs a secret")
        self._secret = secret
        self.base_url = base_url.rstrip("/")

    def __repr__(self) -> str:
        return f"SandboxGateway(base_url={self.base_url!r})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> SandboxGateway | None:
        """Secret derived from SECRET_KEY (or a fixed dev value); base URL from PUBLIC_URL or PORT."""
        root = setting(environ, "SECRET_KEY") or "cho-phien-dev-sandbox"
        base_url = setting(environ, "PUBLIC_URL") or f"http://127.0.0.1:{setting(environ, 'PORT') or '8000'}"
        return cls(hmac_sha256_hex(root, "payments.sandbox"), base_url)

    def start(self, payment: PaymentRequest) -> PaymentAction:
        return PaymentAction(
            kind=ActionKind.REDIRECT, url=f"{self.base_url}/payments/sandbox/{quote(payment.reference, safe='')}"
        )

    def sign_notification(
        self,
        reference: str,
        amount: int,
        status: NotificationStatus | str,
        *,
        transaction_id: str | None = None,
    ) -> bytes:
        """The JSON body the sandbox page's buttons POST to the notification endpoint."""
        data = json.dumps(
            {
                "reference": reference,
                "amount": int(amount),
                "status": NotificationStatus(status).value,
                "transaction_id": transaction_id or f"SBX-{uuid.uuid4().hex[:16]}",
            },
            ensure_ascii=False,
            separators=(",", ":"),
            sort_keys=True,
        )
        return json_reply_body({"data": data, "signature": hmac_sha256_hex(self._secret, data)})

    def parse_notification(self, request: HttpLikeRequest) -> Notification:
        try:
            envelope = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise InvalidSignature("sandbox notification is not JSON") from exc
        if not isinstance(envelope, dict):
            raise InvalidSignature("sandbox notification is not a JSON object")
        data, received = envelope.get("data"), envelope.get("signature")
        if not isinstance(data, str) or not isinstance(received, str) or not received:
            raise InvalidSignature("sandbox notification lacks data or signature")
        if not constant_time_equals(hmac_sha256_hex(self._secret, data), received):
            raise InvalidSignature("sandbox signature does not match")
        # Signed by us from here on.
        try:
            fields: dict[str, Any] = json.loads(data)
            return Notification(
                reference=str(fields["reference"]),
                amount=int(fields["amount"]),
                status=NotificationStatus(fields["status"]),
                gateway_transaction_id=str(fields["transaction_id"]),
                merchant_id=None,
                raw=fields,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"sandbox notification lacks a valid field: {exc}") from exc

    def reply(self, outcome: ReplyOutcome) -> NotificationReply:
        if outcome in (ReplyOutcome.OK, ReplyOutcome.ALREADY_CONFIRMED):
            return NotificationReply(status=200, body=json_reply_body({"ok": True}))
        status = {ReplyOutcome.BAD_SIGNATURE: 400, ReplyOutcome.ERROR: 500}.get(outcome, 200)
        return NotificationReply(status=status, body=json_reply_body({"ok": False, "error": outcome.value}))

    def refund(
        self,
        *,
        reference: str,
        gateway_transaction_id: str,
        amount: int,
        total: int,
        created_at_epoch: float | None = None,
    ) -> RefundResult:
        if amount <= 0 or amount > total:
            raise ValueError("refund amount must be positive and at most the captured total")
        return RefundResult(ok=True, gateway_reference=f"SBX-RF-{uuid.uuid4().hex[:12]}", message="sandbox refund")
