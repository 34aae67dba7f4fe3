"""Cash on delivery: nothing to redirect to, nothing calls back, cash is refunded by hand.

The money and shipment states (reference section 8) live in the checkout app; this adapter only
tells it that no online step is needed."""

from __future__ import annotations

from collections.abc import Mapping

from payments.base import (
    ActionKind,
    GatewayDefaults,
    HttpLikeRequest,
    InvalidSignature,
    Notification,
    NotificationReply,
    PaymentAction,
    PaymentRequest,
    RefundResult,
    ReplyOutcome,
    gettext_noop,
)
from payments.signing import json_reply_body


class CashOnDeliveryGateway(GatewayDefaults):
    id: str = "cod"
    name: str = "Thanh toán khi nhận hàng (COD)"
    label: str = gettext_noop("Cash on delivery (COD)")
    supports_refund: bool = False
    is_cash: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> CashOnDeliveryGateway | None:
        """No settings: always available (the registry offers it only for physical goods)."""
        return cls()

    def start(self, payment: PaymentRequest) -> PaymentAction:
        return PaymentAction(kind=ActionKind.NONE)

    def parse_notification(self, request: HttpLikeRequest) -> Notification:
        raise InvalidSignature("cash on delivery has no notifications")

    def reply(self, outcome: ReplyOutcome) -> NotificationReply:
        ok = outcome in (ReplyOutcome.OK, ReplyOutcome.ALREADY_CONFIRMED)
        return NotificationReply(status=200 if ok else 400, body=json_reply_body({"ok": ok}))

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
            raise ValueError("refund amount must be positive and at most the collected total")
        return RefundResult(ok=True, manual=True, message="Cash on delivery: return the money to the buyer by hand")
