"""Viettel Post partner API v2: login for a JWT, getPriceAll, createOrder with MONEY_COLLECTION for
COD, UpdateOrder (cancel), printing-code (label), status notifications, master data.

Built from "Tài liệu kết nối API ViettelPost" (partner.viettelpost.vn/v2, swagger at
partnerdev.viettelpost.vn) and third-party clients; never run against Viettel Post (see README
"Carriers"). `POST /v2/user/Login` gives a token sent as the `Token` header; it is cached until it
expires and fetched again once on a 401. Answers are `{"status": 200, "error": false, "message": …,
"data": …}` (getPriceAll may answer a bare list). Addresses are keyed on Viettel Post's own pre-2025
province/district/ward ids, so quotes and shipments need `Location.carrier_place`.

Notifications carry `{"DATA": {ORDER_NUMBER, ORDER_REFERENCE, ORDER_STATUS, ORDER_STATUSDATE, …},
"TOKEN": <the secret we gave Viettel Post>}`. The public API has no status query, so events are
authenticated by that secret only and cannot be confirmed by asking back (`supports_status_query`
is False). No look-up by our order code exists either: a retried create relies on Viettel Post
refusing a second ORDER_NUMBER (unconfirmed) and then raises ShipmentAlreadyExists."""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from shipping.base import (
    CarrierEvent,
    CarrierPlace,
    CarrierUnit,
    CodStatement,
    EventKind,
    HttpLikeRequest,
    Label,
    Location,
    MasterData,
    NotificationReply,
    Quote,
    QuoteRequest,
    ReplyOutcome,
    Shipment,
    ShipmentRequest,
    ShipmentStatus,
    UnitLevel,
)
from shipping.common import (
    VIETNAM_TZ,
    decode_body,
    domestic_phone,
    fold,
    int_setting,
    moment_from_epoch,
    parse_local_time,
    reply_status,
    request_carries_secret,
    setting,
    whole_dong,
)
from shipping.errors import (
    AddressNotServed,
    CarrierAuthFailed,
    CarrierRejected,
    InvalidNotification,
    ShipmentAlreadyExists,
    ShipmentNotCancellable,
    UnsupportedOperation,
)
from shipping.locations import province_filter, wanted
from shipping.statements import StatementColumns, parse_statement
from shipping.transport import DEFAULT_TIMEOUT, ApiClient, Transport, UrllibTransport, encode_json

STAGING_URL = "https://partnerdev.viettelpost.vn"
PRODUCTION_URL = "https://partner.viettelpost.vn"
PRINT_URL = "https://digitalize.viettelpost.vn/DigitalizePrint/report.do?type={type}&bill={token}&showPostage=1"
PRINT_TYPES = {"A5": 1, "A6": 2, "A7": 1001}
TRACKING_URL = "https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/?code={code}"
TIME_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S")
COLLECT_GOODS_PRICE = 3  # ORDER_PAYMENT: collect MONEY_COLLECTION, the shop pays the fee
NO_COLLECTION = 1
CANCEL = 4  # UpdateOrder TYPE
TOKEN_LIFETIME_FALLBACK = 6 * 3600  # when neither the answer nor the JWT says when it expires

STATUSES: Mapping[int, ShipmentStatus | None] = {
    -100: ShipmentStatus.CREATED,  # new order, not yet approved
    -108: ShipmentStatus.CREATED,  # handed in at a post office
    -109: ShipmentStatus.CREATED,
    -110: ShipmentStatus.CREATED,
    100: ShipmentStatus.CREATED,
    102: ShipmentStatus.CREATED,
    103: ShipmentStatus.CREATED,  # assigned to a post office
    104: ShipmentStatus.CREATED,  # a postman is on the way to pick up
    106: ShipmentStatus.CREATED,  # the partner asked to pick up again
    101: ShipmentStatus.CANCELLED,  # Viettel Post asks to cancel
    107: ShipmentStatus.CANCELLED,  # cancelled through the API
    201: ShipmentStatus.CANCELLED,
    503: ShipmentStatus.CANCELLED,  # cancelled at the customer's request
    105: ShipmentStatus.PICKED,
    200: ShipmentStatus.PICKED,  # received at the origin post office
    202: None,  # the bill was edited: no movement
    300: ShipmentStatus.IN_TRANSIT,
    301: ShipmentStatus.IN_TRANSIT,
    302: ShipmentStatus.IN_TRANSIT,
    303: ShipmentStatus.IN_TRANSIT,
    400: ShipmentStatus.IN_TRANSIT,
    401: ShipmentStatus.IN_TRANSIT,
    402: ShipmentStatus.IN_TRANSIT,
    403: ShipmentStatus.IN_TRANSIT,
    509: ShipmentStatus.IN_TRANSIT,  # forwarded to another post office
    510: ShipmentStatus.IN_TRANSIT,  # delivery assignment cancelled
    500: ShipmentStatus.DELIVERING,
    508: ShipmentStatus.DELIVERING,  # delivering again
    550: ShipmentStatus.DELIVERING,  # the customer asked for another attempt
    501: ShipmentStatus.DELIVERED,
    505: ShipmentStatus.DELIVERY_FAILED,  # held: return to sender announced
    506: ShipmentStatus.DELIVERY_FAILED,  # held: customer away
    507: ShipmentStatus.DELIVERY_FAILED,  # held: the customer will collect at the post office
    502: ShipmentStatus.RETURNING,
    515: ShipmentStatus.RETURNING,  # return approved
    504: ShipmentStatus.RETURNED,
}
DELIVERED = 501

# Column names of Viettel Post's COD statement ("bảng kê"); unconfirmed.
STATEMENT_COLUMNS = StatementColumns(
    carrier_code=("Mã vận đơn", "Số hiệu", "Mã phiếu gửi", "ORDER_NUMBER"),
    client_order_code=("Mã đơn hàng", "Mã đơn KH", "ORDER_REFERENCE"),
    cod_amount=("Tiền thu hộ", "Tiền COD", "Thu hộ", "MONEY_COLLECTION"),
    fee=("Cước phí", "Tổng cước", "Tiền cước", "MONEY_TOTAL"),
    remitted_amount=("Tiền thanh toán", "Thực nhận", "Số tiền trả"),
    remitted_on=("Ngày đối soát", "Ngày thanh toán", "Ngày trả tiền"),
    remittance_reference=("Số bảng kê", "Mã bảng kê", "Bảng kê"),
)
_EXISTS = ("ton tai", "da co", "trung", "exist", "duplicate")


def lead_time_hours(text: object) -> int | None:
    """THOI_GIAN as Viettel Post writes it: "12 giờ", "48h", "2-3 ngày" (the longest)."""
    folded = fold(str(text or ""))
    numbers = [int(n) for n in re.findall(r"\d+", folded)]
    if not numbers:
        return None
    return max(numbers) * (24 if "ngay" in folded else 1)


def _jwt_expiry(token: str) -> float | None:
    """The `exp` claim of a JWT, read without verifying it: only to know when to log in again."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return None


def _ids(location: Location) -> tuple[int, int, int]:
    place = location.carrier_place or CarrierPlace()
    parts = (place.province_id, place.district_id, place.ward_id)
    if not all(part.lstrip("-").isdigit() for part in parts):
        raise AddressNotServed(f"no Viettel Post ids mapped for commune {location.commune_code}")
    return int(parts[0]), int(parts[1]), int(parts[2])


class ViettelPostCarrier:
    id: str = "viettelpost"
    name: str = "Viettel Post"
    supports_cod: bool = True
    supports_status_query: bool = False
    uses_location_ids: bool = True
    max_cod_amount: int | None = None

    def __init__(
        self,
        *,
        username: str,
        password: str,
        webhook_secret: str,
        base_url: str = STAGING_URL,
        transport: Transport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        group_address_id: int = 0,
        label_size: str = "A6",
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not username or not password or not webhook_secret:
            raise ValueError("Viettel Post needs a username, a password and a webhook secret")
        self._username, self._password = username, password
        self._webhook_secret = webhook_secret
        self.base_url = base_url.rstrip("/")
        self.group_address_id = group_address_id
        self.label_type = PRINT_TYPES.get(label_size, 2)
        self._clock = clock
        self._token: str | None = None
        self._token_expires = 0.0
        self._client = ApiClient(base_url=self.base_url, transport=transport or UrllibTransport(), timeout=timeout)

    def __repr__(self) -> str:
        return f"ViettelPostCarrier(username={self._username!r}, base_url={self.base_url!r})"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str], *, transport: Transport | None = None, debug: bool = False
    ) -> ViettelPostCarrier | None:
        names = ("VIETTELPOST_USERNAME", "VIETTELPOST_PASSWORD", "VIETTELPOST_WEBHOOK_SECRET")
        username, password, secret = (setting(environ, name) for name in names)
        if not username or not password or not secret:
            return None
        return cls(
            username=username,
            password=password,
            webhook_secret=secret,
            base_url=setting(environ, "VIETTELPOST_BASE_URL") or STAGING_URL,
            transport=transport,
            timeout=int_setting(environ, "SHIPPING_TIMEOUT_SECONDS", int(DEFAULT_TIMEOUT)),
            group_address_id=int_setting(environ, "VIETTELPOST_GROUPADDRESS_ID", 0),
        )

    # -- the API -----------------------------------------------------------------------------

    def _login(self) -> str:
        status, answer = self._client.call(
            "POST", "/v2/user/Login", payload={"USERNAME": self._username, "PASSWORD": self._password}
        )
        answer = answer if isinstance(answer, dict) else {}
        data: dict[str, Any] = answer["data"] if isinstance(answer.get("data"), dict) else {}
        token = data.get("token")
        if status != 200 or not token or answer.get("error"):
            raise CarrierAuthFailed(f"Viettel Post login refused: HTTP {status}")
        expired = whole_dong(data.get("expired"))
        expires = expired / 1000 if expired and expired > 10**11 else expired  # milliseconds or seconds
        self._token = str(token)
        self._token_expires = float(expires or _jwt_expiry(self._token) or self._clock() + TOKEN_LIFETIME_FALLBACK)
        return self._token

    def _current_token(self) -> str:
        if self._token and self._clock() < self._token_expires - 60:
            return self._token
        return self._login()

    def _api(self, method: str, path: str, *, payload: Any = None, query: Mapping[str, object] | None = None) -> Any:
        for attempt in (1, 2):
            status, answer = self._client.call(
                method, path, payload=payload, query=query, headers={"Token": self._current_token()}
            )
            if status == 401 or (isinstance(answer, dict) and answer.get("status") == 401):
                self._token = None  # expired early or revoked: log in again, once
                if attempt == 1:
                    continue
                raise CarrierAuthFailed(f"Viettel Post {path}: token refused after a fresh login")
            break
        if isinstance(answer, list):
            return answer
        answer = answer if isinstance(answer, dict) else {}
        if status >= 400 or answer.get("error") or answer.get("status", 200) != 200:
            raise CarrierRejected(
                f"Viettel Post {path}: HTTP {status} {answer.get('message', '')}".strip(),
                carrier_error=str(answer.get("status") or status),
            )
        return answer

    # -- quotes and shipments ------------------------------------------------------------------

    def quote(self, request: QuoteRequest) -> list[Quote]:
        sender, receiver = _ids(request.origin), _ids(request.destination)
        answer = self._api(
            "POST",
            "/v2/order/getPriceAll",
            payload={
                "SENDER_PROVINCE": sender[0],
                "SENDER_DISTRICT": sender[1],
                "RECEIVER_PROVINCE": receiver[0],
                "RECEIVER_DISTRICT": receiver[1],
                "PRODUCT_TYPE": "HH",  # goods (TH: documents)
                "PRODUCT_WEIGHT": request.parcel.weight_grams,
                "PRODUCT_PRICE": request.declared_value,
                "MONEY_COLLECTION": request.cod_amount,
                "TYPE": 1,  # domestic
            },
        )
        services = answer if isinstance(answer, list) else answer.get("data") or answer.get("RESULT") or []
        quotes = [
            Quote(
                carrier_id=self.id,
                service_id=str(service["MA_DV_CHINH"]),
                service_name=str(service.get("TEN_DICHVU") or service["MA_DV_CHINH"]),
                fee=whole_dong(service.get("GIA_CUOC")) or 0,
                lead_time_hours=lead_time_hours(service.get("THOI_GIAN")),
                raw=service,
            )
            for service in services
            if isinstance(service, dict) and service.get("MA_DV_CHINH") and whole_dong(service.get("GIA_CUOC"))
        ]
        if not quotes:
            raise AddressNotServed("Viettel Post offers no service for this route")
        return sorted(quotes, key=lambda q: q.fee)

    def _order_payload(self, request: ShipmentRequest) -> dict[str, Any]:
        sender, recipient = request.sender, request.recipient
        s_province, s_district, s_ward = _ids(sender.location)
        r_province, r_district, r_ward = _ids(recipient.location)
        parcel = request.parcel
        now = moment_from_epoch(self._clock()).astimezone(VIETNAM_TZ)
        return {
            "ORDER_NUMBER": request.client_order_code,
            "GROUPADDRESS_ID": self.group_address_id,
            "DELIVERY_DATE": now.strftime("%d/%m/%Y %H:%M:%S"),
            "SENDER_FULLNAME": sender.name,
            "SENDER_ADDRESS": sender.address_line,
            "SENDER_PHONE": domestic_phone(sender.phone),
            "SENDER_EMAIL": sender.email,
            "SENDER_WARD": s_ward,
            "SENDER_DISTRICT": s_district,
            "SENDER_PROVINCE": s_province,
            "RECEIVER_FULLNAME": recipient.name,
            "RECEIVER_ADDRESS": recipient.address_line,
            "RECEIVER_PHONE": domestic_phone(recipient.phone),
            "RECEIVER_EMAIL": recipient.email,
            "RECEIVER_WARD": r_ward,
            "RECEIVER_DISTRICT": r_district,
            "RECEIVER_PROVINCE": r_province,
            "PRODUCT_NAME": request.content or (request.items[0].name if request.items else request.client_order_code),
            "PRODUCT_DESCRIPTION": request.content,
            "PRODUCT_QUANTITY": sum(item.quantity for item in request.items) or 1,
            "PRODUCT_PRICE": request.declared_value,
            "PRODUCT_WEIGHT": parcel.weight_grams,
            "PRODUCT_LENGTH": parcel.length_cm,
            "PRODUCT_WIDTH": parcel.width_cm,
            "PRODUCT_HEIGHT": parcel.height_cm,
            "PRODUCT_TYPE": "HH",
            "ORDER_PAYMENT": COLLECT_GOODS_PRICE if request.cod_amount else NO_COLLECTION,
            "ORDER_SERVICE": request.service_id,
            "ORDER_SERVICE_ADD": "",
            "ORDER_NOTE": request.note,
            "MONEY_COLLECTION": request.cod_amount,
            "LIST_ITEM": [
                {
                    "PRODUCT_NAME": item.name,
                    "PRODUCT_PRICE": item.price,
                    "PRODUCT_WEIGHT": item.weight_grams,
                    "PRODUCT_QUANTITY": item.quantity,
                }
                for item in request.items
            ],
        }

    def create_shipment(self, request: ShipmentRequest) -> Shipment:
        try:
            answer = self._api("POST", "/v2/order/createOrder", payload=self._order_payload(request))
        except CarrierRejected as exc:
            if any(word in fold(exc.detail) for word in _EXISTS):
                raise ShipmentAlreadyExists(exc.detail, carrier_error=exc.carrier_error) from exc
            raise
        data = answer.get("data") or {}
        hours = whole_dong(data.get("KPI_HT"))
        expected = moment_from_epoch(self._clock() + hours * 3600).astimezone(VIETNAM_TZ).date() if hours else None
        return Shipment(
            carrier_id=self.id,
            carrier_code=str(data["ORDER_NUMBER"]),
            client_order_code=request.client_order_code,
            fee=whole_dong(data.get("MONEY_TOTAL")),
            expected_delivery=expected,
            raw=data,
        )

    def cancel_shipment(self, carrier_code: str) -> None:
        try:
            self._api(
                "POST",
                "/v2/order/UpdateOrder",
                payload={"TYPE": CANCEL, "ORDER_NUMBER": carrier_code, "NOTE": "Người bán hủy đơn"},
            )
        except CarrierRejected as exc:
            raise ShipmentNotCancellable(exc.detail, carrier_error=exc.carrier_error) from exc

    def label(self, carrier_code: str) -> Label:
        expiry_ms = int((self._clock() + 7 * 86400) * 1000)
        answer = self._api(
            "POST", "/v2/order/printing-code", payload={"EXPIRY_TIME": expiry_ms, "ORDER_ARRAY": [carrier_code]}
        )
        token = str(answer.get("message") or "")
        if not token:
            raise CarrierRejected(f"Viettel Post gave no print code for {carrier_code}")
        return Label(content_type="text/html", url=PRINT_URL.format(type=self.label_type, token=token))

    def tracking_url(self, carrier_code: str) -> str | None:
        return TRACKING_URL.format(code=carrier_code)

    # -- notifications -------------------------------------------------------------------------

    def parse_notification(self, request: HttpLikeRequest) -> CarrierEvent:
        body = decode_body(request)
        presented = body.get("TOKEN")
        if not request_carries_secret(
            request, self._webhook_secret, extra=[presented if isinstance(presented, str) else None]
        ):
            raise InvalidNotification("Viettel Post notification without our token")
        data = body.get("DATA")
        if not isinstance(data, dict):
            raise InvalidNotification("Viettel Post notification lacks DATA")
        code, date_text = str(data.get("ORDER_NUMBER") or ""), str(data.get("ORDER_STATUSDATE") or "")
        occurred = parse_local_time(date_text, TIME_FORMATS)
        try:
            status_code = int(str(data.get("ORDER_STATUS")))
        except ValueError:
            status_code = None
        if not code or occurred is None or status_code is None:
            raise InvalidNotification("Viettel Post notification lacks ORDER_NUMBER, ORDER_STATUS or ORDER_STATUSDATE")
        cod = whole_dong(data.get("MONEY_COLLECTION"))
        return CarrierEvent(
            carrier_id=self.id,
            carrier_code=code,
            kind=EventKind.STATUS,
            status=STATUSES.get(status_code),
            carrier_status=str(status_code),
            occurred_at=occurred,
            dedup_key=f"viettelpost:{code}:{status_code}:{date_text}",
            client_order_code=str(data.get("ORDER_REFERENCE") or "") or None,
            cod_amount=cod,
            cod_collected=status_code == DELIVERED and bool(cod),
            weight_grams=whole_dong(data.get("PRODUCT_WEIGHT")),
            fee=whole_dong(data.get("MONEY_TOTAL")),
            reason=str(data.get("NOTE") or data.get("STATUS_NAME") or ""),
            raw={key: value for key, value in body.items() if key != "TOKEN"},  # keep the secret out of storage
        )

    def reply(self, outcome: ReplyOutcome) -> NotificationReply:
        status = reply_status(outcome)
        return NotificationReply(
            status=status, body=encode_json({"status": status, "error": status != 200, "message": outcome.value})
        )

    def query_status(self, carrier_code: str) -> CarrierEvent:
        raise UnsupportedOperation("Viettel Post's public API has no status query")

    # -- statements and master data ------------------------------------------------------------

    def parse_statement(self, content: bytes, *, filename: str = "") -> CodStatement:
        return parse_statement(content, carrier_id=self.id, columns=STATEMENT_COLUMNS, filename=filename)

    def fetch_master_data(self, *, provinces: Sequence[str] = ()) -> MasterData:
        keys = province_filter(provinces)
        answer = self._api("GET", "/v2/categories/listProvinceById", query={"provinceId": -1})
        chosen = [
            CarrierUnit(UnitLevel.PROVINCE, str(p["PROVINCE_ID"]), str(p["PROVINCE_NAME"]))
            for p in _rows(answer)
            if p.get("PROVINCE_ID") is not None
        ]
        chosen = [unit for unit in chosen if wanted(unit, keys)]
        districts: list[CarrierUnit] = []
        wards: list[CarrierUnit] = []
        for province in chosen:
            for d in _rows(self._api("GET", "/v2/categories/listDistrict", query={"provinceId": province.id})):
                district = CarrierUnit(UnitLevel.DISTRICT, str(d["DISTRICT_ID"]), str(d["DISTRICT_NAME"]), province.id)
                districts.append(district)
                wards.extend(
                    CarrierUnit(UnitLevel.WARD, str(w["WARDS_ID"]), str(w["WARDS_NAME"]), district.id)
                    for w in _rows(self._api("GET", "/v2/categories/listWards", query={"districtId": district.id}))
                )
        return MasterData(carrier_id=self.id, provinces=tuple(chosen), districts=tuple(districts), wards=tuple(wards))


def _rows(answer: Any) -> list[dict[str, Any]]:
    rows = answer if isinstance(answer, list) else (answer or {}).get("data") or []
    return [row for row in rows if isinstance(row, dict)]


CARRIER = ViettelPostCarrier
