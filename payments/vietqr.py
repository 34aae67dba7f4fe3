"""VietQR bank transfers (reference §4) with optional payOS confirmation (§5).

VietQR is a data format, not a gateway: ``start`` shows an EMVCo QR with the
amount and a memo carrying the payment reference. Money arriving is learnt from a
payOS webhook (when payOS is configured) or confirmed by hand by the shop, which
is not done here. Bank transfers are refunded by hand.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
from payments.emvco import SERVICE_TO_ACCOUNT, ascii_fold, sanitize_memo, vietqr_payload
from payments.payos_gateway import InvalidPayOSWebhook, PayOSWebhookVerifier

MEMO_PREFIX = "DH"


def memo_reference(reference: str) -> str:
    """The form of ``reference`` carried in the transfer memo: ASCII letters and digits only, upper case.

    Bank apps drop punctuation and some upper-case memos, so the notification's ``reference`` is this
    form too: the shop matches ``Notification.reference`` against ``memo_reference(its reference)``.
    """
    token = re.sub(r"[^A-Za-z0-9]", "", ascii_fold(reference)).upper()
    if not token:
        raise ValueError(f"reference {reference!r} has no letters or digits")
    return token


def memo_for(reference: str) -> str:
    return f"{MEMO_PREFIX} {memo_reference(reference)}"


_MEMO_RE = re.compile(rf"(?<![A-Za-z0-9]){MEMO_PREFIX}\s*([A-Za-z0-9]+)", re.IGNORECASE)


def reference_from_memo(text: str) -> str | None:
    """Find ``DH <reference>`` anywhere in a received memo (banks prepend/append their own text)."""
    match = _MEMO_RE.search(text)
    return match.group(1).upper() if match else None


class VietQRGateway(GatewayDefaults):
    id = "vietqr"
    name = "VietQR (chuyển khoản ngân hàng)"
    label = gettext_noop("Bank transfer with VietQR")
    supports_refund = False
    notify_path: str | None = "/payments/payos/webhook"  # payOS confirms the transfers

    def __init__(
        self,
        *,
        bank_bin: str,
        account_no: str,
        account_name: str,
        payos: PayOSWebhookVerifier | None = None,
        service_code: str = SERVICE_TO_ACCOUNT,
    ) -> None:
        # Validate the configuration once, at construction.
        vietqr_payload(bank_bin=bank_bin, account=account_no, service_code=service_code)
        self.bank_bin = bank_bin
        self.account_no = account_no
        self.account_name = account_name
        self.service_code = service_code
        self.payos = payos

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Self | None:
        bank_bin = environ.get("VIETQR_BANK_BIN", "").strip()
        account_no = environ.get("VIETQR_ACCOUNT_NO", "").strip()
        account_name = environ.get("VIETQR_ACCOUNT_NAME", "").strip()
        if not (bank_bin and account_no and account_name):
            return None
        return cls(
            bank_bin=bank_bin,
            account_no=account_no,
            account_name=account_name,
            payos=PayOSWebhookVerifier.from_env(environ),
        )

    @property
    def merchant_id(self) -> str | None:
        return self.account_no

    def payment_reference(self, notification: Notification) -> str:
        """The memo carries the reference without its separators (see `memo_reference`)."""
        return memo_reference(notification.reference)

    @property
    def automatic_confirmation(self) -> bool:
        """True when payOS webhooks confirm transfers; otherwise the shop confirms them by hand."""
        return self.payos is not None

    def start(self, payment: PaymentRequest) -> PaymentAction:
        payload = vietqr_payload(
            bank_bin=self.bank_bin,
            account=self.account_no,
            amount=payment.amount,
            purpose=sanitize_memo(memo_for(payment.reference)),
            service_code=self.service_code,
        )
        return PaymentAction(kind=ActionKind.QR, qr_payload=payload)

    def parse_notification(self, request: HttpLikeRequest) -> Notification:
        """A payOS webhook for a transfer into the shop's account."""
        if self.payos is None:
            raise GatewayUnavailable("VietQR has no automatic confirmation source (payOS is not configured)")
        try:
            data = self.payos.verify(request.body)
        except InvalidPayOSWebhook as exc:
            raise InvalidSignature(str(exc)) from exc
        return notification_from_payos(data)

    def reply(self, outcome: ReplyOutcome) -> NotificationReply:
        if outcome is ReplyOutcome.BAD_SIGNATURE:
            return NotificationReply(status=400, body=b'{"success":false}')
        if outcome is ReplyOutcome.ERROR:
            return NotificationReply(status=500, body=b'{"success":false}')
        return NotificationReply(status=200, body=b'{"success":true}')

    def refund(
        self,
        *,
        reference: str,
        gateway_transaction_id: str,
        amount: int,
        total: int,
        created_at_epoch: float | None = None,
    ) -> RefundResult:
        return RefundResult(
            ok=False,
            manual=True,
            message="Bank transfers are refunded by hand: transfer the money back and record the proof.",
        )


def notification_from_payos(data: Mapping[str, Any]) -> Notification:
    """Map a verified payOS ``data`` object. ``code == "00"`` is paid; anything else changes nothing (PENDING).

    ``reference`` is the ``DH <ref>`` token of the memo (see :func:`memo_reference`), else the payOS
    ``orderCode``; ``merchant_id`` is the credited account number, for the shop to compare with its own.
    """
    amount = data.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"payOS amount is not an integer: {amount!r}")
    description = str(data.get("description") or "")
    reference = reference_from_memo(description) or str(data.get("orderCode") or "")
    status = NotificationStatus.PAID if data.get("code") == "00" else NotificationStatus.PENDING
    account = data.get("accountNumber")
    return Notification(
        reference=reference,
        amount=amount,
        status=status,
        gateway_transaction_id=str(data.get("reference") or ""),
        merchant_id=str(account) if account else None,
        currency=str(data.get("currency") or "VND"),
        raw=dict(data),
    )
