"""GHTK quirks: addresses by name, a form-encoded webhook with our `?hash=`, kilograms in the
webhook and grams in the status query, status 6 meaning the COD money was reconciled."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from urllib.parse import parse_qsl

import pytest

from shipping.base import HttpLikeRequest, ShipmentStatus
from shipping.errors import AddressNotServed, CarrierUnavailable, ShipmentNotCancellable
from shipping.ghtk import GHTKCarrier
from tests.shipping.conftest import replay
from tests.shipping.kits import GHTK, GHTK_CODES, ghtk_notification

AT = datetime(2026, 1, 2, 9, 15, tzinfo=UTC)


def test_quote_by_names_skips_a_transport_that_does_not_deliver() -> None:
    transport = replay("ghtk", "quote")
    (quote,) = GHTK.build(transport).quote(GHTK.quote_request())
    transport.assert_done()
    assert (quote.service_id, quote.fee) == ("road", 30_000)
    assert "pick_ward=Ph%C6%B0%E1%BB%9Dng+2" in transport.sent[0].url  # the legacy ward's name, not an id


def test_a_route_no_transport_serves() -> None:
    transport = replay("ghtk", "quote_not_served")
    with pytest.raises(AddressNotServed):
        GHTK.build(transport).quote(GHTK.quote_request())
    transport.assert_done()


def test_create_reads_the_label_and_the_delivery_estimate() -> None:
    shipment = GHTK.build(replay("ghtk", "create")).create_shipment(GHTK.shipment_request())
    assert shipment.fee == 30_000 and shipment.expected_delivery == date(2026, 1, 2)


def test_create_whose_answer_was_lost_is_found_on_the_retry() -> None:
    first = replay("ghtk", "create")
    first.lose_answer_to = "/services/shipment/order"
    with pytest.raises(CarrierUnavailable):
        GHTK.build(first).create_shipment(GHTK.shipment_request())
    shipment = GHTK.build(replay("ghtk", "create_retry")).create_shipment(GHTK.shipment_request())
    assert shipment.existing and shipment.carrier_code == GHTK_CODES[0]


def test_create_refused_as_a_duplicate_looks_the_code_up_again() -> None:
    transport = replay("ghtk", "create_refused_then_found")
    shipment = GHTK.build(transport).create_shipment(GHTK.shipment_request())
    transport.assert_done()
    assert shipment.existing


def test_cancel_refused_after_pick_up() -> None:
    with pytest.raises(ShipmentNotCancellable):
        GHTK.build(replay("ghtk", "cancel_refused")).cancel_shipment(GHTK_CODES[0])


def test_webhook_weights_are_kilograms_and_need_confirmation() -> None:
    event = GHTK.build(None).parse_notification(ghtk_notification("5", AT, weight="2.35"))
    assert event.weight_grams == 2350 and event.fee == 30_000 and event.needs_confirmation
    assert event.dedup_key == f"ghtk:{GHTK_CODES[0]}:5:2026-01-02T16:15:00+07:00"


def test_status_6_is_the_cod_reconciled() -> None:
    event = GHTK.build(None).parse_notification(ghtk_notification("6", AT))
    assert event.status is ShipmentStatus.DELIVERED and event.cod_collected and event.cod_remitted_at == AT


def test_status_query_reads_grams_and_local_time() -> None:
    event = GHTK.build(replay("ghtk", "status")).query_status(GHTK_CODES[0])
    assert event.weight_grams == 1500 and event.fee == 30_000
    assert event.occurred_at == datetime(2026, 1, 2, 9, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "ours"),
    [
        ("-1", ShipmentStatus.CANCELLED),
        ("12", ShipmentStatus.CREATED),
        ("123", ShipmentStatus.PICKED),
        ("10", ShipmentStatus.DELIVERING),
        ("9", ShipmentStatus.DELIVERY_FAILED),
        ("49", ShipmentStatus.DELIVERY_FAILED),
        ("20", ShipmentStatus.RETURNING),
        ("21", ShipmentStatus.RETURNED),
        ("13", ShipmentStatus.EXCEPTION),
        ("999", None),
    ],
)
def test_statuses(status: str, ours: ShipmentStatus | None) -> None:
    event = GHTK.build(None).parse_notification(ghtk_notification(status, AT))
    assert event.status is ours and event.carrier_status == status


def test_a_json_webhook_is_read_too() -> None:
    form = ghtk_notification("4", AT)
    body = dict(parse_qsl(form.body.decode()))
    request = HttpLikeRequest(method="POST", query=form.query, body=json.dumps(body).encode())
    assert GHTK.build(None).parse_notification(request).status is ShipmentStatus.DELIVERING


def test_settings() -> None:
    base = {"GHTK_TOKEN": "t", "GHTK_CLIENT_SOURCE": "S1", "GHTK_WEBHOOK_SECRET": "h"}
    carrier = GHTKCarrier.from_env({**base, "GHTK_TRANSPORTS": "road, fly"})
    assert carrier is not None and carrier.transports == ("road", "fly")
    assert carrier.tracking_url("S1.A1.2") == "https://i.ghtk.vn/S1.A1.2"
    assert GHTKCarrier.from_env({**base, "GHTK_CLIENT_SOURCE": ""}) is None
    with pytest.raises(ValueError):
        GHTKCarrier.from_env({**base, "GHTK_TRANSPORTS": "boat"})
