"""GHN (Giao Hàng Nhanh), Shiip public API v2: fee and lead time, create / detail / cancel, label
print tokens, status webhooks, master data (provinces, districts, wards).

Built from api.ghn.vn/home/docs (create id=123, webhook id=47) and third-party clients; never run
against GHN (see README "Carriers"). Every call sends the `Token` and `ShopId` headers; answers are
`{"code": 200, "message": …, "data": …}`. Addresses are keyed on the pre-2025 `district_id` (int) +
`ward_code` (text), so quotes and shipments need `Location.carrier_place` from the GHN mapping.

Webhooks (Create, Switch_status, Update_weight, Update_cod, Update_fee) are NOT signed: they are
accepted only with our secret in the URL (`?secret=`) or a header, and every event says
`needs_confirmation` so the backend acts on `query_status` instead of the webhook's own claims.
GHN retries a non-200 answer 10 times, 5 s apart, and does not keep order: de-duplicate on
(OrderCode, Type, Time)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date
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
    decode_body,
    domestic_phone,
    int_setting,
    moment_from_epoch,
    parse_iso_time,
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
    ShipmentNotCancellable,
    ShipmentNotFound,
)
from shipping.locations import province_filter, wanted
from shipping.statements import StatementColumns, parse_statement
from shipping.transport import DEFAULT_TIMEOUT, ApiClient, Transport, UrllibTransport, encode_json

STAGING_URL = "https://dev-online-gateway.ghn.vn"
PRODUCTION_URL = "https://online-gateway.ghn.vn"
API = "/shiip/public-api"
TRACKING_URLS = {PRODUCTION_URL: "https://donhang.ghn.vn/?order_code={code}"}
STAGING_TRACKING_URL = "https://tracking.ghn.dev/?order_code={code}"
MAX_COD_AMOUNT = 10_000_000  # reported cap; another source says 50 M (unconfirmed)
# Let the buyer look at the goods but not try them: the usual choice for farm produce.
DEFAULT_REQUIRED_NOTE = "CHOXEMHANGKHONGTHU"
SHOP_PAYS_FEE = 1  # payment_type_id: the shop pays, GHN nets the fee from the COD it remits

STATUSES: Mapping[str, ShipmentStatus] = {
    "ready_to_pick": ShipmentStatus.CREATED,
    "picking": ShipmentStatus.CREATED,
    "money_collect_picking": ShipmentStatus.CREATED,
    "picked": ShipmentStatus.PICKED,
    "storing": ShipmentStatus.IN_TRANSIT,
    "transporting": ShipmentStatus.IN_TRANSIT,
    "sorting": ShipmentStatus.IN_TRANSIT,
    "delivering": ShipmentStatus.DELIVERING,
    "money_collect_delivering": ShipmentStatus.DELIVERING,
    "delivered": ShipmentStatus.DELIVERED,
    "delivery_fail": ShipmentStatus.DELIVERY_FAILED,
    "waiting_to_return": ShipmentStatus.DELIVERY_FAILED,  # GHN waits (24 h by default) for "deliver again"
    "return": ShipmentStatus.RETURNING,
    "return_transporting": ShipmentStatus.RETURNING,
    "return_sorting": ShipmentStatus.RETURNING,
    "returning": ShipmentStatus.RETURNING,
    "return_fail": ShipmentStatus.RETURNING,
    "returned": ShipmentStatus.RETURNED,
    "cancel": ShipmentStatus.CANCELLED,
    "exception": ShipmentStatus.EXCEPTION,
    "lost": ShipmentStatus.EXCEPTION,
    "damage": ShipmentStatus.EXCEPTION,
}
WEBHOOK_KINDS: Mapping[str, EventKind] = {
    "create": EventKind.STATUS,
    "switch_status": EventKind.STATUS,
    "update_weight": EventKind.WEIGHT_UPDATED,
    "update_cod": EventKind.COD_UPDATED,
    "update_fee": EventKind.FEE_UPDATED,
}
# Column names of GHN's COD statement export (khachhang.ghn.vn → COD và đối soát); unconfirmed.
STATEMENT_COLUMNS = StatementColumns(
    carrier_code=("Mã đơn GHN", "Mã đơn hàng", "Mã vận đơn", "OrderCode"),
    client_order_code=("Mã đơn khách hàng", "Mã đơn shop", "Mã đơn riêng", "ClientOrderCode"),
    cod_amount=("Tiền thu hộ", "Tiền thu hộ (COD)", "Thu hộ", "COD", "CODAmount"),
    fee=("Tổng phí", "Phí dịch vụ", "Tổng phí dịch vụ", "Phí vận chuyển"),
    remitted_amount=("Thực nhận", "Tiền chuyển khoản", "Số tiền chuyển"),
    remitted_on=("Ngày đối soát", "Ngày chuyển COD", "Ngày chuyển tiền", "CODTransferDate"),
    remittance_reference=("Mã phiên", "Mã phiên đối soát", "Mã đối soát"),
)


class GHNCarrier:
    id: str = "ghn"
    name: str = "Giao Hàng Nhanh"
    supports_cod: bool = True
    supports_status_query: bool = True
    uses_location_ids: bool = True
    max_cod_amount: int | None = MAX_COD_AMOUNT

    def __init__(
        self,
        *,
        token: str,
        shop_id: str,
        webhook_secret: str,
        base_url: str = STAGING_URL,
        transport: Transport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        required_note: str = DEFAULT_REQUIRED_NOTE,
        label_size: str = "A5",
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not token or not shop_id.isdigit() or not webhook_secret:
            raise ValueError("GHN needs a token, a numeric shop id and a webhook secret")
        self.shop_id = int(shop_id)
        self._webhook_secret = webhook_secret
        self.base_url = base_url.rstrip("/")
        self.required_note = required_note
        self.label_size = label_size
        self._clock = clock
        self._client = ApiClient(
            base_url=self.base_url,
            transport=transport or UrllibTransport(),
            timeout=timeout,
            headers={"Token": token, "ShopId": shop_id},
        )

    def __repr__(self) -> str:  # never show the token or the secret
        return f"GHNCarrier(shop_id={self.shop_id}, base_url={self.base_url!r})"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str], *, transport: Transport | None = None, debug: bool = False
    ) -> GHNCarrier | None:
        token, shop_id, secret = (setting(environ, name) for name in ("GHN_TOKEN", "GHN_SHOP_ID", "GHN_WEBHOOK_SECRET"))
        if not token or not shop_id or not secret:
            return None
        return cls(
            token=token,
            shop_id=shop_id,
            webhook_secret=secret,
            base_url=setting(environ, "GHN_BASE_URL") or STAGING_URL,
            transport=transport,
            timeout=int_setting(environ, "SHIPPING_TIMEOUT_SECONDS", int(DEFAULT_TIMEOUT)),
            required_note=setting(environ, "GHN_REQUIRED_NOTE") or DEFAULT_REQUIRED_NOTE,
        )

    # -- the API -----------------------------------------------------------------------------

    def _api(self, path: str, payload: Any = None, *, query: Mapping[str, object] | None = None) -> Any:
        method = "GET" if payload is None else "POST"
        status, answer = self._client.call(method, API + path, payload=payload, query=query)
        if status in (401, 403):
            raise CarrierAuthFailed(f"GHN {path}: HTTP {status}")
        answer = answer if isinstance(answer, dict) else {}
        if status != 200 or answer.get("code", 200) != 200:
            raise CarrierRejected(
                f"GHN {path}: HTTP {status} {answer.get('message', '')}".strip(),
                carrier_error=str(answer.get("code_message") or answer.get("code") or status),
            )
        return answer.get("data")

    @staticmethod
    def _ids(location: Location) -> tuple[int, str]:
        place = location.carrier_place or CarrierPlace()
        if not place.district_id.isdigit() or not place.ward_id:
            raise AddressNotServed(f"no GHN district/ward mapped for commune {location.commune_code}")
        return int(place.district_id), place.ward_id

    # -- quotes --------------------------------------------------------------------------------

    def quote(self, request: QuoteRequest) -> list[Quote]:
        from_district, from_ward = self._ids(request.origin)
        to_district, to_ward = self._ids(request.destination)
        services = self._api(
            "/v2/shipping-order/available-services",
            {"shop_id": self.shop_id, "from_district": from_district, "to_district": to_district},
        )
        route = {
            "from_district_id": from_district,
            "from_ward_code": from_ward,
            "to_district_id": to_district,
            "to_ward_code": to_ward,
        }
        quotes: list[Quote] = []
        for service in services or []:
            service_id, type_id = int(service["service_id"]), int(service.get("service_type_id") or 0)
            parcel = request.parcel
            try:
                fee = self._api(
                    "/v2/shipping-order/fee",
                    {
                        "service_id": service_id,
                        "service_type_id": type_id,
                        **route,
                        "weight": parcel.weight_grams,
                        "length": parcel.length_cm,
                        "width": parcel.width_cm,
                        "height": parcel.height_cm,
                        "insurance_value": request.declared_value,
                        "cod_value": request.cod_amount,
                    },
                )
            except CarrierRejected:  # a service listed for the districts may still refuse this parcel
                continue
            quotes.append(self._quote(service, type_id, service_id, fee, route))
        if not quotes:
            raise AddressNotServed("GHN offers no service for this route and parcel")
        return sorted(quotes, key=lambda q: q.fee)

    def _quote(self, service: Mapping[str, Any], type_id: int, service_id: int, fee: Any, route: dict) -> Quote:
        try:
            lead = self._api("/v2/shipping-order/leadtime", {**route, "service_id": service_id}) or {}
        except CarrierRejected:
            lead = {}
        leadtime = whole_dong(lead.get("leadtime"))
        hours = math.ceil((leadtime - self._clock()) / 3600) if leadtime else None
        return Quote(
            carrier_id=self.id,
            service_id=f"{type_id}:{service_id}",
            service_name=str(service.get("short_name") or service_id),
            fee=whole_dong((fee or {}).get("total")) or 0,
            lead_time_hours=hours if hours and hours > 0 else None,
            expected_delivery=_day(leadtime),
            raw={"service": dict(service), "fee": fee, "leadtime": lead},
        )

    # -- shipments -----------------------------------------------------------------------------

    def _shipment_payload(self, request: ShipmentRequest) -> dict[str, Any]:
        type_id, _, service_id = request.service_id.partition(":")
        sender, recipient = request.sender, request.recipient
        to_district, to_ward = self._ids(recipient.location)
        from_place = sender.location.carrier_place or CarrierPlace()
        payload: dict[str, Any] = {
            "payment_type_id": SHOP_PAYS_FEE,
            "required_note": self.required_note,
            "client_order_code": request.client_order_code,
            "from_name": sender.name,
            "from_phone": domestic_phone(sender.phone),
            "from_address": sender.address_line,
            "from_ward_name": sender.location.ward_name,
            "from_district_name": sender.location.district_name,
            "from_province_name": sender.location.carrier_province_name,
            "to_name": recipient.name,
            "to_phone": domestic_phone(recipient.phone),
            "to_address": recipient.address_line,
            "to_ward_code": to_ward,
            "to_district_id": to_district,
            "to_ward_name": recipient.location.ward_name,
            "to_district_name": recipient.location.district_name,
            "to_province_name": recipient.location.carrier_province_name,
            "cod_amount": request.cod_amount,
            "content": request.content[:2000],
            "weight": request.parcel.weight_grams,
            "length": request.parcel.length_cm,
            "width": request.parcel.width_cm,
            "height": request.parcel.height_cm,
            "insurance_value": request.declared_value,
            "service_id": int(service_id or 0),
            "service_type_id": int(type_id or 2),
            "note": request.note,
            "items": [
                {"name": item.name, "quantity": item.quantity, "price": item.price, "weight": item.weight_grams}
                for item in request.items
            ],
        }
        if from_place.district_id.isdigit() and from_place.ward_id:
            payload["from_district_id"] = int(from_place.district_id)
            payload["from_ward_code"] = from_place.ward_id
        return payload

    def _find(self, client_order_code: str) -> Shipment | None:
        try:
            data = self._api("/v2/shipping-order/detail-by-client-code", {"client_order_code": client_order_code})
        except CarrierRejected:  # GHN answers 400 when it has no such order
            return None
        if not isinstance(data, dict) or not data.get("order_code"):
            return None
        return Shipment(
            carrier_id=self.id,
            carrier_code=str(data["order_code"]),
            client_order_code=client_order_code,
            status=STATUSES.get(str(data.get("status")), ShipmentStatus.CREATED),
            expected_delivery=_day(data.get("leadtime")),
            existing=True,
            raw=data,
        )

    def create_shipment(self, request: ShipmentRequest) -> Shipment:
        """Looks the client order code up first, so a retried create never makes a second shipment;
        a create refused after a first attempt that did go through is answered by a second look-up."""
        existing = self._find(request.client_order_code)
        if existing is not None:
            return existing
        try:
            data = self._api("/v2/shipping-order/create", self._shipment_payload(request))
        except CarrierRejected:
            existing = self._find(request.client_order_code)
            if existing is not None:
                return existing
            raise
        return Shipment(
            carrier_id=self.id,
            carrier_code=str(data["order_code"]),
            client_order_code=request.client_order_code,
            fee=whole_dong(data.get("total_fee")),
            expected_delivery=_day(data.get("expected_delivery_time")),
            raw=data,
        )

    def cancel_shipment(self, carrier_code: str) -> None:
        try:
            results = self._api("/v2/switch-status/cancel", {"order_codes": [carrier_code]}) or []
        except CarrierRejected as exc:
            raise ShipmentNotCancellable(exc.detail, carrier_error=exc.carrier_error) from exc
        result = next((r for r in results if str(r.get("order_code")) == carrier_code), None)
        if not result or not result.get("result"):
            raise ShipmentNotCancellable(f"GHN refused to cancel {carrier_code}: {(result or {}).get('message', '')}")

    def label(self, carrier_code: str) -> Label:
        data = self._api("/v2/a5/gen-token", {"order_codes": [carrier_code]}) or {}
        token = data.get("token")
        if not token:
            raise CarrierRejected(f"GHN gave no print token for {carrier_code}")
        return Label(
            content_type="text/html", url=f"{self.base_url}/a5/public-api/print{self.label_size}?token={token}"
        )

    def tracking_url(self, carrier_code: str) -> str | None:
        return TRACKING_URLS.get(self.base_url, STAGING_TRACKING_URL).format(code=carrier_code)

    # -- notifications -------------------------------------------------------------------------

    def parse_notification(self, request: HttpLikeRequest) -> CarrierEvent:
        if not request_carries_secret(request, self._webhook_secret):
            raise InvalidNotification("GHN webhook without our secret")
        body = decode_body(request)
        code, type_name, time_text = (str(body.get(name) or "") for name in ("OrderCode", "Type", "Time"))
        occurred = parse_iso_time(time_text)
        if not code or not type_name or occurred is None:
            raise InvalidNotification("GHN webhook lacks OrderCode, Type or Time")
        kind = WEBHOOK_KINDS.get(type_name.lower(), EventKind.STATUS)
        carrier_status = str(body.get("Status") or "")
        status = STATUSES.get(carrier_status) if kind is EventKind.STATUS else None
        cod_amount = whole_dong(body.get("CODAmount"))
        return CarrierEvent(
            carrier_id=self.id,
            carrier_code=code,
            kind=kind,
            status=status,
            carrier_status=carrier_status,
            occurred_at=occurred,
            dedup_key=f"ghn:{code}:{type_name.lower()}:{time_text}",
            needs_confirmation=True,
            client_order_code=str(body.get("ClientOrderCode") or "") or None,
            cod_amount=cod_amount,
            cod_collected=status is ShipmentStatus.DELIVERED and bool(cod_amount),
            cod_remitted_at=parse_iso_time(body.get("CODTransferDate")),
            weight_grams=whole_dong(body.get("Weight")),
            fee=whole_dong(body.get("TotalFee")),
            reason=str(body.get("Reason") or ""),
            raw=body,
        )

    def reply(self, outcome: ReplyOutcome) -> NotificationReply:
        status = reply_status(outcome)
        return NotificationReply(status=status, body=encode_json({"success": status == 200, "outcome": outcome.value}))

    def query_status(self, carrier_code: str) -> CarrierEvent:
        try:
            data = self._api("/v2/shipping-order/detail", {"order_code": carrier_code})
        except CarrierRejected as exc:
            raise ShipmentNotFound(exc.detail, carrier_error=exc.carrier_error) from exc
        if not isinstance(data, dict):
            raise ShipmentNotFound(f"GHN has no order {carrier_code}")
        carrier_status = str(data.get("status") or "")
        updated_text = str(data.get("updated_date") or "")
        transferred = bool(data.get("is_cod_transferred"))
        return CarrierEvent(
            carrier_id=self.id,
            carrier_code=carrier_code,
            kind=EventKind.STATUS,
            status=STATUSES.get(carrier_status),
            carrier_status=carrier_status,
            occurred_at=parse_iso_time(updated_text)
            or parse_iso_time(data.get("order_date"))
            or moment_from_epoch(self._clock()),
            dedup_key=f"ghn:{carrier_code}:detail:{updated_text}",
            client_order_code=str(data.get("client_order_code") or "") or None,
            cod_amount=whole_dong(data.get("cod_amount")),
            cod_collected=bool(data.get("is_cod_collected")),
            cod_remitted_at=parse_iso_time(data.get("cod_transfer_date")) if transferred else None,
            weight_grams=whole_dong(data.get("weight")),
            raw=data,
        )

    # -- statements and master data ------------------------------------------------------------

    def parse_statement(self, content: bytes, *, filename: str = "") -> CodStatement:
        return parse_statement(content, carrier_id=self.id, columns=STATEMENT_COLUMNS, filename=filename)

    def fetch_master_data(self, *, provinces: Sequence[str] = ()) -> MasterData:
        keys = province_filter(provinces)
        chosen = [
            CarrierUnit(UnitLevel.PROVINCE, str(p["ProvinceID"]), p["ProvinceName"], "", _aliases(p))
            for p in self._api("/master-data/province") or []
            if p.get("IsEnable", 1)
        ]
        chosen = [unit for unit in chosen if wanted(unit, keys)]
        districts: list[CarrierUnit] = []
        wards: list[CarrierUnit] = []
        for province in chosen:
            for d in self._api("/master-data/district", query={"province_id": province.id}) or []:
                if not d.get("IsEnable", 1):
                    continue
                district = CarrierUnit(
                    UnitLevel.DISTRICT, str(d["DistrictID"]), d["DistrictName"], province.id, _aliases(d)
                )
                districts.append(district)
                wards.extend(
                    CarrierUnit(UnitLevel.WARD, str(w["WardCode"]), w["WardName"], district.id, _aliases(w))
                    for w in self._api("/master-data/ward", query={"district_id": district.id}) or []
                    if w.get("IsEnable", 1)
                )
        return MasterData(carrier_id=self.id, provinces=tuple(chosen), districts=tuple(districts), wards=tuple(wards))


def _day(value: object) -> date | None:
    """GHN writes a day as its last second in UTC ("2024-10-18T23:59:59Z", or that epoch): the UTC date
    is the day meant (in Vietnam time it would already be the next morning)."""
    moment = moment_from_epoch(value) if isinstance(value, int) and value > 0 else parse_iso_time(value)
    return moment.astimezone(UTC).date() if moment else None


def _aliases(unit: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(name) for name in unit.get("NameExtension") or () if name)


CARRIER = GHNCarrier
