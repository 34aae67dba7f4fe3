"""Small helpers the adapters share: Vietnam time, phones, money, notification secrets and bodies,
and the folding of Vietnamese names for matching ("Đắk R'Lấp" → "dak r lap")."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shipping.base import HttpLikeRequest, ReplyOutcome
from shipping.errors import InvalidNotification


def _vietnam_tz() -> tzinfo:
    try:
        return ZoneInfo("Asia/Ho_Chi_Minh")
    except ZoneInfoNotFoundError:  # no tz database: Vietnam has no DST, a fixed offset is exact
        return timezone(timedelta(hours=7), "ICT")


VIETNAM_TZ = _vietnam_tz()


def setting(environ: Mapping[str, str], name: str) -> str | None:
    """A configuration value, or None when unset or blank."""
    value = environ.get(name, "")
    value = value.strip() if isinstance(value, str) else ""
    return value or None


def int_setting(environ: Mapping[str, str], name: str, default: int) -> int:
    value = setting(environ, name)
    try:
        return int(value) if value else default
    except ValueError:
        return default


def parse_iso_time(value: object) -> datetime | None:
    """An aware datetime from ISO 8601 text ("2021-11-11T03:52:50.158Z", "…+07:00"); naive = Vietnam."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM_TZ)


def parse_local_time(value: object, formats: Sequence[str]) -> datetime | None:
    """A Vietnam-time datetime from text in one of `formats` (e.g. "%d/%m/%Y %H:%M:%S")."""
    if not isinstance(value, str):
        return None
    for fmt in formats:
        try:
            return datetime.strptime(value.strip(), fmt).replace(tzinfo=VIETNAM_TZ)
        except ValueError:
            continue
    return None


def moment_from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def _number(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def whole_dong(value: object) -> int | None:
    """An amount as carriers send it (int, float, "47000", "47000.0") in whole đồng; None when absent."""
    amount = _number(value)
    return int(amount.to_integral_value()) if amount is not None else None


def kg_to_grams(value: object) -> int | None:
    """Kilograms as a carrier sends them (2.4, "0.5") in whole grams."""
    kilos = _number(value)
    return int((kilos * 1000).to_integral_value()) if kilos is not None else None


def domestic_phone(e164: str) -> str:
    """E.164 "+84912345678" → "0912345678": the form Vietnamese carriers validate."""
    digits = re.sub(r"[^\d+]", "", e164)
    if digits.startswith("+84"):
        return "0" + digits[3:]
    if digits.startswith("84") and len(digits) == 11:
        return "0" + digits[2:]
    return digits.lstrip("+")


def hmac_hex(key: str, message: bytes) -> str:
    """HMAC-SHA256 of `message` under `key`, as lower-case hex."""
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def secrets_match(expected: str, received: str | None) -> bool:
    """Constant-time comparison that cannot raise on odd input."""
    if not expected or not received:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), received.encode("utf-8"))


SECRET_QUERY_NAMES = ("secret", "token", "hash")
SECRET_HEADER = "X-Webhook-Secret"


def request_carries_secret(request: HttpLikeRequest, secret: str, *, extra: Sequence[str | None] = ()) -> bool:
    """True when the notification presents our shared secret: in the URL (`?secret=`, `?token=`,
    `?hash=`), in the `X-Webhook-Secret` header, as `Authorization: Bearer <secret>`, as the password
    of `Authorization: Basic`, or in one of the `extra` values the adapter read from the body.
    Every candidate is compared in constant time."""
    candidates: list[str | None] = [request.query.get(name) for name in SECRET_QUERY_NAMES]
    candidates.append(request.header(SECRET_HEADER))
    authorization = request.header("Authorization") or ""
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer":
        candidates.append(credentials.strip())
    elif scheme.lower() == "basic":
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            candidates.append(base64.b64decode(credentials.strip(), validate=True).decode("utf-8").partition(":")[2])
    candidates.extend(extra)
    results = [secrets_match(secret, candidate) for candidate in candidates]  # no short-circuit
    return any(results)


# Non-2xx answers make carriers retry: wanted for our own errors and for a shipment not committed yet.
_REPLY_STATUS = {ReplyOutcome.UNKNOWN_SHIPMENT: 404, ReplyOutcome.INVALID: 401, ReplyOutcome.ERROR: 500}


def reply_status(outcome: ReplyOutcome) -> int:
    """The HTTP status every adapter answers for `outcome` (200 for OK and DUPLICATE)."""
    return _REPLY_STATUS.get(outcome, 200)


def decode_body(request: HttpLikeRequest) -> dict[str, Any]:
    """A notification body as a dict: JSON, or form-encoded (GHTK posts forms). InvalidNotification otherwise."""
    try:
        stripped = request.body.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise InvalidNotification("body is not UTF-8") from exc
    if stripped.startswith("{"):
        try:
            decoded = json.loads(stripped)
        except ValueError as exc:
            raise InvalidNotification("body is not valid JSON") from exc
        if isinstance(decoded, dict):
            return decoded
        raise InvalidNotification("body is not a JSON object")
    if stripped and "=" in stripped:
        return dict(parse_qsl(stripped, keep_blank_values=True))
    raise InvalidNotification("empty or unreadable body")


def fold(text: str) -> str:
    """Lower case, no diacritics (đ → d), punctuation as spaces, single spaces: "TP. Đà Lạt" → "tp da lat"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().replace("'", "").replace("’", "")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())
