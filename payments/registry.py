"""Every gateway of the shop, and which of them checkout offers, decided from plain configuration
(an environ-like mapping).

A gateway is offered only when its own `from_env` finds its settings (see ../shared/contract/README.md);
cash gateways only for physical goods, `debug_only` ones only in DEBUG. Adding a gateway is one
module in `payments/` and one line in `GATEWAY_CLASSES` (README, "How to add a gateway")."""

from __future__ import annotations

from collections.abc import Mapping

from payments.base import Gateway, GatewayDefaults
from payments.cod import CashOnDeliveryGateway
from payments.momo import MoMoGateway
from payments.sandbox import SandboxGateway
from payments.stripe_gateway import StripeGateway
from payments.vietqr import VietQRGateway
from payments.vnpay import VNPayGateway
from payments.zalopay import ZaloPayGateway

# In the order checkout lists them.
GATEWAY_CLASSES: tuple[type[GatewayDefaults], ...] = (
    VNPayGateway,
    MoMoGateway,
    ZaloPayGateway,
    VietQRGateway,
    StripeGateway,
    CashOnDeliveryGateway,
    SandboxGateway,
)


GATEWAY_IDS: frozenset[str] = frozenset(cls.id for cls in GATEWAY_CLASSES)
CASH_GATEWAY_IDS: frozenset[str] = frozenset(cls.id for cls in GATEWAY_CLASSES if cls.is_cash)


_LABELS: dict[str, str] = {cls.id: cls.label for cls in GATEWAY_CLASSES}


def label_of(gateway_id: str) -> str:
    """The display label (English msgid) of any known gateway, configured here or not (old orders)."""
    return _LABELS.get(gateway_id, gateway_id)


def is_cash(gateway_id: str) -> bool:
    """Cash on delivery: nothing is paid online; the seller or the platform records the money."""
    return gateway_id in CASH_GATEWAY_IDS


def available_gateways(environ: Mapping[str, str], *, debug: bool, physical_goods: bool) -> list[Gateway]:
    gateways: list[Gateway] = []
    for cls in GATEWAY_CLASSES:
        if (cls.is_cash and not physical_goods) or (cls.debug_only and not debug):
            continue
        gateway = cls.from_env(environ)
        if gateway is not None:
            gateways.append(gateway)
    return gateways


def gateway_by_id(gateways: list[Gateway], gateway_id: str) -> Gateway | None:
    return next((g for g in gateways if g.id == gateway_id), None)
