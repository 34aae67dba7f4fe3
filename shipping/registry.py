"""Which carriers are offered, decided from plain configuration (an environ-like mapping).

Every module in this package that defines `CARRIER` (a class with `from_env(environ, *, transport,
debug)` returning an instance, or None when its settings are absent) is an adapter: adding a carrier
is one new file plus its settings. A carrier is offered only when all its required settings are
present; the sandbox only in DEBUG."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from types import ModuleType

import shipping
from shipping.base import Carrier
from shipping.transport import Transport


def adapter_modules() -> list[ModuleType]:
    """The adapter modules of the package, in name order (each defines `CARRIER`)."""
    modules = (importlib.import_module(f"shipping.{info.name}") for info in pkgutil.iter_modules(shipping.__path__))
    return [module for module in modules if getattr(module, "CARRIER", None) is not None]


def available_carriers(environ: Mapping[str, str], *, debug: bool, transport: Transport | None = None) -> list[Carrier]:
    """Configured carriers, one instance each; `transport` replaces the HTTP client (tests)."""
    carriers: list[Carrier] = []
    for module in adapter_modules():
        carrier = module.CARRIER.from_env(environ, transport=transport, debug=debug)
        if carrier is not None:
            carriers.append(carrier)
    return carriers


def carrier_by_id(carriers: list[Carrier], carrier_id: str) -> Carrier | None:
    return next((carrier for carrier in carriers if carrier.id == carrier_id), None)
