"""orderPaymentRetry: pay an order again after the online payment failed or was abandoned."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils.translation import gettext_lazy as _

from backend.core.errors import NotFound
from backend.core.net import client_ip
from backend.orders.payments import payment_retry
from backend.orders.selectors import orders_by_token
from storefront_api.core.mutations import BaseMutation
from storefront_api.orders.types import CheckoutCompletePayload


class OrderPaymentRetry(BaseMutation):
    """A new payment attempt (with a new gateway reference) for an unpaid online order, reached by
    its token. A payment of an earlier attempt that still arrives is refunded automatically."""

    class Arguments:
        token = graphene.String(required=True)
        gateway = graphene.String(required=True)
        return_url = graphene.String()

    class Meta:
        output = CheckoutCompletePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        order = orders_by_token(arguments["token"]).first()
        if order is None:
            raise NotFound(_("This order does not exist."), field="token")
        payment = payment_retry(
            order=order,
            gateway_id=(arguments["gateway"] or "").strip(),
            return_url=arguments.get("return_url") or "",
            client_ip=client_ip(info.context) or "127.0.0.1",
        )
        order.refresh_from_db()
        return {"order": order, "payment": payment}
