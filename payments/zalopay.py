"""ZaloPay v2 (reference §3): create order, callback, query (mandatory polling), refund.

Every HTTP call goes through an injectable ``opener(url, body, headers) -> bytes``
so tests never reach the network.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Self

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

VN_TZ = timezone(timedelta(hours=7), "GMT+7")
SANDBOX_ENDPOINT = "https://sb-openapi.zalopay.vn"

Opener = Callable[[str, bytes, Mapping[str, str]], bytes]


def urllib_opener(timeout: float = 30.0) -> Opener:
    """The default opener: POST with urllib; network errors become GatewayUnavailable."""

    def post(url: str, body: bytes, headers: Mapping[str, str]) -> bytes:
        req = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return bytes(resp.read())
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise GatewayUnavailable(f"ZaloPay unreachable: {exc}") from exc

    return post


def hmac_sha256(key: str, message: str) -> str:
    return hmac.new(key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def yymmdd(epoch_ms: int) -> str:
    """The GMT+7 date prefix of ``app_trans_id`` / ``m_refund_id``."""
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).astimezone(VN_TZ).strftime("%y%m%d")


def app_trans_id_for(reference: str, epoch_ms: int) -> str:
    value = f"{yymmdd(epoch_ms)}_{reference}"
    if len(value) > 40:
        raise ValueError(f"app_trans_id longer than 40 characters: {value!r}")
    return value


def reference_from_app_trans_id(app_trans_id: str) -> str:
    """Our reference is what follows the ``yymmdd_`` prefix."""
    prefix, sep, rest = app_trans_id.partition("_")
    if not sep or len(prefix) != 6 or not prefix.isdigit():
        raise ValueError(f"not a yymmdd_ app_trans_id: {app_trans_id!r}")
    return rest


def create_mac(
    key1: str,
    *,
    app_id: int | str,
    app_trans_id: str,
    app_user: str,
    amount: int,
    app_time: int,
    embed_data: str,
    item: str,
) -> str:
    return hmac_sha256(key1, f"{app_id}|{app_trans_id}|{app_user}|{amount}|{app_time}|{embed_data}|{item}")


def query_mac(key1: str, *, app_id: int | str, app_trans_id: str) -> str:
    return hmac_sha256(key1, f"{app_id}|{app_trans_id}|{key1}")


def refund_mac(key1: str, *, app_id: int | str, zp_trans_id: str, amount: int, description: str, timestamp: int) -> str:
    # [unverified] field order from ZaloPay's refund doc; not among the reference's checked vectors.
    return hmac_sha256(key1, f"{app_id}|{zp_trans_id}|{amount}|{description}|{timestamp}")


def _compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class ZaloPayGateway(GatewayDefaults):
    id = "zalopay"
    name = "ZaloPay"
    label = gettext_noop("ZaloPay")
    supports_refund = True
    supports_query = True  # required: ZaloPay may never call back
    notify_path: str | None = "/payments/zalopay/callback"

    def __init__(
        self,
        *,
        app_id: int | str,
        key1: str,
        key2: str,
        endpoint: str = SANDBOX_ENDPOINT,
        app_user: str = "cho-phien",
        expire_duration_seconds: int = 900,
        bank_code: str = "",
        opener: Opener | None = None,
        clock: Callable[[], float] = time.time,
        token: Callable[[], str] = lambda: secrets.token_hex(5),
    ) -> None:
        if not (key1 and key2):
            raise ValueError("ZaloPay key1/key2 are empty")
        if not 300 <= expire_duration_seconds <= 2592000:
            raise ValueError("expire_duration_seconds must be within 300..2592000")
        self.app_id = int(app_id)
        self._key1 = key1
        self._key2 = key2
        # Accept the base URL or a full /v2/<call> URL.
        base = endpoint.rstrip("/")
        for suffix in ("/v2/create", "/v2/query", "/v2/refund", "/v2"):
            if base.endswith(suffix):
                base = base[: -len(suffix)]
                break
        self.endpoint = base
        self.app_user = app_user
        self.expire_duration_seconds = expire_duration_seconds
        self.bank_code = bank_code
        self._open = opener or urllib_opener()
        self._clock = clock
        self._token = token

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Self | None:
        values = {
            k: environ.get(k, "").strip()
            for k in ("ZALOPAY_APP_ID", "ZALOPAY_KEY1", "ZALOPAY_KEY2", "ZALOPAY_ENDPOINT")
        }
        if not all(values.values()):
            return None
        return cls(
            app_id=values["ZALOPAY_APP_ID"],
            key1=values["ZALOPAY_KEY1"],
            key2=values["ZALOPAY_KEY2"],
            endpoint=values["ZALOPAY_ENDPOINT"],
        )

    # -- HTTP ---------------------------------------------------------------

    def _post_form(self, path: str, fields: Mapping[str, str | int]) -> dict[str, Any]:
        body = urllib.parse.urlencode({k: str(v) for k, v in fields.items()}).encode("utf-8")
        raw = self._open(
            f"{self.endpoint}{path}",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        )
        try:
            answer = json.loads(raw)
        except ValueError as exc:
            raise GatewayUnavailable(f"ZaloPay {path}: response is not JSON") from exc
        if not isinstance(answer, dict):
            raise GatewayUnavailable(f"ZaloPay {path}: response is not a JSON object")
        return answer

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    # -- create -------------------------------------------------------------

    def build_order(self, payment: PaymentRequest) -> dict[str, str | int]:
        """The signed ``/v2/create`` fields (``embed_data``/``item`` exactly as signed and sent)."""
        if payment.amount <= 0:
            raise ValueError("amount must be positive")
        app_time = int(payment.created_at_epoch * 1000) if payment.created_at_epoch is not None else self._now_ms()
        app_trans_id = app_trans_id_for(payment.reference, app_time)
        embed_data = _compact_json({"redirecturl": payment.return_url})
        item = "[]"
        fields: dict[str, str | int] = {
            "app_id": self.app_id,
            "app_user": self.app_user,
            "app_trans_id": app_trans_id,
            "app_time": app_time,
            "expire_duration_seconds": self.expire_duration_seconds,
            "amount": payment.amount,
            "item": item,
            "description": payment.description[:256],
            "embed_data": embed_data,
            "bank_code": self.bank_code,
            "callback_url": payment.notify_url,
        }
        fields["mac"] = create_mac(
            self._key1,
            app_id=self.app_id,
            app_trans_id=app_trans_id,
            app_user=self.app_user,
            amount=payment.amount,
            app_time=app_time,
            embed_data=embed_data,
            item=item,
        )
        return fields

    def start(self, payment: PaymentRequest) -> PaymentAction:
        fields = self.build_order(payment)
        answer = self._post_form("/v2/create", fields)
        order_url = answer.get("order_url")
        if answer.get("return_code") != 1 or not isinstance(order_url, str) or not order_url:
            raise GatewayUnavailable(
                f"ZaloPay create failed: {answer.get('return_code')} {answer.get('sub_return_code')} "
                f"{answer.get('return_message') or answer.get('sub_return_message')}"
            )
        # gateway_reference is app_trans_id: the key /v2/query needs.
        return PaymentAction(kind=ActionKind.REDIRECT, url=order_url, gateway_reference=str(fields["app_trans_id"]))

    # -- callback -----------------------------------------------------------

    def verify_callback(self, body: bytes) -> dict[str, Any]:
        """Check ``mac = HMAC(key2, data)`` over the received ``data`` string, then parse it."""
        try:
            envelope = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise InvalidSignature("ZaloPay callback body is not JSON") from exc
        if not isinstance(envelope, dict):
            raise InvalidSignature("ZaloPay callback body is not an object")
        data, mac = envelope.get("data"), envelope.get("mac")
        if not isinstance(data, str) or not isinstance(mac, str):
            raise InvalidSignature("ZaloPay callback without data/mac")
        expected = hmac_sha256(self._key2, data)
        if not hmac.compare_digest(expected.encode("ascii"), mac.lower().encode("utf-8", "replace")):
            raise InvalidSignature("ZaloPay callback mac mismatch")
        try:
            parsed = json.loads(data)
        except ValueError as exc:
            raise InvalidSignature("ZaloPay callback data is not JSON") from exc
        if not isinstance(parsed, dict):
            raise InvalidSignature("ZaloPay callback data is not an object")
        return parsed

    def parse_notification(self, request: HttpLikeRequest) -> Notification:
        data = self.verify_callback(request.body)
        amount = data.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ValueError(f"ZaloPay amount is not an integer: {amount!r}")
        app_trans_id = str(data.get("app_trans_id", ""))
        # Callbacks are only sent for successful payments.
        return Notification(
            reference=reference_from_app_trans_id(app_trans_id),
            amount=amount,
            status=NotificationStatus.PAID,
            gateway_transaction_id=str(data.get("zp_trans_id", "")),
            merchant_id=str(data.get("app_id", "")),
            currency="VND",
            raw=data,
        )

    def reply(self, outcome: ReplyOutcome) -> NotificationReply:
        # 1: processed (also for a replay: change nothing, the reference marks return_code 2 [unverified]);
        # 0: ZaloPay calls back again (at most 3 times); -1: invalid mac / data that must never be accepted.
        code, message = {
            ReplyOutcome.OK: (1, "success"),
            ReplyOutcome.ALREADY_CONFIRMED: (1, "success"),
            ReplyOutcome.NOT_FOUND: (0, "order not found"),
            ReplyOutcome.AMOUNT_MISMATCH: (-1, "amount mismatch"),
            ReplyOutcome.BAD_SIGNATURE: (-1, "mac not equal"),
            ReplyOutcome.ERROR: (0, "error, retry"),
        }[outcome]
        body = json.dumps({"return_code": code, "return_message": message}).encode()
        return NotificationReply(status=200, body=body)

    # -- query --------------------------------------------------------------

    def query(self, app_trans_id: str) -> Notification:
        """Poll ``/v2/query``: return_code 1 paid, 2 failed, 3 unpaid/processing (PENDING)."""
        fields: dict[str, str | int] = {
            "app_id": self.app_id,
            "app_trans_id": app_trans_id,
            "mac": query_mac(self._key1, app_id=self.app_id, app_trans_id=app_trans_id),
        }
        answer = self._post_form("/v2/query", fields)
        return_code = answer.get("return_code")
        status = {1: NotificationStatus.PAID, 2: NotificationStatus.FAILED}.get(
            return_code if isinstance(return_code, int) else 0, NotificationStatus.PENDING
        )
        if status is NotificationStatus.PAID and answer.get("is_processing"):
            status = NotificationStatus.PENDING
        amount = answer.get("amount")
        return Notification(
            reference=reference_from_app_trans_id(app_trans_id),
            amount=amount if isinstance(amount, int) and not isinstance(amount, bool) else 0,
            status=status,
            gateway_transaction_id=str(answer.get("zp_trans_id") or ""),
            merchant_id=str(self.app_id),
            raw=answer,
        )

    def query_status(
        self, *, reference: str, gateway_transaction_id: str, created_at_epoch: float
    ) -> Notification | None:
        """/v2/query for the app_trans_id kept at start (or derived from the reference and creation time)."""
        app_trans_id = gateway_transaction_id or app_trans_id_for(reference, int(created_at_epoch * 1000))
        notification = self.query(app_trans_id)
        if notification.status is NotificationStatus.PENDING:
            return None
        if notification.reference != reference:
            raise ValueError("ZaloPay query answer is about another transaction")
        return notification

    @property
    def merchant_id(self) -> str | None:
        return str(self.app_id)

    # -- refund -------------------------------------------------------------

    def refund(
        self,
        *,
        reference: str,
        gateway_transaction_id: str,
        amount: int,
        total: int,
        created_at_epoch: float | None = None,
    ) -> RefundResult:
        """``/v2/refund`` for ``zp_trans_id`` (the callback's ``gateway_transaction_id``).

        return_code 1 refunded, 3 processing (ok, confirm later with ``m_refund_id``), 2 failed.
        """
        if amount <= 0 or amount > total:
            return RefundResult(ok=False, message=f"refund amount {amount} not within 1..{total}")
        if not gateway_transaction_id:
            return RefundResult(ok=False, message="no zp_trans_id to refund")
        timestamp = self._now_ms()
        m_refund_id = f"{yymmdd(timestamp)}_{self.app_id}_{self._token()}"
        description = f"Hoan tien {reference}"[:100]
        fields: dict[str, str | int] = {
            "app_id": self.app_id,
            "m_refund_id": m_refund_id,
            "zp_trans_id": gateway_transaction_id,
            "amount": amount,
            "timestamp": timestamp,
            "description": description,
        }
        fields["mac"] = refund_mac(
            self._key1,
            app_id=self.app_id,
            zp_trans_id=gateway_transaction_id,
            amount=amount,
            description=description,
            timestamp=timestamp,
        )
        answer = self._post_form("/v2/refund", fields)
        code = answer.get("return_code")
        message = str(answer.get("return_message") or answer.get("sub_return_message") or "")
        if code == 1:
            return RefundResult(ok=True, gateway_reference=m_refund_id, message=message or "refunded")
        if code == 3:
            return RefundResult(ok=True, gateway_reference=m_refund_id, message=f"processing: {message}".strip())
        return RefundResult(ok=False, gateway_reference=m_refund_id, message=f"{code}: {message}")
