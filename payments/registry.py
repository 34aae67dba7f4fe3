"""Which gateways checkout offers, decided from plain configuration (an environ-like mapping).

A gateway is offered only when its settings are present (see ../shared/contract/README.md);
`cod` always for physical goods, `sandbox` only in DEBUG. Adapters written elsewhere
(zalopay, vietqr/payOS, stripe) are imported lazily and skipped when their module is absent."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from collections.abc import Mapping
from types import ModuleType

from payments.base import Gateway
from payments.cod import CashOnDeliveryGateway
from payments.momo import MoMoGateway
from payments.sandbox import SandboxGateway
from payments.vnpay import VNPayGateway

# (module, gateway class, settings that must all be present before the module is even imported).
# VietQR reads the optional PAYOS_* settings itself (payOS confirms the transfers).
OPTIONAL_ADAPTERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("payments.zalopay", "ZaloPayGateway", ("ZALOPAY_APP_ID", "ZALOPAY_KEY1", "ZALOPAY_KEY2", "ZALOPAY_ENDPOINT")),
    ("payments.vietqr", "VietQRGateway", ("VIETQR_BANK_BIN", "VIETQR_ACCOUNT_NO", "VIETQR_ACCOUNT_NAME")),
    ("payments.stripe_gateway", "StripeGateway", ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET")),
)


def _present(environ: Mapping[str, str], names: tuple[str, ...]) -> bool:
    return all(str(environ.get(name, "")).strip() for name in names)


def _import_optional(module_name: str) -> ModuleType | None:
    try:
        if importlib.util.find_spec(module_name) is None:
            return None
        return importlib.import_module(module_name)
    except ImportError:
        return None


def _from_module(module: ModuleType, class_name: str, environ: Mapping[str, str]) -> list[Gateway]:
    """Gateways built by a module's own `from_env`: the named class, else a module-level `from_env`
    function, else every gateway class defined in the module with a `from_env` (None results skipped)."""
    named = getattr(module, class_name, None)
    if inspect.isclass(named) and callable(getattr(named, "from_env", None)):
        gateway = named.from_env(environ)
        return [gateway] if gateway is not None else []
    factory = getattr(module, "from_env", None)
    if callable(factory) and not inspect.isclass(factory):
        built = factory(environ)
        return [built] if built is not None else []
    found: list[Gateway] = []
    for _, cls in inspect.getmembers(module, inspect.isclass):
        if cls.__module__ != module.__name__ or not callable(getattr(cls, "from_env", None)):
            continue
        if not all(hasattr(cls, attr) for attr in ("start", "parse_notification", "reply", "refund")):
            continue
        gateway = cls.from_env(environ)
        if gateway is not None:
            found.append(gateway)
    return found


def available_gateways(environ: Mapping[str, str], *, debug: bool, physical_goods: bool) -> list[Gateway]:
    gateways: list[Gateway] = []
    for own in (VNPayGateway.from_env(environ), MoMoGateway.from_env(environ)):
        if own is not None:
            gateways.append(own)
    for module_name, class_name, required in OPTIONAL_ADAPTERS:
        if not _present(environ, required):
            continue
        module = _import_optional(module_name)
        if module is not None:
            gateways.extend(
                g for g in _from_module(module, class_name, environ) if g.id not in {x.id for x in gateways}
            )
    if physical_goods:
        cod = CashOnDeliveryGateway.from_env(environ)
        if cod is not None:
            gateways.append(cod)
    if debug:
        sandbox = SandboxGateway.from_env(environ)
        if sandbox is not None:
            gateways.append(sandbox)
    return gateways


def gateway_by_id(gateways: list[Gateway], gateway_id: str) -> Gateway | None:
    return next((g for g in gateways if g.id == gateway_id), None)
