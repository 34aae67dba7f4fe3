"""MoMo AIO v2: create (captureWallet), IPN verification, refund.

See ../shared/reference/payments.md section 2. Signatures are HMAC-SHA256 (secretKey) over raw,
un-encoded `key=value` strings with the keys in alphabetical order; `accessKey` is signed but
never sent in the v2 body."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from payments.base import (
    ActionKind,
    GatewayDefaults,
    GatewayUnavailable,
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
from payments.signing import Opener, constant_time_equals, hmac_sha256_hex, post_json, setting, urlopen_opener

SANDBOX_ENDPOINT = "https://test-payment.momo.vn"
CREATE_PATH = "/v2/gateway/api/create"
REFUND_PATH = "/v2/gateway/api/refund"

CREATE_SIGNED_FIELDS = (
    "accessKey",
    "amount",
    "extraData",
    "ipnUrl",
    "orderId",
    "orderInfo",
    "partnerCode",
    "redirectUrl",
    "requestId",
    "requestType",
)
IPN_SIGNED_FIELDS = (
    "accessKey",
    "amount",
    "extraData",
    "message",
    "orderId",
    "orderInfo",
    "orderType",
    "partnerCode",
    "payType",
    "requestId",
    "responseTime",
    "resultCode",
    "transId",
)
# [unverified] field list of MoMo's refund signature (reference section 2 did not check it).
REFUND_SIGNED_FIELDS = ("accessKey", "amount", "description", "orderId", "partnerCode", "requestId", "transId")

PENDING_RESULT_CODES = frozenset({"1000", "7000", "7002", "9000"})  # 9000: authorized, fail closed


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def raw_signature(fields: Mapping[str, object], order: tuple[str, ...]) -> str:
    """`key=value&...` in the given (alphabetical) order, values as received, nothing URL-encoded."""
    return "&".join(f"{name}={_text(fields.get(name))}" for name in order)


class MoMoGateway(GatewayDefaults):
    id: str = "momo"
    name: str = "Ví MoMo"
    label: str = gettext_noop("MoMo")
    supports_refund: bool = True
    notify_path: str | None = "/payments/momo/ipn"

    def __init__(
        self,
        partner_code: str,
        access_key: str,
        secret_key: str,
        endpoint: str = SANDBOX_ENDPOINT,
        *,
        request_type: str = "captureWallet",
        opener: Opener | None = None,
        timeout: float = 30.0,
        request_id_factory: Callable[[str], str] | None = None,
    ) -> None:
        if not partner_code or not access_key or not secret_key:
            raise ValueError("MoMo needs a partner code, an access key and a secret key")
        self.partner_code = partner_code
        self._access_key = access_key
        self._secret_key = secret_key
        # MOMO_ENDPOINT may be the host or the full create URL.
        base = endpoint.rstrip("/")
        for path in (CREATE_PATH, REFUND_PATH):
            if base.endswith(path):
                base = base[: -len(path)]
        self.endpoint = base
        self.request_type = request_type
        self._opener: Opener = opener or urlopen_opener
        self.timeout = timeout
        self._request_id = request_id_factory or (lambda reference: f"{reference}-{uuid.uuid4().hex[:12]}")

    @property
    def merchant_id(self) -> str | None:
        return self.partner_code

    def __repr__(self) -> str:
        return f"MoMoGateway(partner_code={self.partner_code!r}, endpoint={self.endpoint!r})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str], **kwargs: Any) -> MoMoGateway | None:
        values = [setting(environ, name) for name in ("MOMO_PARTNER_CODE", "MOMO_ACCESS_KEY", "MOMO_SECRET_KEY")]
        endpoint = setting(environ, "MOMO_ENDPOINT")
        partner_code, access_key, secret_key = values
        if not partner_code or not access_key or not secret_key or not endpoint:
            return None
        return cls(partner_code, access_key, secret_key, endpoint, **kwargs)

    def sign(self, fields: Mapping[str, object], order: tuple[str, ...]) -> tuple[str, str]:
        """(raw string, signature) with our accessKey filled in."""
        raw = raw_signature({**fields, "accessKey": self._access_key}, order)
        return raw, hmac_sha256_hex(self._secret_key, raw)

    # -- create ----------------------------------------------------------------

    def create_body(self, payment: PaymentRequest, *, extra_data: str = "") -> dict[str, Any]:
        if payment.amount <= 0:
            raise ValueError("amount must be positive")
        body: dict[str, Any] = {
            "partnerCode": self.partner_code,
            "requestId": self._request_id(payment.reference),
            "amount": payment.amount,
            "orderId": payment.reference,
            "orderInfo": payment.description,
            "redirectUrl": payment.return_url,
            "ipnUrl": payment.notify_url,
            "requestType": self.request_type,
            "extraData": extra_data,
            "lang": "en" if payment.locale == "en" else "vi",
        }
        body["signature"] = self.sign(body, CREATE_SIGNED_FIELDS)[1]
        return body

    def start(self, payment: PaymentRequest) -> PaymentAction:
        answer = post_json(self._opener, self.endpoint + CREATE_PATH, self.create_body(payment), self.timeout)
        result_code = _text(answer.get("resultCode"))
        pay_url = answer.get("payUrl") or None
        qr = answer.get("qrCodeUrl") or None
        if result_code != "0" or not (pay_url or qr):
            raise GatewayUnavailable(f"MoMo create failed: {result_code} {_text(answer.get('message'))}".strip())
        if pay_url:
            return PaymentAction(kind=ActionKind.REDIRECT, url=str(pay_url), qr_payload=_text(qr) or None)
        return PaymentAction(kind=ActionKind.QR, qr_payload=str(qr))

    # -- IPN -------------------------------------------------------------------------

    def parse_notification(self, request: HttpLikeRequest) -> Notification:
        try:
            # Keep numbers as their received text so we sign exactly what MoMo signed.
            body = json.loads(request.body.decode("utf-8"), parse_int=str, parse_float=str)
        except (UnicodeDecodeError, ValueError) as exc:
            raise InvalidSignature("MoMo IPN body is not JSON") from exc
        if not isinstance(body, dict):
            raise InvalidSignature("MoMo IPN body is not a JSON object")
        received = body.get("signature")
        if not isinstance(received, str) or not received:
            raise InvalidSignature("MoMo IPN signature missing")
        _, expected = self.sign(body, IPN_SIGNED_FIELDS)
        if not constant_time_equals(expected, received.lower()):
            raise InvalidSignature("MoMo IPN signature does not match")
        # Signed by MoMo from here on.
        try:
            amount = int(body["amount"])
            reference = str(body["orderId"])
        except (KeyError, ValueError) as exc:
            raise ValueError(f"MoMo IPN lacks a valid field: {exc}") from exc
        result_code = _text(body.get("resultCode"))
        if result_code == "0":
            status = NotificationStatus.PAID
        elif result_code in PENDING_RESULT_CODES:
            status = NotificationStatus.PENDING
        else:
            status = NotificationStatus.FAILED
        return Notification(
            reference=reference,
            amount=amount,
            status=status,
            gateway_transaction_id=_text(body.get("transId")),
            merchant_id=_text(body.get("partnerCode")) or None,
            currency="VND",
            raw=body,
        )

    def reply(self, outcome: ReplyOutcome) -> NotificationReply:
        """204 whenever a retry would not help (MoMo acts on nothing in the body); 400 for a bad signature,
        500 for our own error so that a retry, if MoMo makes one, can succeed."""
        if outcome is ReplyOutcome.BAD_SIGNATURE:
            return NotificationReply(status=400, body=b"", content_type="text/plain")
        if outcome is ReplyOutcome.ERROR:
            return NotificationReply(status=500, body=b"", content_type="text/plain")
        return NotificationReply(status=204, body=b"", content_type="text/plain")

    # -- refund ----------------------------------------------------------------------

    def refund_body(
        self,
        *,
        reference: str,
        gateway_transaction_id: str,
        amount: int,
        total: int,
        refund_order_id: str | None = None,
        description: str = "",
    ) -> dict[str, Any]:
        if amount <= 0 or amount > total:
            raise ValueError("refund amount must be positive and at most the captured total")
        order_id = refund_order_id or f"{reference}-RF{int(time.time() * 1000)}"
        body: dict[str, Any] = {
            "partnerCode": self.partner_code,
            "orderId": order_id,
            "requestId": self._request_id(order_id),
            "amount": amount,
            "transId": int(gateway_transaction_id),
            "lang": "vi",
            "description": description,
        }
        body["signature"] = self.sign(body, REFUND_SIGNED_FIELDS)[1]
        return body

    def refund(
        self,
        *,
        reference: str,
        gateway_transaction_id: str,
        amount: int,
        total: int,
        created_at_epoch: float | None = None,
    ) -> RefundResult:
        body = self.refund_body(
            reference=reference, gateway_transaction_id=gateway_transaction_id, amount=amount, total=total
        )
        answer = post_json(self._opener, self.endpoint + REFUND_PATH, body, self.timeout)
        code = _text(answer.get("resultCode"))
        return RefundResult(
            ok=code == "0",
            gateway_reference=_text(answer.get("transId")) or None,
            message=f"{code} {_text(answer.get('message'))}".strip(),
        )
