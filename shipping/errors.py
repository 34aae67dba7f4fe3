"""Carrier failures as typed exceptions with a stable machine code.

`detail` is for logs only (it may quote the carrier's own message, in Vietnamese or English); the
backend maps `code` to its own translated message, so nothing here is ever shown to a user."""

from __future__ import annotations


class CarrierError(Exception):
    """Base class: `code` is stable, `carrier_error` is the carrier's own error code when it gave one."""

    code = "CARRIER_ERROR"

    def __init__(self, detail: str = "", *, carrier_error: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        self.carrier_error = carrier_error


class CarrierUnavailable(CarrierError):
    """Network failure, timeout, a 5xx answer or an answer that is not the documented JSON: retry later."""

    code = "CARRIER_UNAVAILABLE"


class CarrierAuthFailed(CarrierError):
    """The carrier refused our credentials (token expired or revoked, wrong shop id)."""

    code = "CARRIER_AUTH_FAILED"


class CarrierRejected(CarrierError):
    """The carrier refused the request itself (a field it does not accept); retrying will not help."""

    code = "CARRIER_REJECTED"


class AddressNotServed(CarrierError):
    """The carrier does not serve this route, or the place has no id in the carrier's location mapping."""

    code = "ADDRESS_NOT_SERVED"


class ShipmentNotFound(CarrierError):
    code = "SHIPMENT_NOT_FOUND"


class ShipmentAlreadyExists(CarrierError):
    """The carrier already has a shipment for this client order code but did not say which: wait for its
    first status notification (which carries both codes) instead of creating again."""

    code = "SHIPMENT_EXISTS"


class ShipmentNotCancellable(CarrierError):
    """Too late to cancel (already picked up), or the carrier refused the cancellation."""

    code = "NOT_CANCELLABLE"


class InvalidNotification(CarrierError):
    """Forged (wrong secret or signature) or damaged notification: nothing in it may be trusted."""

    code = "INVALID_NOTIFICATION"


class UnsupportedOperation(CarrierError):
    """This carrier's public API has no such call (e.g. Viettel Post status query)."""

    code = "UNSUPPORTED"


class InvalidStatement(CarrierError):
    """A COD statement file that cannot be read at all (not CSV/XLSX, no header row found)."""

    code = "INVALID_STATEMENT"
