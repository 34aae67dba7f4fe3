"""Carriers are offered from their settings only; adding one is a module that defines CARRIER."""

from __future__ import annotations

import pytest

from shipping import registry
from shipping.registry import adapter_modules, available_carriers, carrier_by_id

GHN = {"GHN_TOKEN": "t", "GHN_SHOP_ID": "885", "GHN_WEBHOOK_SECRET": "s"}
GHTK = {"GHTK_TOKEN": "t", "GHTK_CLIENT_SOURCE": "S1", "GHTK_WEBHOOK_SECRET": "h"}
VTP = {"VIETTELPOST_USERNAME": "u", "VIETTELPOST_PASSWORD": "p", "VIETTELPOST_WEBHOOK_SECRET": "w"}


def test_the_adapter_modules_are_discovered() -> None:
    assert [m.__name__ for m in adapter_modules()] == [
        "shipping.ghn",
        "shipping.ghtk",
        "shipping.sandbox",
        "shipping.viettelpost",
    ]


def ids(environ: dict[str, str], *, debug: bool = False) -> list[str]:
    return [c.id for c in available_carriers(environ, debug=debug)]


def test_configured_carriers_only() -> None:
    assert ids({}) == []
    assert ids(GHN) == ["ghn"] and ids(GHTK) == ["ghtk"] and ids(VTP) == ["viettelpost"]
    assert ids({**GHN, **GHTK, **VTP}, debug=True) == ["ghn", "ghtk", "sandbox", "viettelpost"]


@pytest.mark.parametrize("missing", [*GHN, *GHTK, *VTP])
def test_partial_settings_are_not_offered(missing: str) -> None:
    environ = {**GHN, **GHTK, **VTP, missing: ""}
    assert len(ids(environ)) == 2


def test_a_new_module_with_carrier_is_offered(monkeypatch: pytest.MonkeyPatch) -> None:
    class Extra:
        id = "extra"

        @classmethod
        def from_env(cls, environ: object, *, transport: object = None, debug: bool = False) -> Extra:
            return cls()

    module = type(registry)("shipping.extra")
    module.CARRIER = Extra  # type: ignore[attr-defined]
    monkeypatch.setattr(registry, "adapter_modules", lambda: [module])
    carriers = available_carriers({}, debug=False)
    assert carrier_by_id(carriers, "extra") is carriers[0] and carrier_by_id(carriers, "ghn") is None
