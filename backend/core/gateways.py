"""The payment gateways configured in this deployment (`payments.registry` decides from the settings).

The one place the Django side reads the gateways' configuration; everything else asks the adapter
itself (`is_cash`, `label`, `notify_path`, `query_status`, ...) and never compares a gateway id."""

from __future__ import annotations

import os

from django.conf import settings

from payments.base import Gateway
from payments.registry import available_gateways, gateway_by_id
from payments.registry import is_cash as is_cash  # re-exported: "is this order paid in cash?"


def gateways_for(*, physical_goods: bool) -> list[Gateway]:
    """The gateways offered here, in checkout order (cash ones only for physical goods)."""
    environ = dict(os.environ)
    environ.setdefault("SECRET_KEY", settings.SECRET_KEY)
    environ.setdefault("PUBLIC_URL", settings.PUBLIC_URL)
    return available_gateways(environ, debug=settings.DEBUG, physical_goods=physical_goods)


def configured_gateway(gateway_id: str) -> Gateway | None:
    """The adapter of `gateway_id` when it is configured here, else None."""
    return gateway_by_id(gateways_for(physical_goods=True), gateway_id)


def online_gateway_ids() -> set[str]:
    """The configured gateways a buyer pays through online (retry a failed payment with one of them)."""
    return {g.id for g in gateways_for(physical_goods=True) if not g.is_cash}
