"""The sandbox carrier: its documented fee table, deterministic codes, a real PDF label, signed
notifications a development page POSTs through the same parse path, and its statement builder."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shipping.base import DistanceBand, EventKind, HttpLikeRequest, ShipmentStatus
from shipping.common import hmac_hex
from shipping.errors import InvalidNotification
from shipping.registry import available_carriers
from shipping.sandbox import SandboxCarrier, sandbox_fee
from tests.shipping.kits import CLOCK, SANDBOX, SANDBOX_SECRET

SANDBOX_CARRIER = SandboxCarrier(SANDBOX_SECRET, clock=lambda: CLOCK)


@pytest.mark.parametrize(
    ("weight", "band", "service", "cod", "declared", "fee"),
    [
        (500, DistanceBand.SAME_PROVINCE, "standard", 0, 0, 16_500),
        (1_500, DistanceBand.SAME_PROVINCE, "standard", 0, 0, 21_500),
        (1_501, DistanceBand.NEIGHBOURING, "standard", 0, 0, 34_000),
        (2_000, DistanceBand.FAR, "express", 0, 0, 67_500),
        (1_500, DistanceBand.SAME_PROVINCE, "standard", 350_000, 320_000, 25_000),
        (1_000, DistanceBand.FAR, "standard", 0, 2_000_000, 45_000),
    ],
)
def test_the_documented_fee_table(
    weight: int, band: DistanceBand, service: str, cod: int, declared: int, fee: int
) -> None:
    assert sandbox_fee(weight_grams=weight, band=band, service=service, cod_amount=cod, declared_value=declared) == fee


@given(weight=st.integers(1, 50_000), cod=st.integers(0, 10_000_000), band=st.sampled_from(list(DistanceBand)))
def test_fees_are_whole_500s_and_grow_with_weight(weight: int, cod: int, band: DistanceBand) -> None:
    fee = sandbox_fee(weight_grams=weight, band=band, service="standard", cod_amount=cod, declared_value=0)
    heavier = sandbox_fee(weight_grams=weight + 500, band=band, service="standard", cod_amount=cod, declared_value=0)
    assert fee % 500 == 0 and heavier > fee


def test_quotes_carry_the_lead_time_of_the_band() -> None:
    quotes = SANDBOX_CARRIER.quote(SANDBOX.quote_request())
    assert [(q.service_id, q.lead_time_hours, q.expected_delivery) for q in quotes] == [
        ("standard", 24, date(2026, 1, 2)),
        ("express", 12, date(2026, 1, 2)),
    ]


def test_codes_are_deterministic_per_client_order_code_and_secret() -> None:
    code = SANDBOX_CARRIER.shipment_code("CP1")
    assert code == SANDBOX_CARRIER.shipment_code("CP1") != SANDBOX_CARRIER.shipment_code("CP2")
    assert code != SandboxCarrier("other").shipment_code("CP1") and code.startswith("SBX") and len(code) == 13


def test_a_built_notification_round_trips_with_every_fact() -> None:
    remitted = datetime(2026, 1, 5, 3, tzinfo=UTC)
    request = SANDBOX_CARRIER.build_notification(
        carrier_code="SBX1",
        occurred_at=datetime(2026, 1, 5, 3, tzinfo=UTC),
        kind=EventKind.STATUS,
        status=ShipmentStatus.DELIVERED,
        cod_amount=350_000,
        cod_collected=True,
        cod_remitted_at=remitted,
        weight_grams=1_600,
        fee=25_000,
        reason="Khách nhận hàng",
    )
    assert request.method == "POST" and request.header("content-type") == "application/json"
    event = SANDBOX_CARRIER.parse_notification(request)
    assert (event.cod_amount, event.cod_collected, event.cod_remitted_at) == (350_000, True, remitted)
    assert (event.weight_grams, event.fee, event.reason, event.needs_confirmation) == (
        1_600,
        25_000,
        "Khách nhận hàng",
        False,
    )


def test_a_signed_body_with_a_missing_field_is_still_refused() -> None:
    request = SANDBOX_CARRIER.build_notification(carrier_code="SBX1", occurred_at=datetime(2026, 1, 5, tzinfo=UTC))
    body = request.body.replace(b'"kind":"STATUS"', b'"kind":"NOPE"')
    signature = {"X-Sandbox-Signature": hmac_hex(SANDBOX_SECRET, body)}
    forged_but_signed = HttpLikeRequest(method="POST", body=body, headers=signature)
    with pytest.raises(InvalidNotification):
        SANDBOX_CARRIER.parse_notification(forged_but_signed)


def test_offered_only_in_debug() -> None:
    assert [c.id for c in available_carriers({}, debug=True)] == ["sandbox"]
    assert available_carriers({}, debug=False) == []
