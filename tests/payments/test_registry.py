"""The registry offers exactly the configured gateways (+cod for physical goods, +sandbox in debug)."""

from __future__ import annotations

from pathlib import Path

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


ALL_OTHERS = {
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


def test_every_gateway_is_offered_exactly_when_configured() -> None:
    assert ids(ALL_OTHERS) == ["zalopay", "vietqr", "stripe"]
    assert ids({**ALL_OTHERS, **VNPAY, **MOMO}, physical_goods=True, debug=True) == [
        "vnpay",
        "momo",
        "zalopay",
        "vietqr",
        "stripe",
        "cod",
        "sandbox",
    ]
    assert ids({**ALL_OTHERS, "ZALOPAY_KEY2": ""}) == ["vietqr", "stripe"]  # settings incomplete
    gateways = available_gateways({**ALL_OTHERS, **VNPAY}, debug=False, physical_goods=True)
    assert gateway_by_id(gateways, "zalopay") is gateways[1]
    assert gateway_by_id(gateways, "sandbox") is None


def test_the_registry_answers_about_any_known_gateway() -> None:
    assert registry.CASH_GATEWAY_IDS == {"cod"}
    assert registry.is_cash("cod") and not registry.is_cash("vnpay") and not registry.is_cash("unknown")
    assert registry.label_of("vietqr") == "Bank transfer with VietQR"
    assert registry.label_of("retired-gateway") == "retired-gateway"  # an old order's id shows as it is


def test_no_importlib_machinery() -> None:
    """Every adapter lives in payments/ and is listed in GATEWAY_CLASSES (issue 16)."""
    assert "importlib" not in Path(registry.__file__).read_text(encoding="utf-8")


def test_diacritics_helpers() -> None:
    assert strip_diacritics("Đà Lạt, Đắk Lắk, đường Nguyễn Huệ") == "Da Lat, Dak Lak, duong Nguyen Hue"
    assert safe_order_info("Thanh toán #12 (Cà phê) — 100%") == "Thanh toan 12 Ca phe 100"
    assert len(safe_order_info("a" * 400)) == 255
