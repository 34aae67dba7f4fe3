"""The registry offers exactly the configured gateways (+cod for physical goods, +sandbox in debug)."""

from __future__ import annotations

import importlib.util
import sys
import types

import pytest

from payments import registry
from payments.registry import available_gateways, gateway_by_id
from payments.signing import safe_order_info, strip_diacritics

VNPAY = {"VNPAY_TMN_CODE": "TESTTMN1", "VNPAY_HASH_SECRET": "secret"}
MOMO = {
    "MOMO_PARTNER_CODE": "MOMO",
    "MOMO_ACCESS_KEY": "ak",
    "MOMO_SECRET_KEY": "sk",
    "MOMO_ENDPOINT": "https://test-payment.momo.vn",
}


def ids(environ: dict[str, str], *, debug: bool = False, physical_goods: bool = False) -> list[str]:
    return [g.id for g in available_gateways(environ, debug=debug, physical_goods=physical_goods)]


@pytest.fixture(autouse=True)
def _no_foreign_adapters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other engineers' adapters (zalopay, vietqr, payos, stripe) may or may not exist yet; hide them by default."""
    monkeypatch.setattr(registry, "_import_optional", lambda name: None)


def test_nothing_configured() -> None:
    assert ids({}) == []
    assert ids({}, physical_goods=True) == ["cod"]
    assert ids({}, debug=True) == ["sandbox"]
    assert ids({}, debug=True, physical_goods=True) == ["cod", "sandbox"]


def test_configured_gateways_only() -> None:
    assert ids(VNPAY) == ["vnpay"]
    assert ids(MOMO) == ["momo"]
    assert ids({**VNPAY, **MOMO}, physical_goods=True, debug=True) == ["vnpay", "momo", "cod", "sandbox"]


@pytest.mark.parametrize("missing", [*VNPAY, *MOMO])
def test_partial_settings_are_not_offered(missing: str) -> None:
    env = {k: v for k, v in {**VNPAY, **MOMO}.items() if k != missing}
    assert missing.split("_")[0].lower() not in ids(env)
    assert ids({**VNPAY, **MOMO, missing: "   "}).count(missing.split("_")[0].lower()) == 0


def test_vnpay_payment_url_from_env() -> None:
    (gw,) = available_gateways(
        {**VNPAY, "VNPAY_PAYMENT_URL": "https://pay.vnpay.vn/vpcpay.html"}, debug=False, physical_goods=False
    )
    assert gw.start.__self__.payment_url == "https://pay.vnpay.vn/vpcpay.html"  # type: ignore[attr-defined]


def test_missing_foreign_modules_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real lazy import
    monkeypatch.setattr(registry.importlib.util, "find_spec", lambda name: None)
    env = {"ZALOPAY_APP_ID": "2553", "ZALOPAY_KEY1": "k1", "ZALOPAY_KEY2": "k2", "ZALOPAY_ENDPOINT": "https://sb"}
    assert ids(env) == []


class FakeZaloPay:
    id = "zalopay"
    name = "ZaloPay"
    supports_refund = False

    def __init__(self, app_id: str) -> None:
        self.app_id = app_id

    @classmethod
    def from_env(cls, environ: dict[str, str]) -> FakeZaloPay | None:
        return cls(environ["ZALOPAY_APP_ID"]) if environ.get("ZALOPAY_APP_ID") else None

    def start(self, payment: object) -> None: ...
    def parse_notification(self, request: object) -> None: ...
    def reply(self, outcome: object) -> None: ...
    def refund(self, **kwargs: object) -> None: ...


def test_foreign_adapter_is_built_from_its_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    module = types.ModuleType("payments.zalopay")
    FakeZaloPay.__module__ = "payments.zalopay"
    module.FakeZaloPay = FakeZaloPay  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "payments.zalopay", module)
    monkeypatch.setattr(
        registry.importlib.util, "find_spec", lambda name: object() if name == "payments.zalopay" else None
    )
    env = {"ZALOPAY_APP_ID": "2553", "ZALOPAY_KEY1": "k1", "ZALOPAY_KEY2": "k2", "ZALOPAY_ENDPOINT": "https://sb"}
    assert ids(env) == ["zalopay"]
    assert ids({**env, "ZALOPAY_KEY2": ""}) == []  # settings incomplete: not even imported
    gateways = available_gateways({**env, **VNPAY}, debug=False, physical_goods=True)
    assert [g.id for g in gateways] == ["vnpay", "zalopay", "cod"]
    assert gateway_by_id(gateways, "zalopay") is gateways[1]
    assert gateway_by_id(gateways, "stripe") is None


def test_unknown_module_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    assert registry._import_optional("payments.does_not_exist") is None


ALL_FOREIGN = {
    "ZALOPAY_APP_ID": "2553",
    "ZALOPAY_KEY1": "k1",
    "ZALOPAY_KEY2": "k2",
    "ZALOPAY_ENDPOINT": "https://sb-openapi.zalopay.vn",
    "VIETQR_BANK_BIN": "970416",
    "VIETQR_ACCOUNT_NO": "257678859",
    "VIETQR_ACCOUNT_NAME": "HTX CHO PHIEN",
    "STRIPE_SECRET_KEY": "sk_test_x",
    "STRIPE_WEBHOOK_SECRET": "whsec_x",
}


def test_real_foreign_adapters_when_present(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the other adapters on disk, each is offered exactly when configured; absent ones are skipped."""
    monkeypatch.undo()
    expected = [
        gid
        for gid, module in (
            ("zalopay", "payments.zalopay"),
            ("vietqr", "payments.vietqr"),
            ("stripe", "payments.stripe_gateway"),
        )
        if importlib.util.find_spec(module) is not None
    ]
    assert ids(ALL_FOREIGN) == expected
    assert ids({**ALL_FOREIGN, **VNPAY, **MOMO}, physical_goods=True, debug=True) == [
        "vnpay",
        "momo",
        *expected,
        "cod",
        "sandbox",
    ]


def test_diacritics_helpers() -> None:
    assert strip_diacritics("Đà Lạt, Đắk Lắk, đường Nguyễn Huệ") == "Da Lat, Dak Lak, duong Nguyen Hue"
    assert safe_order_info("Thanh toán #12 (Cà phê) — 100%") == "Thanh toan 12 Ca phe 100"
    assert len(safe_order_info("a" * 400)) == 255
