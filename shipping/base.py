"""The carrier interface and the plain values that cross it.

The backend hands adapters plain values (never models) and stores what they return. Money is whole
đồng, weights grams, sizes centimetres, times aware datetimes. Errors are `shipping.errors`.

Integration in one paragraph: checkout builds a `QuoteRequest` (origin and destination `Location`s
with the carrier's ids from the stored per-carrier mapping, see `shipping.locations`) and caches the
`Quote`s; seller confirmation calls `create_shipment` with our client order code (safe to retry: an
adapter finds the existing shipment instead of making a second one); the notification endpoint
stores the raw request, then calls `parse_notification` (raises `InvalidNotification` before reading
anything when the secret or signature is wrong), de-duplicates on `CarrierEvent.dedup_key`, and when
`needs_confirmation` is set acts only on `query_status`'s answer; `reply` gives the HTTP answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol


class DistanceBand(StrEnum):
    """How far a parcel travels, computed by the caller from the two provinces."""

    SAME_PROVINCE = "SAME_PROVINCE"
    NEIGHBOURING = "NEIGHBOURING"
    FAR = "FAR"


class ShipmentStatus(StrEnum):
    CREATED = "CREATED"  # accepted by the carrier, waiting for (or during) pick-up
    PICKED = "PICKED"
    IN_TRANSIT = "IN_TRANSIT"
    DELIVERING = "DELIVERING"
    DELIVERED = "DELIVERED"
    DELIVERY_FAILED = "DELIVERY_FAILED"  # the seller decides: re-attempt or return
    RETURNING = "RETURNING"
    RETURNED = "RETURNED"
    CANCELLED = "CANCELLED"
    EXCEPTION = "EXCEPTION"  # lost, damaged, compensated: a person looks at it


# Progress order, to ignore a late "in transit" after "delivered" when events arrive out of order.
STATUS_RANK: Mapping[ShipmentStatus, int] = {
    ShipmentStatus.CREATED: 0,
    ShipmentStatus.PICKED: 1,
    ShipmentStatus.IN_TRANSIT: 2,
    ShipmentStatus.DELIVERING: 3,
    ShipmentStatus.DELIVERY_FAILED: 4,
    ShipmentStatus.RETURNING: 5,
    ShipmentStatus.DELIVERED: 6,
    ShipmentStatus.RETURNED: 6,
    ShipmentStatus.CANCELLED: 6,
    ShipmentStatus.EXCEPTION: 6,
}
TERMINAL_STATUSES = frozenset(
    {ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED, ShipmentStatus.CANCELLED, ShipmentStatus.EXCEPTION}
)


class EventKind(StrEnum):
    STATUS = "STATUS"
    WEIGHT_UPDATED = "WEIGHT_UPDATED"
    COD_UPDATED = "COD_UPDATED"
    FEE_UPDATED = "FEE_UPDATED"


@dataclass(frozen=True)
class CarrierPlace:
    """A carrier's own ids for one place, read from the stored per-carrier location mapping."""

    province_id: str = ""
    district_id: str = ""
    ward_id: str = ""


@dataclass(frozen=True)
class Location:
    """A place in both structures: the 2025 commune and, where known, the pre-2025 ward, district
    and province (carriers may still key on those). `carrier_place` is this carrier's ids for it."""

    province_code: str
    province_name: str
    commune_code: str
    commune_name: str
    legacy_ward_name: str = ""
    legacy_ward_code: str = ""
    legacy_district_name: str = ""
    legacy_district_code: str = ""
    legacy_province_name: str = ""
    legacy_province_code: str = ""
    carrier_place: CarrierPlace | None = None

    @property
    def ward_name(self) -> str:
        return self.legacy_ward_name or self.commune_name

    @property
    def district_name(self) -> str:
        return self.legacy_district_name

    @property
    def carrier_province_name(self) -> str:
        return self.legacy_province_name or self.province_name


@dataclass(frozen=True)
class Party:
    """Sender or recipient. `phone` is E.164 (+84…); adapters send the domestic form carriers expect."""

    name: str
    phone: str
    street: str  # house number, road, hamlet: everything below the ward
    location: Location
    email: str = ""

    @property
    def address_line(self) -> str:
        """Street, ward, district and province in one line, as carriers print it."""
        place = self.location
        parts = (self.street, place.ward_name, place.district_name, place.carrier_province_name)
        return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class Parcel:
    weight_grams: int
    length_cm: int = 10
    width_cm: int = 10
    height_cm: int = 10


@dataclass(frozen=True)
class Item:
    name: str
    quantity: int
    price: int  # whole đồng, unit price
    weight_grams: int = 0


@dataclass(frozen=True)
class QuoteRequest:
    origin: Location
    destination: Location
    parcel: Parcel
    band: DistanceBand
    cod_amount: int = 0  # what the carrier collects from the buyer
    declared_value: int = 0  # for insurance and compensation


@dataclass(frozen=True)
class Quote:
    carrier_id: str
    service_id: str  # pass back as ShipmentRequest.service_id
    service_name: str
    fee: int  # everything the carrier charges for this parcel, whole đồng
    lead_time_hours: int | None = None
    expected_delivery: date | None = None  # in Vietnam time
    raw: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ShipmentRequest:
    """`client_order_code` is ours and unique per shipment attempt (e.g. the seller order number): the
    adapter sends it as the carrier's client order code and looks it up before creating."""

    client_order_code: str
    service_id: str
    sender: Party
    recipient: Party
    parcel: Parcel
    band: DistanceBand
    items: tuple[Item, ...] = ()
    cod_amount: int = 0
    declared_value: int = 0
    content: str = ""  # what is inside, printed on the label
    note: str = ""  # for the courier


@dataclass(frozen=True)
class Shipment:
    carrier_id: str
    carrier_code: str  # the carrier's tracking code (GHN order_code, GHTK label, Viettel Post ORDER_NUMBER)
    client_order_code: str
    status: ShipmentStatus = ShipmentStatus.CREATED
    fee: int | None = None
    expected_delivery: date | None = None
    existing: bool = False  # True when a retry found the shipment made by an earlier attempt
    raw: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Label:
    """Either the PDF itself (`data`) or a URL the seller's browser opens (the carrier's print page)."""

    content_type: str
    data: bytes = b""
    url: str | None = None


@dataclass(frozen=True)
class HttpLikeRequest:
    """The parts of an incoming notification an adapter may read."""

    method: str
    query: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers.items() if key.lower() == wanted), None)


@dataclass(frozen=True)
class CarrierEvent:
    """One verified carrier notification (or a status query's answer) in our terms.

    `dedup_key` is the same for every retry of the same notification: store it unique and apply an
    event once. Events can arrive in any order: compare `occurred_at` (and `STATUS_RANK`) with what is
    stored before moving a shipment backwards. `needs_confirmation` means the notification is only
    authenticated by a shared secret (no signature): call `query_status` and act on its answer."""

    carrier_id: str
    carrier_code: str
    kind: EventKind
    status: ShipmentStatus | None  # None: the notification does not state a status
    carrier_status: str  # the carrier's own status code or name, verbatim
    occurred_at: datetime
    dedup_key: str
    needs_confirmation: bool = False
    client_order_code: str | None = None
    cod_amount: int | None = None  # the amount to collect as the carrier now states it
    cod_collected: bool = False  # the carrier says it has collected the COD money from the buyer
    cod_remitted_at: datetime | None = None  # the carrier says it has paid the COD money out
    weight_grams: int | None = None
    fee: int | None = None
    reason: str = ""  # the carrier's reason text (failed delivery, cancellation), verbatim
    raw: Mapping[str, object] = field(default_factory=dict)


def latest_event(events: Iterable[CarrierEvent]) -> CarrierEvent | None:
    """The status event that describes the shipment now, whatever order the events arrived in."""
    with_status = [event for event in events if event.status is not None]
    if not with_status:
        return None
    return max(with_status, key=lambda e: (e.occurred_at, STATUS_RANK[e.status] if e.status else -1))


class ReplyOutcome(StrEnum):
    OK = "OK"
    DUPLICATE = "DUPLICATE"  # already applied: acknowledge so the carrier stops retrying
    UNKNOWN_SHIPMENT = "UNKNOWN_SHIPMENT"  # not ours (yet): a non-2xx answer makes the carrier retry
    INVALID = "INVALID"  # forged or damaged
    ERROR = "ERROR"  # our failure: the carrier should retry


@dataclass(frozen=True)
class NotificationReply:
    status: int
    body: bytes
    content_type: str = "application/json"


@dataclass(frozen=True)
class StatementLine:
    """One row of a carrier's COD remittance statement, exactly as the carrier states it.

    The parser never drops or corrects a row: a value it cannot read is None with a code in
    `problems` (e.g. "COD_AMOUNT_UNREADABLE"), and matching against our shipments is the backend's."""

    line_no: int  # 1-based row number in the file (header included), for the platform's report
    carrier_code: str
    client_order_code: str = ""
    cod_amount: int | None = None
    fee: int | None = None  # fees the carrier deducted from this shipment's COD
    remitted_amount: int | None = None  # what the carrier paid out for this shipment, when stated
    remitted_on: date | None = None
    remittance_reference: str = ""
    problems: tuple[str, ...] = ()
    raw: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CodStatement:
    carrier_id: str
    lines: tuple[StatementLine, ...]
    summary_rows: tuple[Mapping[str, str], ...] = ()  # "Tổng cộng" rows, kept for the record

    @property
    def total_cod(self) -> int:
        return sum(line.cod_amount or 0 for line in self.lines)


class UnitLevel(StrEnum):
    PROVINCE = "PROVINCE"
    DISTRICT = "DISTRICT"
    WARD = "WARD"


@dataclass(frozen=True)
class CarrierUnit:
    """A province, district or ward in the carrier's master data, with its id and other spellings."""

    level: UnitLevel
    id: str
    name: str
    parent_id: str = ""
    aliases: tuple[str, ...] = ()
    code: str = ""


@dataclass(frozen=True)
class MasterData:
    carrier_id: str
    provinces: tuple[CarrierUnit, ...] = ()
    districts: tuple[CarrierUnit, ...] = ()
    wards: tuple[CarrierUnit, ...] = ()


class Carrier(Protocol):
    id: str
    name: str
    supports_cod: bool
    supports_status_query: bool  # False: query_status raises UnsupportedOperation
    uses_location_ids: bool  # True: quotes and shipments need `Location.carrier_place` (master-data ids)
    max_cod_amount: int | None  # the carrier's cap on COD per shipment, None when unknown

    def quote(self, request: QuoteRequest) -> list[Quote]:
        """Services offered for this parcel and route, cheapest first. AddressNotServed when none."""
        ...

    def create_shipment(self, request: ShipmentRequest) -> Shipment:
        """Idempotent by `request.client_order_code`: a retry returns the first shipment (`existing`)."""
        ...

    def cancel_shipment(self, carrier_code: str) -> None:
        """ShipmentNotCancellable when the carrier refuses (usually: already picked up)."""
        ...

    def label(self, carrier_code: str) -> Label: ...

    def tracking_url(self, carrier_code: str) -> str | None: ...

    def parse_notification(self, request: HttpLikeRequest) -> CarrierEvent:
        """Authenticate first (constant time; InvalidNotification), then parse."""
        ...

    def reply(self, outcome: ReplyOutcome) -> NotificationReply: ...

    def query_status(self, carrier_code: str) -> CarrierEvent:
        """The carrier's current view of a shipment, as an event (needs_confirmation False)."""
        ...

    def parse_statement(self, content: bytes, *, filename: str = "") -> CodStatement:
        """Every line of a COD remittance statement (CSV or XLSX as the carrier exports it)."""
        ...

    def fetch_master_data(self, *, provinces: Sequence[str] = ()) -> MasterData:
        """Provinces, districts and wards with the carrier's ids; `provinces` (names, any spelling)
        limits the districts and wards fetched. UnsupportedOperation for carriers keyed on names."""
        ...
