"""GHN quirks: Token + ShopId on every call, unsigned webhooks authenticated by our secret and
confirmed by a status query, GHN's day-at-23:59:59Z dates, and create's look-ups."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from shipping.base import EventKind, HttpLikeRequest, Location, ShipmentStatus
from shipping.errors import (
    AddressNotServed,
    CarrierAuthFailed,
    CarrierUnavailable,
    InvalidNotification,
    ShipmentNotCancellable,
)
from shipping.ghn import PRODUCTION_URL, GHNCarrier
from shipping.transport import HttpRequest, HttpResponse
from tests.shipping.conftest import replay
from tests.shipping.kits import GHN, GHN_SECRET, ghn_notification

AT = datetime(2026, 1, 2, 9, 15, tzinfo=UTC)


def test_quote_skips_a_service_that_refuses_the_parcel_and_reads_the_lead_time() -> None:
    transport = replay("ghn", "quote_one_refused")
    (quote,) = GHN.build(transport).quote(GHN.quote_request())
    transport.assert_done()
    assert (quote.service_id, quote.service_name, quote.fee) == ("2:53320", "Hàng nhẹ", 33_000)
    # GHN's leadtime 1767398399 is 2026-01-02T23:59:59Z: the 2nd, though it is the 3rd in Vietnam.
    assert quote.expected_delivery == date(2026, 1, 2) and quote.lead_time_hours == 48


def test_a_place_without_ghn_ids_is_not_served_and_nothing_is_sent() -> None:
    transport = replay("ghn", "none")
    request = GHN.quote_request()
    unmapped: Location = replace(request.destination, carrier_place=None)
    with pytest.raises(AddressNotServed):
        GHN.build(transport).quote(replace(request, destination=unmapped))
    assert transport.sent == []


def test_create_whose_answer_was_lost_is_found_on_the_retry() -> None:
    first = replay("ghn", "create")
    first.lose_answer_to = "/shipping-order/create"
    with pytest.raises(CarrierUnavailable):
        GHN.build(first).create_shipment(GHN.shipment_request())
    first.assert_done()
    retry = replay("ghn", "create_retry")
    shipment = GHN.build(retry).create_shipment(GHN.shipment_request())
    retry.assert_done()  # looked up, not created again
    assert shipment.existing and shipment.carrier_code == "LNYQHC" and shipment.expected_delivery == date(2026, 1, 2)


def test_create_refused_as_a_duplicate_looks_the_code_up_again() -> None:
    transport = replay("ghn", "create_refused_then_found")
    shipment = GHN.build(transport).create_shipment(GHN.shipment_request())
    transport.assert_done()
    assert shipment.existing and shipment.carrier_code == "LNYQHC"


def test_cancel_refused_after_pick_up() -> None:
    transport = replay("ghn", "cancel_refused")
    with pytest.raises(ShipmentNotCancellable):
        GHN.build(transport).cancel_shipment("LNYQHC")
    transport.assert_done()


def test_label_opens_ghns_print_page_with_the_token() -> None:
    label = GHN.build(replay("ghn", "label")).label("LNYQHC")
    assert label.url == (
        "https://dev-online-gateway.ghn.vn/a5/public-api/printA5?token=be26f511-8aab-11ef-a1c2-56fb4a87fdbe"
    )


@pytest.mark.parametrize(
    "place",
    [
        {"query": {"secret": GHN_SECRET}},
        {"query": {"token": GHN_SECRET}},
        {"headers": {"X-Webhook-Secret": GHN_SECRET}},
        {"headers": {"Authorization": f"Bearer {GHN_SECRET}"}},
        {"headers": {"authorization": "Basic " + base64.b64encode(f"ghn:{GHN_SECRET}".encode()).decode()}},
    ],
)
def test_the_secret_may_come_in_the_url_or_a_header(place: dict[str, dict[str, str]]) -> None:
    genuine = ghn_notification("delivered", AT, secret=None)
    request = replace(genuine, query=place.get("query", {}), headers={**genuine.headers, **place.get("headers", {})})
    assert GHN.build(None).parse_notification(request).status is ShipmentStatus.DELIVERED


def test_every_webhook_asks_to_be_confirmed_by_a_status_query() -> None:
    event = GHN.build(None).parse_notification(ghn_notification("delivered", AT))
    assert event.needs_confirmation
    assert event.dedup_key == "ghn:LNYQHC:switch_status:2026-01-02T09:15:00.000Z"


@pytest.mark.parametrize(
    ("type_", "kind", "field", "value"),
    [
        ("Update_weight", EventKind.WEIGHT_UPDATED, "weight_grams", 2100),
        ("Update_cod", EventKind.COD_UPDATED, "cod_amount", 380_000),
        ("Update_fee", EventKind.FEE_UPDATED, "fee", 41_000),
    ],
)
def test_update_webhooks_state_no_status(type_: str, kind: EventKind, field: str, value: int) -> None:
    changes = {"Type": type_, "Weight": 2100, "CODAmount": 380_000, "TotalFee": 41_000}
    event = GHN.build(None).parse_notification(ghn_notification("delivering", AT, **changes))
    assert event.kind is kind and event.status is None and getattr(event, field) == value
    assert event.carrier_status == "delivering"


def test_cod_transfer_date_reports_the_remittance() -> None:
    request = ghn_notification("delivered", AT, CODTransferDate="2026-01-05T03:00:00Z")
    event = GHN.build(None).parse_notification(request)
    assert event.cod_remitted_at == datetime(2026, 1, 5, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "ours"),
    [
        ("ready_to_pick", ShipmentStatus.CREATED),
        ("storing", ShipmentStatus.IN_TRANSIT),
        ("delivery_fail", ShipmentStatus.DELIVERY_FAILED),
        ("waiting_to_return", ShipmentStatus.DELIVERY_FAILED),
        ("returning", ShipmentStatus.RETURNING),
        ("returned", ShipmentStatus.RETURNED),
        ("cancel", ShipmentStatus.CANCELLED),
        ("lost", ShipmentStatus.EXCEPTION),
    ],
)
def test_statuses(status: str, ours: ShipmentStatus) -> None:
    assert GHN.build(None).parse_notification(ghn_notification(status, AT)).status is ours


def test_a_webhook_without_order_code_or_time_is_refused() -> None:
    for missing in ("OrderCode", "Time"):
        body = json.loads(ghn_notification("delivered", AT).body)
        del body[missing]
        request = HttpLikeRequest(method="POST", query={"secret": GHN_SECRET}, body=json.dumps(body).encode())
        with pytest.raises(InvalidNotification):
            GHN.build(None).parse_notification(request)


class _Answer:
    def __init__(self, status: int, body: bytes = b"{}") -> None:
        self.status, self.body = status, body

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        return HttpResponse(status=self.status, body=self.body)


def test_refused_credentials_and_server_errors_are_typed() -> None:
    with pytest.raises(CarrierAuthFailed):
        GHN.build(_Answer(401)).label("LNYQHC")
    with pytest.raises(CarrierUnavailable):
        GHN.build(_Answer(502, b"<html>Bad gateway</html>")).label("LNYQHC")
    with pytest.raises(CarrierUnavailable):
        GHN.build(_Answer(200, b"<html>maintenance</html>")).label("LNYQHC")


def test_settings() -> None:
    base = {"GHN_TOKEN": "t", "GHN_SHOP_ID": "885", "GHN_WEBHOOK_SECRET": "s"}
    carrier = GHNCarrier.from_env({**base, "GHN_BASE_URL": PRODUCTION_URL})
    assert carrier is not None and carrier.tracking_url("LNYQHC") == "https://donhang.ghn.vn/?order_code=LNYQHC"
    for missing in base:
        assert GHNCarrier.from_env({**base, missing: " "}) is None
    with pytest.raises(ValueError):
        GHNCarrier(token="t", shop_id="shop", webhook_secret="s")
