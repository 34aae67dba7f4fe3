"""An offline carrier for development (DEBUG only). It prices by weight and distance band from the
table below, makes deterministic shipment codes, prints a one-page PDF label, and signs its status
notifications (HMAC-SHA256 of the raw body, header `X-Sandbox-Signature`). A development page builds
them with `build_notification` and POSTs them to the same notification endpoint a real carrier
uses, so they take the same verify → parse → store path. `build_statement` writes a COD remittance
statement in the sandbox's CSV format (for the page's "remit COD" button and for tests).

Fee table (whole đồng; the parcel's weight is rounded up to the next 500 g):

| band            | first 500 g | each further 500 g | standard | express |
| --------------- | ----------- | ------------------ | -------- | ------- |
| SAME_PROVINCE   | 16 500      | 2 500              | 24 h     | 12 h    |
| NEIGHBOURING    | 22 000      | 4 000              | 48 h     | 24 h    |
| FAR             | 30 000      | 5 000              | 96 h     | 48 h    |

Express costs 1.5 × standard. COD adds 1 % of the amount collected; a declared value above
1 000 000 đ adds 0.5 % of it for insurance. Every fee is rounded up to a multiple of 500 đ."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from shipping.base import (
    CarrierEvent,
    CodStatement,
    DistanceBand,
    EventKind,
    HttpLikeRequest,
    Label,
    MasterData,
    NotificationReply,
    Quote,
    QuoteRequest,
    ReplyOutcome,
    Shipment,
    ShipmentRequest,
    ShipmentStatus,
)
from shipping.common import (
    VIETNAM_TZ,
    hmac_hex,
    moment_from_epoch,
    parse_iso_time,
    reply_status,
    secrets_match,
    setting,
    whole_dong,
)
from shipping.errors import InvalidNotification, UnsupportedOperation
from shipping.statements import StatementColumns, parse_statement, write_csv
from shipping.transport import Transport, encode_json

SIGNATURE_HEADER = "X-Sandbox-Signature"
FIRST_500G: Mapping[DistanceBand, int] = {
    DistanceBand.SAME_PROVINCE: 16_500,
    DistanceBand.NEIGHBOURING: 22_000,
    DistanceBand.FAR: 30_000,
}
EACH_FURTHER_500G: Mapping[DistanceBand, int] = {
    DistanceBand.SAME_PROVINCE: 2_500,
    DistanceBand.NEIGHBOURING: 4_000,
    DistanceBand.FAR: 5_000,
}
LEAD_HOURS: Mapping[str, Mapping[DistanceBand, int]] = {
    "standard": {DistanceBand.SAME_PROVINCE: 24, DistanceBand.NEIGHBOURING: 48, DistanceBand.FAR: 96},
    "express": {DistanceBand.SAME_PROVINCE: 12, DistanceBand.NEIGHBOURING: 24, DistanceBand.FAR: 48},
}
SERVICE_NAMES = {"standard": "Sandbox tiêu chuẩn", "express": "Sandbox nhanh"}
INSURED_ABOVE = 1_000_000
STATEMENT_HEADER = ("Mã vận đơn", "Mã đơn hàng", "Tiền thu hộ", "Phí", "Thực nhận", "Ngày đối soát", "Mã phiên")
STATEMENT_COLUMNS = StatementColumns(
    carrier_code=(STATEMENT_HEADER[0],),
    client_order_code=(STATEMENT_HEADER[1],),
    cod_amount=(STATEMENT_HEADER[2],),
    fee=(STATEMENT_HEADER[3],),
    remitted_amount=(STATEMENT_HEADER[4],),
    remitted_on=(STATEMENT_HEADER[5],),
    remittance_reference=(STATEMENT_HEADER[6],),
)


def _up_to_500(amount: float) -> int:
    return int(math.ceil(amount / 500) * 500)


def sandbox_fee(*, weight_grams: int, band: DistanceBand, service: str, cod_amount: int, declared_value: int) -> int:
    """The table above, as a function."""
    steps = max(1, math.ceil(weight_grams / 500))
    shipping = FIRST_500G[band] + (steps - 1) * EACH_FURTHER_500G[band]
    if service == "express":
        shipping = _up_to_500(shipping * 1.5)
    cod_fee = _up_to_500(cod_amount * 0.01) if cod_amount > 0 else 0
    insurance = _up_to_500(declared_value * 0.005) if declared_value > INSURED_ABOVE else 0
    return shipping + cod_fee + insurance


def _label_pdf(lines: Sequence[str]) -> bytes:
    """A valid one-page A6 PDF with a few lines of ASCII text (Helvetica)."""
    text = "".join(
        f"BT /F1 {14 if i == 0 else 10} Tf 20 {380 - i * 22} Td ({line.encode('ascii', 'replace').decode()}) Tj ET\n"
        for i, line in enumerate(lines)
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


class SandboxCarrier:
    id: str = "sandbox"
    name: str = "Sandbox (dev)"
    supports_cod: bool = True
    supports_status_query: bool = False  # its shipments live only in our database
    uses_location_ids: bool = False
    max_cod_amount: int | None = 10_000_000

    def __init__(self, secret: str, *, clock: Callable[[], float] = time.time) -> None:
        if not secret:
            raise ValueError("the sandbox carrier needs a secret")
        self._secret = secret
        self._clock = clock

    def __repr__(self) -> str:
        return "SandboxCarrier()"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str], *, transport: Transport | None = None, debug: bool = False
    ) -> SandboxCarrier | None:
        """Offered only in DEBUG; its secret is derived from SECRET_KEY (or a fixed development value)."""
        if not debug:
            return None
        root = setting(environ, "SECRET_KEY") or "cho-phien-dev-sandbox"
        return cls(hmac_hex(root, b"shipping.sandbox"))

    # -- quotes and shipments ------------------------------------------------------------------

    def _expected(self, hours: int) -> date:
        today = moment_from_epoch(self._clock()).astimezone(VIETNAM_TZ).date()
        return today + timedelta(days=math.ceil(hours / 24))

    @staticmethod
    def _fee(request: QuoteRequest | ShipmentRequest, service: str) -> int:
        return sandbox_fee(
            weight_grams=request.parcel.weight_grams,
            band=request.band,
            service=service,
            cod_amount=request.cod_amount,
            declared_value=request.declared_value,
        )

    def quote(self, request: QuoteRequest) -> list[Quote]:
        return [
            Quote(
                carrier_id=self.id,
                service_id=service,
                service_name=SERVICE_NAMES[service],
                fee=self._fee(request, service),
                lead_time_hours=LEAD_HOURS[service][request.band],
                expected_delivery=self._expected(LEAD_HOURS[service][request.band]),
            )
            for service in ("standard", "express")
        ]

    def shipment_code(self, client_order_code: str) -> str:
        """Deterministic: a retried create gets the same code, so it never makes two shipments."""
        return "SBX" + hmac_hex(self._secret, client_order_code.encode())[:10].upper()

    def create_shipment(self, request: ShipmentRequest) -> Shipment:
        service = request.service_id if request.service_id in SERVICE_NAMES else "standard"
        return Shipment(
            carrier_id=self.id,
            carrier_code=self.shipment_code(request.client_order_code),
            client_order_code=request.client_order_code,
            fee=self._fee(request, service),
            expected_delivery=self._expected(LEAD_HOURS[service][request.band]),
        )

    def cancel_shipment(self, carrier_code: str) -> None:
        return None  # the development page decides what the sandbox "did"

    def label(self, carrier_code: str) -> Label:
        return Label(content_type="application/pdf", data=_label_pdf(["Cho Phien - SANDBOX", carrier_code]))

    def tracking_url(self, carrier_code: str) -> str | None:
        return None

    # -- notifications -------------------------------------------------------------------------

    def build_notification(
        self,
        *,
        carrier_code: str,
        occurred_at: datetime,
        status: ShipmentStatus | None = None,
        kind: EventKind = EventKind.STATUS,
        client_order_code: str | None = None,
        cod_amount: int | None = None,
        cod_collected: bool = False,
        cod_remitted_at: datetime | None = None,
        weight_grams: int | None = None,
        fee: int | None = None,
        reason: str = "",
    ) -> HttpLikeRequest:
        """The request a real HTTP POST from the sandbox "carrier" carries: a signed JSON body."""
        fields: dict[str, Any] = {
            "carrier_code": carrier_code,
            "kind": kind.value,
            "status": status.value if status else None,
            "occurred_at": occurred_at.isoformat(),
            "client_order_code": client_order_code,
            "cod_amount": cod_amount,
            "cod_collected": cod_collected,
            "cod_remitted_at": cod_remitted_at.isoformat() if cod_remitted_at else None,
            "weight_grams": weight_grams,
            "fee": fee,
            "reason": reason,
        }
        fields["event_id"] = hmac_hex("event", json.dumps(fields, sort_keys=True).encode())[:32]
        body = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        return HttpLikeRequest(
            method="POST",
            body=body,
            headers={"Content-Type": "application/json", SIGNATURE_HEADER: hmac_hex(self._secret, body)},
        )

    def parse_notification(self, request: HttpLikeRequest) -> CarrierEvent:
        if not secrets_match(hmac_hex(self._secret, request.body), request.header(SIGNATURE_HEADER)):
            raise InvalidNotification("sandbox signature missing or wrong")
        # Signed by us from here on.
        try:
            fields = json.loads(request.body.decode("utf-8"))
            occurred = parse_iso_time(fields["occurred_at"])
            if occurred is None:
                raise ValueError("occurred_at")
            return CarrierEvent(
                carrier_id=self.id,
                carrier_code=str(fields["carrier_code"]),
                kind=EventKind(fields["kind"]),
                status=ShipmentStatus(fields["status"]) if fields.get("status") else None,
                carrier_status=str(fields.get("status") or fields["kind"]),
                occurred_at=occurred,
                dedup_key=f"sandbox:{fields['event_id']}",
                client_order_code=fields.get("client_order_code"),
                cod_amount=whole_dong(fields.get("cod_amount")),
                cod_collected=bool(fields.get("cod_collected")),
                cod_remitted_at=parse_iso_time(fields.get("cod_remitted_at")),
                weight_grams=whole_dong(fields.get("weight_grams")),
                fee=whole_dong(fields.get("fee")),
                reason=str(fields.get("reason") or ""),
                raw=fields,
            )
        except (UnicodeDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InvalidNotification(f"sandbox notification lacks a valid field: {exc}") from exc

    def reply(self, outcome: ReplyOutcome) -> NotificationReply:
        status = reply_status(outcome)
        return NotificationReply(status=status, body=encode_json({"ok": status == 200, "outcome": outcome.value}))

    def query_status(self, carrier_code: str) -> CarrierEvent:
        raise UnsupportedOperation("the sandbox keeps no state: its notifications are signed instead")

    # -- statements and master data ------------------------------------------------------------

    def build_statement(self, rows: Iterable[tuple[str, str, int, int]], *, remitted_on: date, reference: str) -> bytes:
        """A CSV statement of (carrier code, client order code, COD amount, fee) rows, with a totals row."""
        lines = [
            (code, client, cod, fee, cod - fee, remitted_on.strftime("%d/%m/%Y"), reference)
            for code, client, cod, fee in rows
        ]
        totals = ("Tổng cộng", "", sum(line[2] for line in lines), sum(line[3] for line in lines), "", "", "")
        return write_csv(STATEMENT_HEADER, [*lines, totals])

    def parse_statement(self, content: bytes, *, filename: str = "") -> CodStatement:
        return parse_statement(content, carrier_id=self.id, columns=STATEMENT_COLUMNS, filename=filename)

    def fetch_master_data(self, *, provinces: Sequence[str] = ()) -> MasterData:
        raise UnsupportedOperation("the sandbox takes addresses by name")


CARRIER = SandboxCarrier
