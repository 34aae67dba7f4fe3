"""What the shared contract suite needs to drive each adapter: how to build it around a transport,
the carrier's ids for our two test places, how its notifications look, and a COD statement in the
carrier's export format (each with one mismatched amount and one unknown shipment)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from openpyxl import Workbook

from shipping.base import (
    Carrier,
    CarrierPlace,
    DistanceBand,
    HttpLikeRequest,
    Item,
    Location,
    Parcel,
    Party,
    QuoteRequest,
    ShipmentRequest,
    ShipmentStatus,
)
from shipping.common import VIETNAM_TZ, hmac_hex
from shipping.ghn import GHNCarrier
from shipping.ghtk import GHTKCarrier
from shipping.locations import OurUnit
from shipping.sandbox import SandboxCarrier
from shipping.transport import Transport
from shipping.viettelpost import ViettelPostCarrier

CLOCK = 1_767_225_600.0  # 2026-01-01 00:00 UTC = 07:00 in Đà Lạt
CLIENT_ORDER_CODE = "CP260101AB12-S1"
GHN_SECRET = "ghn-hook-secret-7f3a"
GHTK_SECRET = "ghtk-hook-secret-91c2"
VTP_SECRET = "vtp-hook-secret-55d0"
SANDBOX_SECRET = "sandbox-secret-for-tests"

ORIGIN = Location(
    province_code="68",
    province_name="Tỉnh Lâm Đồng",
    commune_code="24781",
    commune_name="Phường Xuân Hương - Đà Lạt",
    legacy_ward_name="Phường 2",
    legacy_ward_code="24781",
    legacy_district_name="Thành phố Đà Lạt",
    legacy_district_code="672",
    legacy_province_name="Tỉnh Lâm Đồng",
    legacy_province_code="68",
)
DESTINATION = Location(
    province_code="68",
    province_name="Tỉnh Lâm Đồng",
    commune_code="24958",
    commune_name="Xã Đức Trọng",
    legacy_ward_name="Thị trấn Liên Nghĩa",
    legacy_ward_code="24958",
    legacy_district_name="Huyện Đức Trọng",
    legacy_district_code="678",
    legacy_province_name="Tỉnh Lâm Đồng",
    legacy_province_code="68",
)
PARCEL = Parcel(weight_grams=1500, length_cm=30, width_cm=20, height_cm=15)
ITEMS = (Item("Dâu tây Đà Lạt 1 kg", 1, 250_000, 1000), Item("Mứt dâu 500 g", 1, 70_000, 500))
COD_AMOUNT = 350_000  # goods 320 000 + the buyer's shipping 30 000
DECLARED_VALUE = 320_000

# Our places to map from master data: two that exist, one that does not.
OUR_UNITS = (
    OurUnit(key="24781", ward_name="P. 02", district_name="TP Đà Lạt", province_name="Lâm Đồng", ward_code="24781"),
    OurUnit(key="24958", ward_name="TT Liên Nghĩa", district_name="H. Đức Trọng", province_name="Tỉnh Lâm Đồng"),
    OurUnit(key="99999", ward_name="Xã Không Có", district_name="Huyện Đức Trọng", province_name="Lâm Đồng"),
)


@dataclass(frozen=True)
class Kit:
    carrier_id: str
    build: Callable[[Transport | None], Carrier]
    service_id: str
    places: dict[str, CarrierPlace] | None  # "origin"/"destination" → ids; None for carriers keyed on names
    carrier_code: str  # what create answers
    notify: Callable[[str, datetime], HttpLikeRequest]  # the carrier's status code, time → a valid notification
    forged: Callable[[], list[HttpLikeRequest]]
    sequence: tuple[tuple[str, ShipmentStatus], ...]  # picked, delivering, delivered in the carrier's codes
    statement: Callable[[], tuple[bytes, str]]
    statement_codes: tuple[str, str, str]  # matched, mismatched amount, unknown shipment
    retry_finds_existing: bool = True  # False: the retry raises ShipmentAlreadyExists instead

    def located(self, location: Location, which: str) -> Location:
        return replace(location, carrier_place=self.places[which]) if self.places else location

    def quote_request(self) -> QuoteRequest:
        return QuoteRequest(
            origin=self.located(ORIGIN, "origin"),
            destination=self.located(DESTINATION, "destination"),
            parcel=PARCEL,
            band=DistanceBand.SAME_PROVINCE,
            cod_amount=COD_AMOUNT,
            declared_value=DECLARED_VALUE,
        )

    def shipment_request(self) -> ShipmentRequest:
        return ShipmentRequest(
            client_order_code=CLIENT_ORDER_CODE,
            service_id=self.service_id,
            sender=Party("HTX Dâu tây Xuân Hương", "+84912345678", "12 Trần Phú", self.located(ORIGIN, "origin")),
            recipient=Party(
                "Nguyễn Thị Lan", "+84987654321", "45 Thống Nhất", self.located(DESTINATION, "destination")
            ),
            parcel=PARCEL,
            band=DistanceBand.SAME_PROVINCE,
            items=ITEMS,
            cod_amount=COD_AMOUNT,
            declared_value=DECLARED_VALUE,
            content="Dâu tây, mứt dâu",
            note="Hàng dễ dập, xin nhẹ tay",
        )


def _xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _statement_rows(codes: tuple[str, str, str]) -> list[tuple[str, str, int, int, int]]:
    """(carrier code, client code, COD, fee, remitted): our shipment, one whose COD the carrier states
    as 200 000 while we expect 210 000, and one that is not ours."""
    return [
        (codes[0], CLIENT_ORDER_CODE, 350_000, 33_000, 317_000),
        (codes[1], "CP260101AB13-S1", 200_000, 28_000, 172_000),
        (codes[2], "", 150_000, 25_000, 125_000),
    ]


# -- GHN ------------------------------------------------------------------------------------------

GHN_CODES = ("LNYQHC", "LNYQHD", "ZZ9X9Z")


def _ghn_body(status: str, at: datetime, kind: str = "switch_status") -> dict[str, Any]:
    return {
        "CODAmount": COD_AMOUNT,
        "CODTransferDate": None,
        "ClientOrderCode": CLIENT_ORDER_CODE,
        "ConvertedWeight": 1500,
        "Description": "Cập nhật trạng thái",
        "Fee": {"CODFee": 0, "Insurance": 0, "MainService": 33000, "Total": 33000},
        "Height": 15,
        "IsPartialReturn": False,
        "Length": 30,
        "OrderCode": GHN_CODES[0],
        "PartialReturnCode": "",
        "PaymentType": 1,
        "Reason": "",
        "ReasonCode": "",
        "ShopID": 885,
        "Status": status,
        "Time": at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "TotalFee": 33000,
        "Type": kind,
        "Warehouse": "Bưu Cục Đức Trọng",
        "Weight": 1500,
        "Width": 20,
    }


def ghn_notification(status: str, at: datetime, *, secret: str | None = GHN_SECRET, **changes: Any) -> HttpLikeRequest:
    body = {**_ghn_body(status, at), **changes}
    return HttpLikeRequest(
        method="POST",
        query={"secret": secret} if secret else {},
        body=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json"},
    )


def _ghn_statement() -> tuple[bytes, str]:
    rows: list[list[Any]] = [
        ["BẢNG KÊ ĐỐI SOÁT COD"],
        ["Mã phiên: 2601050001", None, "Ngày: 05/01/2026"],
        [],
        ["STT", "Mã đơn GHN", "Mã đơn khách hàng", "Tiền thu hộ (COD)", "Tổng phí", "Thực nhận", "Ngày đối soát"],
    ]
    for index, (code, client, cod, fee, net) in enumerate(_statement_rows(GHN_CODES), start=1):
        rows.append([index, code, client, cod, fee, net, datetime(2026, 1, 5)])
    rows.append(["Tổng cộng", None, None, 700_000, 86_000, 614_000, None])
    return _xlsx(rows), "ghn-doi-soat-2601050001.xlsx"


GHN = Kit(
    carrier_id="ghn",
    build=lambda transport: GHNCarrier(
        token="ghn-test-token", shop_id="885", webhook_secret=GHN_SECRET, transport=transport, clock=lambda: CLOCK
    ),
    service_id="2:53320",
    places={
        "origin": CarrierPlace(province_id="209", district_id="1550", ward_id="430102"),
        "destination": CarrierPlace(province_id="209", district_id="1991", ward_id="430701"),
    },
    carrier_code=GHN_CODES[0],
    notify=lambda status, at: ghn_notification(status, at),
    forged=lambda: [
        ghn_notification("delivered", datetime(2026, 1, 2, tzinfo=UTC), secret="not-the-secret"),
        ghn_notification("delivered", datetime(2026, 1, 2, tzinfo=UTC), secret=None),
    ],
    sequence=(
        ("picked", ShipmentStatus.PICKED),
        ("delivering", ShipmentStatus.DELIVERING),
        ("delivered", ShipmentStatus.DELIVERED),
    ),
    statement=_ghn_statement,
    statement_codes=GHN_CODES,
)

# -- GHTK -----------------------------------------------------------------------------------------

GHTK_CODES = ("S22749126.SGP39-J31.1375835526", "S22749126.SGP39-J31.1375835527", "S99999999.XXX00-Z00.1")


def ghtk_notification(
    status: str, at: datetime, *, secret: str | None = GHTK_SECRET, **changes: Any
) -> HttpLikeRequest:
    fields = {
        "label_id": GHTK_CODES[0],
        "partner_id": CLIENT_ORDER_CODE,
        "action_time": at.astimezone(VIETNAM_TZ).isoformat(timespec="seconds"),
        "status_id": status,
        "reason_code": "",
        "reason": "",
        "weight": "1.5",
        "fee": "30000",
        "pick_money": str(COD_AMOUNT),
        "return_part_package": "0",
        **changes,
    }
    return HttpLikeRequest(
        method="POST",
        query={"hash": secret} if secret else {},
        body=urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def _ghtk_statement() -> tuple[bytes, str]:
    header = ["Mã đơn hàng", "Mã đơn KH", "Tiền thu hộ", "Phí ship", "Thực nhận", "Ngày đối soát", "Mã phiên đối soát"]
    lines = [
        f"{code};{client};{cod:,};{fee:,};{net:,};05/01/2026 10:30;DS-260105".replace(",", ".")
        for code, client, cod, fee, net in _statement_rows(GHTK_CODES)
    ]
    text = "\n".join([";".join(header), *lines, ";Tổng cộng;700.000;86.000;614.000;;"]) + "\n"
    return text.encode("utf-8-sig"), "ghtk_doisoat_20260105.csv"


GHTK = Kit(
    carrier_id="ghtk",
    build=lambda transport: GHTKCarrier(
        token="ghtk-test-token",
        client_source="S308157",
        webhook_secret=GHTK_SECRET,
        transport=transport,
        transports=("road", "fly"),
        clock=lambda: CLOCK,
    ),
    service_id="road",
    places=None,
    carrier_code=GHTK_CODES[0],
    notify=lambda status, at: ghtk_notification(status, at),
    forged=lambda: [
        ghtk_notification("5", datetime(2026, 1, 2, tzinfo=UTC), secret="wrong-hash"),
        ghtk_notification("5", datetime(2026, 1, 2, tzinfo=UTC), secret=None),
    ],
    sequence=(("3", ShipmentStatus.PICKED), ("4", ShipmentStatus.DELIVERING), ("5", ShipmentStatus.DELIVERED)),
    statement=_ghtk_statement,
    statement_codes=GHTK_CODES,
)

# -- Viettel Post ---------------------------------------------------------------------------------

VTP_CODES = ("1662516573914", "1662516573915", "1999999999999")


def vtp_notification(status: str, at: datetime, *, token: str | None = VTP_SECRET, **changes: Any) -> HttpLikeRequest:
    data = {
        "ORDER_NUMBER": VTP_CODES[0],
        "ORDER_REFERENCE": CLIENT_ORDER_CODE,
        "ORDER_STATUSDATE": at.astimezone(VIETNAM_TZ).strftime("%d/%m/%Y %H:%M:%S"),
        "ORDER_STATUS": int(status),
        "STATUS_NAME": "Cập nhật",
        "LOCALION_CURRENTLY": "Bưu cục Đức Trọng",
        "NOTE": "",
        "MONEY_COLLECTION": COD_AMOUNT,
        "MONEY_FEECOD": 0,
        "MONEY_TOTAL": 36000,
        "EXPECTED_DELIVERY": "Trong ngày",
        "PRODUCT_WEIGHT": 1500,
        "ORDER_SERVICE": "VCN",
        **changes,
    }
    body: dict[str, Any] = {"DATA": data}
    if token is not None:
        body["TOKEN"] = token
    return HttpLikeRequest(method="POST", body=json.dumps(body, ensure_ascii=False).encode(), headers={})


def _vtp_statement() -> tuple[bytes, str]:
    rows: list[list[Any]] = [
        ["TỔNG CÔNG TY CỔ PHẦN BƯU CHÍNH VIETTEL"],
        ["BẢNG KÊ THANH TOÁN TIỀN THU HỘ"],
        ["Mã vận đơn", "Mã đơn hàng", "Tiền thu hộ", "Cước phí", "Tiền thanh toán", "Ngày thanh toán", "Số bảng kê"],
    ]
    for code, client, cod, fee, net in _statement_rows(VTP_CODES):
        rows.append(
            [code, client, f"{cod:,} đ".replace(",", "."), f"{fee:,} đ".replace(",", "."), net, "05/01/2026", "BK0105"]
        )
    return _xlsx(rows), "viettelpost_bangke.xlsx"


VIETTELPOST = Kit(
    carrier_id="viettelpost",
    build=lambda transport: ViettelPostCarrier(
        username="shop@example.vn",
        password="vtp-password",
        webhook_secret=VTP_SECRET,
        transport=transport,
        clock=lambda: CLOCK,
    ),
    service_id="VCN",
    places={
        "origin": CarrierPlace(province_id="42", district_id="553", ward_id="9002"),
        "destination": CarrierPlace(province_id="42", district_id="560", ward_id="9120"),
    },
    carrier_code=VTP_CODES[0],
    notify=lambda status, at: vtp_notification(status, at),
    forged=lambda: [
        vtp_notification("501", datetime(2026, 1, 2, tzinfo=UTC), token="not-our-token"),
        vtp_notification("501", datetime(2026, 1, 2, tzinfo=UTC), token=None),
    ],
    sequence=(("200", ShipmentStatus.PICKED), ("500", ShipmentStatus.DELIVERING), ("501", ShipmentStatus.DELIVERED)),
    statement=_vtp_statement,
    statement_codes=VTP_CODES,
    retry_finds_existing=False,
)

# -- sandbox --------------------------------------------------------------------------------------

_SANDBOX = SandboxCarrier(SANDBOX_SECRET, clock=lambda: CLOCK)
SANDBOX_CODES = (_SANDBOX.shipment_code(CLIENT_ORDER_CODE), _SANDBOX.shipment_code("CP260101AB13-S1"), "SBX0000000000")


def _sandbox_notification(status: str, at: datetime) -> HttpLikeRequest:
    delivered = status == ShipmentStatus.DELIVERED
    return _SANDBOX.build_notification(
        carrier_code=SANDBOX_CODES[0],
        status=ShipmentStatus(status),
        occurred_at=at,
        client_order_code=CLIENT_ORDER_CODE,
        cod_amount=COD_AMOUNT,
        cod_collected=delivered,
    )


def _sandbox_forged() -> list[HttpLikeRequest]:
    genuine = _sandbox_notification("DELIVERED", datetime(2026, 1, 2, tzinfo=UTC))
    other = SandboxCarrier("another-secret").build_notification(
        carrier_code=SANDBOX_CODES[0], status=ShipmentStatus.DELIVERED, occurred_at=datetime(2026, 1, 2, tzinfo=UTC)
    )
    tampered = replace(genuine, body=genuine.body.replace(b'"cod_amount":350000', b'"cod_amount":1'))
    unsigned = HttpLikeRequest(method="POST", body=genuine.body, headers={"X-Sandbox-Signature": hmac_hex("x", b"")})
    return [other, tampered, unsigned]


def _sandbox_statement() -> tuple[bytes, str]:
    rows = [(code, client, cod, fee) for code, client, cod, fee, _ in _statement_rows(SANDBOX_CODES)]
    return _SANDBOX.build_statement(rows, remitted_on=date(2026, 1, 5), reference="SBX-2601"), "sandbox.csv"


SANDBOX = Kit(
    carrier_id="sandbox",
    build=lambda transport: SandboxCarrier(SANDBOX_SECRET, clock=lambda: CLOCK),
    service_id="standard",
    places=None,
    carrier_code=SANDBOX_CODES[0],
    notify=_sandbox_notification,
    forged=_sandbox_forged,
    sequence=(
        ("PICKED", ShipmentStatus.PICKED),
        ("DELIVERING", ShipmentStatus.DELIVERING),
        ("DELIVERED", ShipmentStatus.DELIVERED),
    ),
    statement=_sandbox_statement,
    statement_codes=SANDBOX_CODES,
)

KITS = {kit.carrier_id: kit for kit in (GHN, GHTK, VIETTELPOST, SANDBOX)}
DELIVERED_CODE = {kit.carrier_id: kit.sequence[-1][0] for kit in KITS.values()}
