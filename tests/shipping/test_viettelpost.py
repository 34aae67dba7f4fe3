"""Viettel Post quirks: the login token is cached and renewed once on a 401, notifications carry our
secret as TOKEN (never stored), its status-code table, and no way to ask for a status back."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime

import pytest

from shipping.base import HttpLikeRequest, ShipmentStatus
from shipping.errors import CarrierAuthFailed, InvalidNotification
from shipping.transport import HttpRequest, HttpResponse
from shipping.viettelpost import ViettelPostCarrier, lead_time_hours
from tests.shipping.conftest import replay
from tests.shipping.kits import CLOCK, VIETTELPOST, VTP_CODES, VTP_SECRET, vtp_notification

AT = datetime(2026, 1, 2, 9, 15, tzinfo=UTC)


def test_one_login_serves_several_calls_and_a_401_logs_in_again_once() -> None:
    transport = replay("viettelpost", "token_refresh")
    carrier = VIETTELPOST.build(transport)
    carrier.quote(VIETTELPOST.quote_request())
    carrier.cancel_shipment(VTP_CODES[0])
    transport.assert_done()
    logins = [r for r in transport.sent if r.url.endswith("/v2/user/Login")]
    assert len(logins) == 2 and transport.sent[-1].headers["Token"] == "vtp-jwt-2"


class _Scripted:
    """Answers from a list, recording the requests (for the login paths the recordings do not cover)."""

    def __init__(self, *answers: tuple[int, object]) -> None:
        self.answers = list(answers)
        self.sent: list[HttpRequest] = []

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        self.sent.append(request)
        status, body = self.answers.pop(0)
        return HttpResponse(status=status, body=json.dumps(body).encode())


def _jwt(exp: float) -> str:
    claims = base64.urlsafe_b64encode(json.dumps({"exp": exp}).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJIUzI1NiJ9.{claims}.c2ln"


def test_the_token_expires_when_the_jwt_says() -> None:
    now = [CLOCK]
    ok = (200, {"status": 200, "error": False, "message": "OK", "data": None})
    transport = _Scripted(
        (200, {"status": 200, "error": False, "data": {"token": _jwt(CLOCK + 3600)}}),
        ok,
        ok,
        (200, {"status": 200, "error": False, "data": {"token": _jwt(CLOCK + 7200)}}),
        ok,
    )
    carrier = ViettelPostCarrier(
        username="u", password="p", webhook_secret="w", transport=transport, clock=lambda: now[0]
    )
    carrier.cancel_shipment("1")
    carrier.cancel_shipment("2")
    now[0] = CLOCK + 3590  # within a minute of expiry: log in before calling
    carrier.cancel_shipment("3")
    assert [r.url.rsplit("/", 1)[-1] for r in transport.sent] == [
        "Login",
        "UpdateOrder",
        "UpdateOrder",
        "Login",
        "UpdateOrder",
    ]


def test_a_refused_login_is_an_auth_failure() -> None:
    transport = _Scripted((200, {"status": 401, "error": True, "message": "Sai mật khẩu", "data": None}))
    carrier = ViettelPostCarrier(username="u", password="bad", webhook_secret="w", transport=transport)
    with pytest.raises(CarrierAuthFailed):
        carrier.cancel_shipment("1")


def test_quote_reads_hours_and_days() -> None:
    quotes = VIETTELPOST.build(replay("viettelpost", "quote")).quote(VIETTELPOST.quote_request())
    assert [(q.service_id, q.fee, q.lead_time_hours) for q in quotes] == [("LCOD", 28_000, 72), ("VCN", 36_000, 24)]
    assert lead_time_hours("12 giờ") == 12 and lead_time_hours("48h") == 48 and lead_time_hours("") is None


def test_create_sends_cod_as_money_collection_with_the_shop_paying_the_fee() -> None:
    transport = replay("viettelpost", "create")
    shipment = VIETTELPOST.build(transport).create_shipment(VIETTELPOST.shipment_request())
    order = json.loads(transport.sent[-1].body)
    assert (order["MONEY_COLLECTION"], order["ORDER_PAYMENT"], order["ORDER_NUMBER"]) == (350_000, 3, "CP260101AB12-S1")
    assert shipment.fee == 36_000 and shipment.expected_delivery == date(2026, 1, 2)  # KPI_HT 24 h


def test_the_print_page_uses_the_code_viettel_post_returns() -> None:
    label = VIETTELPOST.build(replay("viettelpost", "label")).label(VTP_CODES[0])
    assert label.url == (
        "https://digitalize.viettelpost.vn/DigitalizePrint/report.do?type=2&bill=9xQ2c0Zk1YbKQp3z&showPostage=1"
    )


def test_the_secret_is_never_kept_with_the_event() -> None:
    event = VIETTELPOST.build(None).parse_notification(vtp_notification("501", AT))
    assert "TOKEN" not in event.raw and VTP_SECRET not in json.dumps(event.raw)
    assert not event.needs_confirmation  # nothing to confirm with: no status query
    assert event.dedup_key == f"viettelpost:{VTP_CODES[0]}:501:02/01/2026 16:15:00"


def test_the_secret_may_come_in_the_url_instead() -> None:
    genuine = vtp_notification("500", AT, token=None)
    request = HttpLikeRequest(method="POST", body=genuine.body, query={"secret": VTP_SECRET})
    assert VIETTELPOST.build(None).parse_notification(request).status is ShipmentStatus.DELIVERING


@pytest.mark.parametrize(
    ("status", "ours"),
    [
        ("-100", ShipmentStatus.CREATED),
        ("105", ShipmentStatus.PICKED),
        ("107", ShipmentStatus.CANCELLED),
        ("202", None),
        ("302", ShipmentStatus.IN_TRANSIT),
        ("506", ShipmentStatus.DELIVERY_FAILED),
        ("508", ShipmentStatus.DELIVERING),
        ("502", ShipmentStatus.RETURNING),
        ("504", ShipmentStatus.RETURNED),
        ("503", ShipmentStatus.CANCELLED),
    ],
)
def test_status_table(status: str, ours: ShipmentStatus | None) -> None:
    event = VIETTELPOST.build(None).parse_notification(vtp_notification(status, AT))
    assert event.status is ours and not event.cod_collected


def test_a_notification_without_its_data_is_refused() -> None:
    body = json.dumps({"TOKEN": VTP_SECRET, "DATA": {"ORDER_NUMBER": VTP_CODES[0]}}).encode()
    with pytest.raises(InvalidNotification):
        VIETTELPOST.build(None).parse_notification(HttpLikeRequest(method="POST", body=body))
