"""VNPay (payment gateway API 2.1.0): payment URL, IPN verification, querydr and refund.

See ../shared/reference/payments.md section 1. Amounts are whole dong in and out of this
module; the x100 wire format never leaves it."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote_plus

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
from payments.signing import (
    DEFAULT_TIMEOUT,
    Opener,
    constant_time_equals,
    format_vietnam_time,
    hmac_sha512_hex,
    json_reply_body,
    post_json,
    safe_order_info,
    setting,
    urlopen_opener,
)

SANDBOX_PAYMENT_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
SANDBOX_API_URL = "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction"
VERSION = "2.1.0"
HASH_FIELDS = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})

QUERYDR_HASH_ORDER = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
REFUND_HASH_ORDER = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TransactionType",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_TransactionNo",
    "vnp_TransactionDate",
    "vnp_CreateBy",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
# Order of the querydr/refund *response* hash (3rd-party: the `vnpay` npm library).
RESPONSE_HASH_ORDER = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
)

REPLIES: dict[ReplyOutcome, tuple[str, str]] = {
    ReplyOutcome.OK: ("00", "Confirm Success"),
    ReplyOutcome.NOT_FOUND: ("01", "Order not found"),
    ReplyOutcome.ALREADY_CONFIRMED: ("02", "Order already confirmed"),
    ReplyOutcome.AMOUNT_MISMATCH: ("04", "Invalid amount"),
    ReplyOutcome.BAD_SIGNATURE: ("97", "Invalid signature"),
    ReplyOutcome.ERROR: ("99", "Unknown error"),
}

_SAFE_REFERENCE = re.compile(r"^[A-Za-z0-9.,:_-]{1,100}$")


def canonical_query(params: Mapping[str, str]) -> str:
    """The string VNPay signs: `vnp_*` params minus the hash fields and empty values, sorted, quote_plus-encoded."""
    items = sorted(
        (name, value) for name, value in params.items() if name.startswith("vnp_") and name not in HASH_FIELDS and value
    )
    return "&".join(f"{name}={quote_plus(str(value))}" for name, value in items)


def sign_params(params: Mapping[str, str], hash_secret: str) -> str:
    return hmac_sha512_hex(hash_secret, canonical_query(params))


def pipe_checksum(fields: Mapping[str, str], order: tuple[str, ...], hash_secret: str) -> tuple[str, str]:
    """(canonical, signature) for querydr/refund: the values in `order` joined with `|`, HMAC-SHA512."""
    canonical = "|".join(str(fields.get(name, "") or "") for name in order)
    return canonical, hmac_sha512_hex(hash_secret, canonical)


class VNPayGateway(GatewayDefaults):
    id: str = "vnpay"
    name: str = "VNPay"
    label: str = gettext_noop("VNPay")
    supports_refund: bool = True
    supports_query: bool = True
    notify_path: str | None = "/payments/vnpay/ipn"
    notify_method: str = "GET"  # the IPN is a signed GET
    return_path: str | None = "/payments/vnpay/return"

    def __init__(
        self,
        tmn_code: str,
        hash_secret: str,
        payment_url: str = SANDBOX_PAYMENT_URL,
        api_url: str = SANDBOX_API_URL,
        *,
        order_type: str = "other",
        expire_minutes: int = 15,
        server_ip: str = "127.0.0.1",
        opener: Opener | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        request_id_factory: Callable[[], str] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if not tmn_code or not hash_secret:
            raise ValueError("VNPay needs a terminal code and a hash secret")
        self.tmn_code = tmn_code
        self._hash_secret = hash_secret
        self.payment_url = payment_url
        self.api_url = api_url
        self.order_type = order_type
        self.expire_minutes = expire_minutes
        self.server_ip = server_ip
        self._opener: Opener = opener or urlopen_opener
        self.timeout = timeout
        self._request_id = request_id_factory or (lambda: uuid.uuid4().hex)
        self._clock = clock or time.time

    @property
    def merchant_id(self) -> str | None:
        return self.tmn_code

    def __repr__(self) -> str:  # never show the secret
        return f"VNPayGateway(tmn_code={self.tmn_code!r}, payment_url={self.payment_url!r})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str], **kwargs: Any) -> VNPayGateway | None:
        tmn_code = setting(environ, "VNPAY_TMN_CODE")
        hash_secret = setting(environ, "VNPAY_HASH_SECRET")
        if not tmn_code or not hash_secret:
            return None
        return cls(
            tmn_code,
            hash_secret,
            payment_url=setting(environ, "VNPAY_PAYMENT_URL") or SANDBOX_PAYMENT_URL,
            api_url=setting(environ, "VNPAY_API_URL") or SANDBOX_API_URL,
            **kwargs,
        )

    # -- payment -----------------------------------------------------------------

    def payment_params(self, payment: PaymentRequest) -> dict[str, str]:
        if not _SAFE_REFERENCE.match(payment.reference):
            raise ValueError("VNPay vnp_TxnRef must match [A-Za-z0-9.,:_-]{1,100}")
        if payment.amount <= 0:
            raise ValueError("amount must be positive")
        created = payment.created_at_epoch if payment.created_at_epoch is not None else self._clock()
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(payment.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": payment.reference,
            "vnp_OrderInfo": safe_order_info(payment.description) or payment.reference,
            "vnp_OrderType": self.order_type,
            "vnp_Locale": payment.locale if payment.locale in ("vn", "en") else "vn",
            "vnp_ReturnUrl": payment.return_url,
            "vnp_IpAddr": payment.client_ip,
            "vnp_CreateDate": format_vietnam_time(created),
            "vnp_ExpireDate": format_vietnam_time(created + self.expire_minutes * 60),
        }
        return {name: value for name, value in params.items() if value}

    def payment_url_for(self, params: Mapping[str, str]) -> str:
        query = canonical_query(params)
        return f"{self.payment_url}?{query}&vnp_SecureHash={hmac_sha512_hex(self._hash_secret, query)}"

    def start(self, payment: PaymentRequest) -> PaymentAction:
        return PaymentAction(kind=ActionKind.REDIRECT, url=self.payment_url_for(self.payment_params(payment)))

    # -- IPN / return URL ------------------------------------------------------------

    def verify(self, params: Mapping[str, str]) -> None:
        """Raise InvalidSignature unless vnp_SecureHash matches; reads nothing else."""
        received = params.get("vnp_SecureHash")
        if not received:
            raise InvalidSignature("vnp_SecureHash missing")
        expected = sign_params(params, self._hash_secret)
        if not constant_time_equals(expected, received.lower()):
            raise InvalidSignature("vnp_SecureHash does not match")

    def parse_notification(self, request: HttpLikeRequest) -> Notification:
        params: Mapping[str, str] = request.query
        if not params and request.body:  # tolerate a form-encoded POST
            try:
                params = dict(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
            except UnicodeDecodeError as exc:
                raise InvalidSignature("undecodable body") from exc
        self.verify(params)
        # Signed by VNPay from here on.
        try:
            amount_x100 = int(params["vnp_Amount"])
            reference = params["vnp_TxnRef"]
        except (KeyError, ValueError) as exc:
            raise ValueError(f"VNPay notification lacks a valid field: {exc}") from exc
        amount, cents = divmod(amount_x100, 100)
        if cents:
            raise ValueError("VNPay vnp_Amount is not a whole number of dong")
        return Notification(
            reference=reference,
            amount=amount,
            status=self._status(params.get("vnp_ResponseCode", ""), params.get("vnp_TransactionStatus", "")),
            gateway_transaction_id=params.get("vnp_TransactionNo", ""),
            merchant_id=params.get("vnp_TmnCode"),
            currency="VND",
            raw=dict(params),
        )

    @staticmethod
    def _status(response_code: str, transaction_status: str) -> NotificationStatus:
        if response_code == "00" and transaction_status == "00":
            return NotificationStatus.PAID
        if "07" in (response_code, transaction_status):  # money taken but flagged as suspicious: fail closed
            return NotificationStatus.PENDING
        return NotificationStatus.FAILED

    def reply(self, outcome: ReplyOutcome) -> NotificationReply:
        code, message = REPLIES[outcome]
        return NotificationReply(status=200, body=json_reply_body({"RspCode": code, "Message": message}))

    # -- merchant API (querydr, refund) ------------------------------------------

    def _api_call(self, body: dict[str, str], *, verify_answer: bool) -> dict[str, Any]:
        """POST to the merchant API. querydr answers are checked against RESPONSE_HASH_ORDER; refund
        answers are not (their hash order is not in the reference), so a refund stays "requested"
        until a querydr or the merchant portal confirms it."""
        answer = post_json(self._opener, self.api_url, body, self.timeout)
        received = answer.get("vnp_SecureHash")
        if verify_answer and not received:
            raise InvalidSignature("VNPay API answer is not signed")
        if verify_answer and received:
            fields = {name: str(answer.get(name, "") or "") for name in RESPONSE_HASH_ORDER}
            _, expected = pipe_checksum(fields, RESPONSE_HASH_ORDER, self._hash_secret)
            if not constant_time_equals(expected, str(received).lower()):
                raise InvalidSignature("VNPay API answer hash does not match")
        return answer

    def querydr_body(
        self,
        *,
        reference: str,
        transaction_date: str,
        order_info: str | None = None,
        transaction_no: str | None = None,
        request_id: str | None = None,
        create_date: str | None = None,
    ) -> dict[str, str]:
        body = {
            "vnp_RequestId": request_id or self._request_id(),
            "vnp_Version": VERSION,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": reference,
            "vnp_OrderInfo": safe_order_info(order_info or f"Truy van {reference}"),
            "vnp_TransactionDate": transaction_date,
            "vnp_CreateDate": create_date or format_vietnam_time(self._clock()),
            "vnp_IpAddr": self.server_ip,
        }
        if transaction_no:
            body["vnp_TransactionNo"] = transaction_no
        body["vnp_SecureHash"] = pipe_checksum(body, QUERYDR_HASH_ORDER, self._hash_secret)[1]
        return body

    def querydr(self, *, reference: str, transaction_date: str, transaction_no: str | None = None) -> dict[str, Any]:
        """Ask VNPay for a transaction's state (`transaction_date` = the original vnp_CreateDate)."""
        return self._api_call(
            self.querydr_body(reference=reference, transaction_date=transaction_date, transaction_no=transaction_no),
            verify_answer=True,
        )

    def query_status(
        self, *, reference: str, gateway_transaction_id: str, created_at_epoch: float
    ) -> Notification | None:
        """querydr: only a signed answer for this terminal and reference is trusted."""
        answer = self.querydr(reference=reference, transaction_date=format_vietnam_time(created_at_epoch))
        if not answer.get("vnp_SecureHash"):
            raise InvalidSignature("VNPay querydr answer is not signed")
        if str(answer.get("vnp_ResponseCode", "")) != "00":
            return None  # 91: no such transaction (yet), or a query error: nothing is known
        if str(answer.get("vnp_TmnCode", "")) != self.tmn_code or str(answer.get("vnp_TxnRef", "")) != reference:
            raise ValueError("VNPay querydr answer is about another transaction")
        transaction_status = str(answer.get("vnp_TransactionStatus", ""))
        status = {"00": NotificationStatus.PAID, "02": NotificationStatus.FAILED}.get(transaction_status)
        if status is None:
            return None  # 01 unfinished, 05 processing, 07 suspicious: fail closed
        amount, cents = divmod(int(str(answer.get("vnp_Amount", "0"))), 100)
        if cents:
            raise ValueError("VNPay querydr amount is not a whole number of dong")
        return Notification(
            reference=reference,
            amount=amount,
            status=status,
            gateway_transaction_id=str(answer.get("vnp_TransactionNo", "") or ""),
            merchant_id=self.tmn_code,
            raw=answer,
        )

    def refund_body(
        self,
        *,
        reference: str,
        gateway_transaction_id: str,
        amount: int,
        total: int,
        transaction_date: str,
        create_by: str = "system",
        order_info: str | None = None,
        request_id: str | None = None,
        create_date: str | None = None,
    ) -> dict[str, str]:
        if amount <= 0 or amount > total:
            raise ValueError("refund amount must be positive and at most the captured total")
        full = amount == total
        body = {
            "vnp_RequestId": request_id or self._request_id(),
            "vnp_Version": VERSION,
            "vnp_Command": "refund",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TransactionType": "02" if full else "03",
            "vnp_TxnRef": reference,
            "vnp_Amount": str(amount * 100),
            "vnp_OrderInfo": safe_order_info(
                order_info or f"Hoan tien {'toan bo' if full else 'mot phan'} {reference}"
            ),
            "vnp_TransactionNo": gateway_transaction_id,
            "vnp_TransactionDate": transaction_date,
            "vnp_CreateBy": create_by,
            "vnp_CreateDate": create_date or format_vietnam_time(self._clock()),
            "vnp_IpAddr": self.server_ip,
        }
        body["vnp_SecureHash"] = pipe_checksum(body, REFUND_HASH_ORDER, self._hash_secret)[1]
        return body

    def refund(
        self,
        *,
        reference: str,
        gateway_transaction_id: str,
        amount: int,
        total: int,
        transaction_date: str | None = None,
        create_by: str = "system",
        created_at_epoch: float | None = None,
    ) -> RefundResult:
        """Full (type 02) or partial (type 03) refund. VNPay needs the original vnp_CreateDate
        (`transaction_date`, yyyyMMddHHmmss GMT+7, or `created_at_epoch`); without it the refund is left
        to a person."""
        if not transaction_date and created_at_epoch is not None:
            transaction_date = format_vietnam_time(created_at_epoch)
        if not transaction_date:
            return RefundResult(ok=False, manual=True, message="VNPay refund needs the original vnp_CreateDate")
        answer = self._api_call(
            self.refund_body(
                reference=reference,
                gateway_transaction_id=gateway_transaction_id,
                amount=amount,
                total=total,
                transaction_date=transaction_date,
                create_by=create_by,
            ),
            verify_answer=False,
        )
        code = str(answer.get("vnp_ResponseCode", ""))
        return RefundResult(
            ok=code == "00",
            gateway_reference=str(answer.get("vnp_TransactionNo") or "") or None,
            message=f"{code} {answer.get('vnp_Message', '')}".strip(),
        )
