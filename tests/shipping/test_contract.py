"""The one contract every carrier adapter keeps, run against each of them with recorded transports:
quote, create and its idempotent retry, cancel, label, notifications (valid, forged, duplicate, out of
order), status query, COD statement, master data, replies."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from shipping.base import (
    Carrier,
    CarrierEvent,
    CarrierPlace,
    EventKind,
    HttpLikeRequest,
    ReplyOutcome,
    ShipmentStatus,
    latest_event,
)
from shipping.errors import InvalidNotification, ShipmentAlreadyExists, UnsupportedOperation
from shipping.locations import NOT_FOUND, match_locations
from shipping.registry import available_carriers
from tests.shipping.conftest import ReplayTransport, replay
from tests.shipping.kits import (
    CLIENT_ORDER_CODE,
    COD_AMOUNT,
    DELIVERED_CODE,
    KITS,
    OUR_UNITS,
    Kit,
)

SETTINGS = {
    "SECRET_KEY": "contract-secret-key",
    "GHN_TOKEN": "ghn-token-secret",
    "GHN_SHOP_ID": "885",
    "GHN_WEBHOOK_SECRET": "ghn-webhook-secret",
    "GHTK_TOKEN": "ghtk-token-secret",
    "GHTK_CLIENT_SOURCE": "S308157",
    "GHTK_WEBHOOK_SECRET": "ghtk-webhook-secret",
    "VIETTELPOST_USERNAME": "shop@example.vn",
    "VIETTELPOST_PASSWORD": "vtp-password-secret",
    "VIETTELPOST_WEBHOOK_SECRET": "vtp-webhook-secret",
}
NETWORKED = {"ghn", "ghtk", "viettelpost"}


def test_every_adapter_is_offered_with_its_settings() -> None:
    assert {c.id for c in available_carriers(SETTINGS, debug=True)} == set(KITS)
    assert {c.id for c in available_carriers(SETTINGS, debug=False)} == NETWORKED


@pytest.fixture(params=sorted(KITS))
def kit(request: pytest.FixtureRequest) -> Kit:
    return KITS[request.param]


def _carrier(kit: Kit, recording: str) -> tuple[Carrier, ReplayTransport]:
    transport = replay(kit.carrier_id, recording)
    return kit.build(transport), transport


def test_identity_never_shows_secrets(kit: Kit) -> None:
    (configured,) = [c for c in available_carriers(SETTINGS, debug=True) if c.id == kit.carrier_id]
    assert configured.name and configured.supports_cod is True
    for flag in (configured.supports_status_query, configured.uses_location_ids):
        assert isinstance(flag, bool)
    secrets = [value for name, value in SETTINGS.items() if "SECRET" in name or "TOKEN" in name or "PASSWORD" in name]
    assert not any(secret in repr(configured) for secret in secrets)


def test_quote(kit: Kit) -> None:
    carrier, transport = _carrier(kit, "quote")
    quotes = carrier.quote(kit.quote_request())
    transport.assert_done()
    assert quotes and all(q.carrier_id == kit.carrier_id and q.fee > 0 and q.service_id for q in quotes)
    assert [q.fee for q in quotes] == sorted(q.fee for q in quotes)
    assert all(isinstance(q.fee, int) for q in quotes)
    assert all(q.expected_delivery is None or q.expected_delivery >= date(2026, 1, 1) for q in quotes)


def test_create_then_the_retry_makes_no_second_shipment(kit: Kit) -> None:
    carrier, transport = _carrier(kit, "create")
    shipment = carrier.create_shipment(kit.shipment_request())
    transport.assert_done()
    assert (shipment.carrier_id, shipment.carrier_code) == (kit.carrier_id, kit.carrier_code)
    assert shipment.client_order_code == CLIENT_ORDER_CODE and shipment.status is ShipmentStatus.CREATED
    assert not shipment.existing

    carrier, transport = _carrier(kit, "create_retry")
    if kit.retry_finds_existing:
        again = carrier.create_shipment(kit.shipment_request())
        assert again.carrier_code == shipment.carrier_code
        assert again.existing or kit.carrier_id == "sandbox"  # the sandbox's codes are deterministic
    else:
        with pytest.raises(ShipmentAlreadyExists):
            carrier.create_shipment(kit.shipment_request())
    transport.assert_done()  # the recording holds no second successful create


def test_cancel(kit: Kit) -> None:
    carrier, transport = _carrier(kit, "cancel")
    assert carrier.cancel_shipment(kit.carrier_code) is None
    transport.assert_done()


def test_label(kit: Kit) -> None:
    carrier, transport = _carrier(kit, "label")
    label = carrier.label(kit.carrier_code)
    transport.assert_done()
    if label.url:
        assert label.url.startswith("https://") and label.content_type == "text/html"
    else:
        assert label.content_type == "application/pdf" and label.data.startswith(b"%PDF") and b"%%EOF" in label.data


def _delivered(kit: Kit, at: datetime) -> HttpLikeRequest:
    return kit.notify(DELIVERED_CODE[kit.carrier_id], at)


def test_a_valid_notification(kit: Kit) -> None:
    at = datetime(2026, 1, 2, 9, 15, tzinfo=UTC)
    event = kit.build(None).parse_notification(_delivered(kit, at))
    assert isinstance(event, CarrierEvent)
    assert (event.carrier_id, event.carrier_code, event.kind) == (kit.carrier_id, kit.carrier_code, EventKind.STATUS)
    assert event.status is ShipmentStatus.DELIVERED and event.carrier_status
    assert event.occurred_at == at and event.occurred_at.tzinfo is not None
    assert event.client_order_code == CLIENT_ORDER_CODE
    assert event.cod_amount == COD_AMOUNT and event.cod_collected
    assert event.dedup_key.startswith(f"{kit.carrier_id}:")


def test_forged_notifications_are_refused(kit: Kit) -> None:
    carrier = kit.build(None)
    garbage = [
        HttpLikeRequest(method="POST", body=b""),
        HttpLikeRequest(method="POST", body=b"\xff\xfe not json"),
        HttpLikeRequest(method="POST", body=b'{"OrderCode":"X","Status":"delivered"}', query={"secret": ""}),
    ]
    for request in [*kit.forged(), *garbage]:
        with pytest.raises(InvalidNotification):
            carrier.parse_notification(request)


def test_a_retried_notification_has_the_same_dedup_key(kit: Kit) -> None:
    carrier = kit.build(None)
    at = datetime(2026, 1, 2, 9, 15, tzinfo=UTC)
    first, again = (carrier.parse_notification(_delivered(kit, at)) for _ in range(2))
    later = carrier.parse_notification(_delivered(kit, at + timedelta(minutes=5)))
    assert first.dedup_key == again.dedup_key
    assert later.dedup_key != first.dedup_key


def test_out_of_order_notifications_still_give_the_latest_status(kit: Kit) -> None:
    carrier = kit.build(None)
    start = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    requests = [kit.notify(code, start + timedelta(hours=3 * i)) for i, (code, _) in enumerate(kit.sequence)]
    events = [carrier.parse_notification(request) for request in reversed(requests)]  # newest first
    assert [e.status for e in reversed(events)] == [status for _, status in kit.sequence]
    assert len({e.dedup_key for e in events}) == len(events)
    latest = latest_event(events)
    assert latest is not None and latest.status is ShipmentStatus.DELIVERED


def test_status_query(kit: Kit) -> None:
    carrier, transport = _carrier(kit, "status")
    if not carrier.supports_status_query:
        with pytest.raises(UnsupportedOperation):
            carrier.query_status(kit.carrier_code)
        return
    event = carrier.query_status(kit.carrier_code)
    transport.assert_done()
    assert event.carrier_code == kit.carrier_code and event.status is ShipmentStatus.DELIVERED
    assert not event.needs_confirmation and event.cod_collected and event.cod_amount == COD_AMOUNT


def test_statement_lines_come_back_as_the_carrier_wrote_them(kit: Kit) -> None:
    content, filename = kit.statement()
    statement = kit.build(None).parse_statement(content, filename=filename)
    assert statement.carrier_id == kit.carrier_id
    matched, mismatched, unknown = kit.statement_codes
    assert [
        (line.carrier_code, line.client_order_code, line.cod_amount, line.fee, line.remitted_on, line.problems)
        for line in statement.lines
    ] == [
        (matched, CLIENT_ORDER_CODE, 350_000, 33_000, date(2026, 1, 5), ()),
        (mismatched, "CP260101AB13-S1", 200_000, 28_000, date(2026, 1, 5), ()),
        (unknown, "", 150_000, 25_000, date(2026, 1, 5), ()),
    ]
    assert [line.remitted_amount for line in statement.lines] == [317_000, 172_000, 125_000]
    assert len(statement.summary_rows) <= 1 and statement.total_cod == 700_000
    assert all(line.line_no > 1 and line.raw for line in statement.lines)


def test_master_data_maps_our_places(kit: Kit) -> None:
    carrier, transport = _carrier(kit, "master_data")
    if not carrier.uses_location_ids:
        with pytest.raises(UnsupportedOperation):
            carrier.fetch_master_data(provinces=["Lâm Đồng"])
        return
    master = carrier.fetch_master_data(provinces=["Lâm Đồng"])
    transport.assert_done()
    assert [p.name for p in master.provinces] == ["Lâm Đồng"]
    result = match_locations(OUR_UNITS, master)
    assert kit.places is not None
    assert result.mapping == {"24781": kit.places["origin"], "24958": kit.places["destination"]}
    assert [(u.unit.key, u.reason) for u in result.unmatched] == [("99999", NOT_FOUND)]
    assert all(isinstance(place, CarrierPlace) for place in result.mapping.values())


@pytest.mark.parametrize("outcome", list(ReplyOutcome))
def test_a_reply_for_every_outcome(kit: Kit, outcome: ReplyOutcome) -> None:
    reply = kit.build(None).reply(outcome)
    assert isinstance(reply.body, bytes) and reply.content_type == "application/json"
    expected = {ReplyOutcome.UNKNOWN_SHIPMENT: 404, ReplyOutcome.INVALID: 401, ReplyOutcome.ERROR: 500}
    assert reply.status == expected.get(outcome, 200)  # non-2xx makes the carrier retry
