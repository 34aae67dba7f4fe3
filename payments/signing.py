"""Shared, dependency-free helpers for the gateway adapters: HMACs, constant-time
comparison, Vietnam-time formatting, diacritic stripping and a tiny JSON-over-HTTP
client whose opener can be swapped out in tests."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from payments.base import GatewayUnavailable

# An opener takes a prepared request and a timeout (seconds) and returns the raw response body.
Opener = Callable[[urllib.request.Request, float], bytes]

DEFAULT_TIMEOUT = 10.0


def _vietnam_tz() -> tzinfo:
    try:
        return ZoneInfo("Asia/Ho_Chi_Minh")
    except ZoneInfoNotFoundError:  # no tz database on the host: Vietnam has no DST, so a fixed offset is exact
        return timezone(timedelta(hours=7), "ICT")


VIETNAM_TZ = _vietnam_tz()
VNPAY_DATE_FORMAT = "%Y%m%d%H%M%S"


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def hmac_sha512_hex(key: str | bytes, message: str | bytes) -> str:
    return hmac.new(_as_bytes(key), _as_bytes(message), hashlib.sha512).hexdigest()


def hmac_sha256_hex(key: str | bytes, message: str | bytes) -> str:
    return hmac.new(_as_bytes(key), _as_bytes(message), hashlib.sha256).hexdigest()


def constant_time_equals(expected: str | bytes, received: str | bytes | None) -> bool:
    """Compare two signatures in constant time. Works on bytes so non-ASCII input cannot raise."""
    if received is None:
        return False
    return hmac.compare_digest(_as_bytes(expected), _as_bytes(received))


def vietnam_time(epoch: float | None = None) -> datetime:
    """An aware datetime in Vietnam time (GMT+7) for `epoch` (now when None)."""
    return datetime.fromtimestamp(time.time() if epoch is None else epoch, tz=UTC).astimezone(VIETNAM_TZ)


def format_vietnam_time(epoch: float | None = None, fmt: str = VNPAY_DATE_FORMAT) -> str:
    """Format `epoch` (now when None) in Vietnam time; default `yyyyMMddHHmmss` as VNPay wants."""
    return vietnam_time(epoch).strftime(fmt)


def strip_diacritics(text: str) -> str:
    """Vietnamese text to plain ASCII letters: "Đà Lạt" -> "Da Lat" (đ/Đ are not decomposable, so map them first)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


_UNSAFE_ORDER_INFO = re.compile(r"[^A-Za-z0-9 .,:_-]+")
_SPACES = re.compile(r"\s+")


def safe_order_info(text: str, max_length: int = 255) -> str:
    """Order description restricted to `[A-Za-z0-9 .,:_-]`, the set every gateway's URL encoder agrees on."""
    ascii_text = _UNSAFE_ORDER_INFO.sub(" ", strip_diacritics(text))
    return _SPACES.sub(" ", ascii_text).strip()[:max_length].rstrip()


def urlopen_opener(request: urllib.request.Request, timeout: float) -> bytes:
    """The default opener: a real HTTP call with a timeout."""
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body: bytes = response.read()
        return body


def post_json(opener: Opener, url: str, payload: Mapping[str, Any], timeout: float) -> dict[str, Any]:
    """POST `payload` as JSON and decode the JSON answer; network or decoding failures -> GatewayUnavailable."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=UTF-8", "Accept": "application/json"},
    )
    try:
        raw = opener(request, timeout)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise GatewayUnavailable(f"{url}: {exc}") from exc
    try:
        decoded = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise GatewayUnavailable(f"{url}: answer is not JSON") from exc
    if not isinstance(decoded, dict):
        raise GatewayUnavailable(f"{url}: answer is not a JSON object")
    return decoded


def json_reply_body(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def setting(environ: Mapping[str, str], name: str) -> str | None:
    """A configuration value, or None when unset or blank."""
    value = environ.get(name, "")
    value = value.strip() if isinstance(value, str) else ""
    return value or None
