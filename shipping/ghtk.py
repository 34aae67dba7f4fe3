"""GHTK (Giao Hàng Tiết Kiệm): fee, create with `pick_money` for COD, status, cancel, PDF label,
status webhook.

Built from docs.giaohangtietkiem.vn / api.ghtk.vn (submit order, webhook, tracking status, error
handling) and third-party clients; never run against GHTK (see README "Carriers"). Every call sends
`Token` and `X-Client-Source`; answers are `{"success": bool, "message": …}`. Addresses go by NAME
(province, district, ward, street), so no location mapping is needed: the legacy names are sent when
known, the 2025 names otherwise.

The webhook is a form POST to the callback URL we register, which carries our secret as
`?hash=…`: it is not signed, so events say `needs_confirmation` and `query_status` gives the truth.
Status 5 is "delivered, not yet reconciled", 6 "reconciled" (the COD money was settled); the
shipper's own reports (123, 45, 49, 127, 128, 410) only arrive by webhook."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from shipping.base import (
    CarrierEvent,
    CodStatement,
    EventKind,
    HttpLikeRequest,
    Label,
    Location,
    MasterData,
    NotificationReply,
    Party,
    Quote,
    QuoteRequest,
    ReplyOutcome,
    Shipment,
    ShipmentRequest,
    ShipmentStatus,
)
from shipping.common import (
    decode_body,
    domestic_phone,
    int_setting,
    kg_to_grams,
    moment_from_epoch,
    parse_iso_time,
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
    ShipmentNotCancellable,
    ShipmentNotFound,
    UnsupportedOperation,
)
from shipping.statements import StatementColumns, parse_statement
from shipping.transport import DEFAULT_TIMEOUT, ApiClient, Transport, UrllibTransport, encode_json

STAGING_URL = "https://services-staging.ghtklab.com"
PRODUCTION_URL = "https://services.giaohangtietkiem.vn"
TRACKING_URL = "https://i.ghtk.vn/{code}"
TRANSPORT_NAMES = {"road": "GHTK đường bộ", "fly": "GHTK đường bay"}

STATUSES: Mapping[int, ShipmentStatus] = {
    -1: ShipmentStatus.CANCELLED,
    1: ShipmentStatus.CREATED,  # not yet received
    2: ShipmentStatus.CREATED,  # received
    12: ShipmentStatus.CREATED,  # a shipper is on the way to pick up
    8: ShipmentStatus.CREATED,  # pick-up postponed
    7: ShipmentStatus.CREATED,  # could not pick up (GHTK tries again or cancels)
    127: ShipmentStatus.CREATED,  # shipper reports: could not pick up
    128: ShipmentStatus.CREATED,  # shipper reports: pick-up delayed
    123: ShipmentStatus.PICKED,  # shipper reports: picked up
    3: ShipmentStatus.PICKED,  # picked up / in the warehouse
    4: ShipmentStatus.DELIVERING,
    10: ShipmentStatus.DELIVERING,  # delivery delayed
    410: ShipmentStatus.DELIVERING,  # shipper reports: delivery delayed
    45: ShipmentStatus.DELIVERED,  # shipper reports: delivered (5 confirms it)
    5: ShipmentStatus.DELIVERED,  # delivered, not yet reconciled
    6: ShipmentStatus.DELIVERED,  # reconciled
    9: ShipmentStatus.DELIVERY_FAILED,
    49: ShipmentStatus.DELIVERY_FAILED,  # shipper reports: could not deliver
    20: ShipmentStatus.RETURNING,
    21: ShipmentStatus.RETURNED,
    11: ShipmentStatus.RETURNED,  # return reconciled
    13: ShipmentStatus.EXCEPTION,  # compensated (lost or damaged)
}
COD_COLLECTED = frozenset({5, 6})
COD_REMITTED = 6
CANCELLABLE = frozenset({1, 2, 12})  # GHTK refuses to cancel once picked up

# Column names of GHTK's reconciliation export (khachhang.giaohangtietkiem.vn); unconfirmed.
STATEMENT_COLUMNS = StatementColumns(
    carrier_code=("Mã đơn hàng", "Mã vận đơn", "Mã đơn GHTK", "Label", "label_id"),
    client_order_code=("Mã đơn KH", "Mã đơn khách hàng", "Mã đơn của shop", "partner_id"),
    cod_amount=("Tiền thu hộ", "Thu hộ", "Tiền CoD", "COD", "pick_money"),
    fee=("Phí ship", "Tổng phí", "Phí vận chuyển", "Phí dịch vụ"),
    remitted_amount=("Thực nhận", "Tiền đối soát", "Tiền chuyển khoản"),
    remitted_on=("Ngày đối soát", "Thời gian đối soát"),
    remittance_reference=("Mã phiên đối soát", "Phiên đối soát", "Mã đối soát"),
)
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _day(text: object) -> date | None:
    """GHTK's estimates read "Chiều 2024-11-27" (afternoon of the day): the date part."""
    match = _DAY.search(str(text or ""))
    return date(int(match[1]), int(match[2]), int(match[3])) if match else None


def _address(party: Party, prefix: str = "") -> dict[str, str]:
    place: Location = party.location
    return {
        f"{prefix}address": party.street,
        f"{prefix}province": place.carrier_province_name,
        f"{prefix}district": place.district_name,
        f"{prefix}ward": place.ward_name,
    }


class GHTKCarrier:
    id: str = "ghtk"
    name: str = "Giao Hàng Tiết Kiệm"
    supports_cod: bool = True
    supports_status_query: bool = True
    uses_location_ids: bool = False
    max_cod_amount: int | None = None

    def __init__(
        self,
        *,
        token: str,
        client_source: str,
        webhook_secret: str,
        base_url: str = STAGING_URL,
        transport: Transport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        transports: Sequence[str] = ("road",),
        pick_option: str = "cod",
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not token or not client_source or not webhook_secret:
            raise ValueError("GHTK needs a token, a client source (partner code) and a webhook secret")
        unknown = set(transports) - set(TRANSPORT_NAMES)
        if unknown or not transports:
            raise ValueError(f"GHTK transports are road and/or fly, not {sorted(unknown)}")
        self._webhook_secret = webhook_secret
        self.base_url = base_url.rstrip("/")
        self.transports = tuple(transports)
        self.pick_option = pick_option  # "cod": a shipper picks up; "post": the seller drops off
        self._clock = clock
        self._client = ApiClient(
            base_url=self.base_url,
            transport=transport or UrllibTransport(),
            timeout=timeout,
            headers={"Token": token, "X-Client-Source": client_source},
        )

    def __repr__(self) -> str:
        return f"GHTKCarrier(base_url={self.base_url!r})"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str], *, transport: Transport | None = None, debug: bool = False
    ) -> GHTKCarrier | None:
        names = ("GHTK_TOKEN", "GHTK_CLIENT_SOURCE", "GHTK_WEBHOOK_SECRET")
        token, source, secret = (setting(environ, name) for name in names)
        if not token or not source or not secret:
            return None
        transports = [t.strip() for t in (setting(environ, "GHTK_TRANSPORTS") or "road").split(",") if t.strip()]
        return cls(
            token=token,
            client_source=source,
            webhook_secret=secret,
            base_url=setting(environ, "GHTK_BASE_URL") or STAGING_URL,
            transport=transport,
            timeout=int_setting(environ, "SHIPPING_TIMEOUT_SECONDS", int(DEFAULT_TIMEOUT)),
            transports=transports,
            pick_option=setting(environ, "GHTK_PICK_OPTION") or "cod",
        )

    def _api(self, method: str, path: str, *, query: Mapping[str, object] | None = None, payload: Any = None) -> Any:
        status, answer = self._client.call(method, path, query=query, payload=payload)
        if status == 401:
            raise CarrierAuthFailed(f"GHTK {path}: HTTP 401")
        answer = answer if isinstance(answer, dict) else {}
        if status >= 400 or not answer.get("success"):
            raise CarrierRejected(
                f"GHTK {path}: HTTP {status} {answer.get('message', '')}".strip(),
                carrier_error=str(answer.get("error_code") or (answer.get("error") or {}).get("code") or status),
            )
        return answer

    # -- quotes and shipments ------------------------------------------------------------------

    def quote(self, request: QuoteRequest) -> list[Quote]:
        origin, destination = request.origin, request.destination
        quotes: list[Quote] = []
        for transport in self.transports:
            query = {
                "pick_province": origin.carrier_province_name,
                "pick_district": origin.district_name,
                "pick_ward": origin.ward_name,
                "province": destination.carrier_province_name,
                "district": destination.district_name,
                "ward": destination.ward_name,
                "weight": request.parcel.weight_grams,
                "value": request.declared_value,
                "transport": transport,
                "deliver_option": "none",
            }
            try:
                fee = self._api("GET", "/services/shipment/fee", query=query).get("fee") or {}
            except CarrierRejected:
                continue
            if fee.get("delivery") is False:  # GHTK does not deliver there
                continue
            amount = whole_dong(fee.get("fee"))
            if amount is not None:
                quotes.append(Quote(self.id, transport, TRANSPORT_NAMES[transport], amount, raw=fee))
        if not quotes:
            raise AddressNotServed("GHTK does not deliver this route")
        return sorted(quotes, key=lambda q: q.fee)

    def _order_payload(self, request: ShipmentRequest) -> dict[str, Any]:
        kilos = round(request.parcel.weight_grams / 1000, 3)
        products = [
            {
                "name": item.name,
                "quantity": item.quantity,
                "price": item.price,
                "weight": round((item.weight_grams or request.parcel.weight_grams) / 1000, 3),
            }
            for item in request.items
        ] or [{"name": request.content or request.client_order_code, "quantity": 1, "weight": kilos}]
        sender, recipient = request.sender, request.recipient
        return {
            "products": products,
            "order": {
                "id": request.client_order_code,
                "pick_name": sender.name,
                "pick_tel": domestic_phone(sender.phone),
                **_address(sender, "pick_"),
                "name": recipient.name,
                "tel": domestic_phone(recipient.phone),
                **_address(recipient),
                "hamlet": "Khác",  # GHTK's "other" when the address names no hamlet
                "pick_money": request.cod_amount,
                "is_freeship": "1",  # the buyer pays only pick_money; GHTK nets the fee from the COD
                "value": request.declared_value,
                "transport": request.service_id if request.service_id in TRANSPORT_NAMES else self.transports[0],
                "pick_option": self.pick_option,
                "total_weight": kilos,
                "note": request.note[:120],
            },
        }

    def _find(self, client_order_code: str) -> Shipment | None:
        try:
            order = self._api("GET", f"/services/shipment/v2/partner_id:{client_order_code}").get("order") or {}
        except CarrierRejected:  # "không tìm thấy đơn hàng"
            return None
        if not order.get("label_id"):
            return None
        return Shipment(
            carrier_id=self.id,
            carrier_code=str(order["label_id"]),
            client_order_code=client_order_code,
            status=_status(order.get("status")),
            fee=whole_dong(order.get("ship_money")),
            expected_delivery=_day(order.get("deliver_date")),
            existing=True,
            raw=order,
        )

    def create_shipment(self, request: ShipmentRequest) -> Shipment:
        """Looks `partner_id:<client order code>` up first, and again if GHTK refuses the create (its
        order ids are unique per shop), so a retry never makes a second shipment."""
        existing = self._find(request.client_order_code)
        if existing is not None:
            return existing
        try:
            answer = self._api(
                "POST", "/services/shipment/order", query={"ver": "1.5"}, payload=self._order_payload(request)
            )
        except CarrierRejected:
            existing = self._find(request.client_order_code)
            if existing is not None:
                return existing
            raise
        order = answer.get("order") or {}
        return Shipment(
            carrier_id=self.id,
            carrier_code=str(order["label"]),
            client_order_code=request.client_order_code,
            status=_status(order.get("status_id")),
            fee=whole_dong(order.get("fee")),
            expected_delivery=_day(order.get("estimated_deliver_time")),
            raw=order,
        )

    def cancel_shipment(self, carrier_code: str) -> None:
        try:
            self._api("POST", f"/services/shipment/cancel/{carrier_code}")
        except CarrierRejected as exc:
            raise ShipmentNotCancellable(exc.detail, carrier_error=exc.carrier_error) from exc

    def label(self, carrier_code: str) -> Label:
        response = self._client.send(
            "GET", f"/services/label/{carrier_code}", query={"original": "portrait", "paper_size": "A6"}
        )
        if response.status == 401:
            raise CarrierAuthFailed("GHTK label: HTTP 401")
        if response.status == 200 and response.body.startswith(b"%PDF"):
            return Label(content_type="application/pdf", data=response.body)
        if response.status == 404:
            raise ShipmentNotFound(f"GHTK has no label {carrier_code}")
        raise CarrierRejected(f"GHTK label {carrier_code}: HTTP {response.status}, not a PDF")

    def tracking_url(self, carrier_code: str) -> str | None:
        return TRACKING_URL.format(code=carrier_code)

    # -- notifications and status --------------------------------------------------------------

    def _event(self, fields: Mapping[str, Any], status_id: int, occurred_text: str, *, webhook: bool) -> CarrierEvent:
        label = str(fields.get("label_id") or fields.get("label") or "")
        occurred = parse_iso_time(occurred_text) or parse_local_time(occurred_text, ("%Y-%m-%d %H:%M:%S",))
        if not label or occurred is None:
            raise InvalidNotification("GHTK status lacks label_id or a readable time")
        cod = whole_dong(fields.get("pick_money"))
        source = "webhook" if webhook else "query"
        return CarrierEvent(
            carrier_id=self.id,
            carrier_code=label,
            kind=EventKind.STATUS,
            status=STATUSES.get(status_id),
            carrier_status=str(status_id),
            occurred_at=occurred,
            dedup_key=f"ghtk:{label}:{status_id}:{occurred_text}"
            if webhook
            else f"ghtk:{label}:{source}:{occurred_text}",
            needs_confirmation=webhook,
            client_order_code=str(fields.get("partner_id") or "") or None,
            cod_amount=cod,
            cod_collected=status_id in COD_COLLECTED and bool(cod),
            cod_remitted_at=occurred if status_id == COD_REMITTED else None,
            # The webhook gives kilograms, the status query grams.
            weight_grams=kg_to_grams(fields.get("weight")) if webhook else whole_dong(fields.get("weight")),
            fee=whole_dong(fields.get("fee") if webhook else fields.get("ship_money")),
            reason=str(fields.get("reason") or ""),
            raw=dict(fields),
        )

    def parse_notification(self, request: HttpLikeRequest) -> CarrierEvent:
        if not request_carries_secret(request, self._webhook_secret):
            raise InvalidNotification("GHTK webhook without our hash")
        fields = decode_body(request)
        status_id = _int(fields.get("status_id"))
        if status_id is None:
            raise InvalidNotification("GHTK webhook lacks status_id")
        return self._event(fields, status_id, str(fields.get("action_time") or ""), webhook=True)

    def reply(self, outcome: ReplyOutcome) -> NotificationReply:
        status = reply_status(outcome)
        return NotificationReply(status=status, body=encode_json({"success": status == 200}))

    def query_status(self, carrier_code: str) -> CarrierEvent:
        try:
            order = self._api("GET", f"/services/shipment/v2/{carrier_code}").get("order") or {}
        except CarrierRejected as exc:
            raise ShipmentNotFound(exc.detail, carrier_error=exc.carrier_error) from exc
        status_id = _int(order.get("status"))
        if status_id is None:
            raise ShipmentNotFound(f"GHTK gave no status for {carrier_code}")
        modified = str(order.get("modified") or "") or moment_from_epoch(self._clock()).isoformat()
        return self._event(order, status_id, modified, webhook=False)

    # -- statements and master data ------------------------------------------------------------

    def parse_statement(self, content: bytes, *, filename: str = "") -> CodStatement:
        return parse_statement(content, carrier_id=self.id, columns=STATEMENT_COLUMNS, filename=filename)

    def fetch_master_data(self, *, provinces: Sequence[str] = ()) -> MasterData:
        raise UnsupportedOperation("GHTK takes addresses by name: there is no id mapping to fetch")


def _status(value: object) -> ShipmentStatus:
    code = _int(value)
    return STATUSES.get(code, ShipmentStatus.CREATED) if code is not None else ShipmentStatus.CREATED


def _int(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


CARRIER = GHTKCarrier
