"""payOS webhook verification (reference §5), used by the VietQR gateway to learn
that a bank transfer arrived.

A stdlib verifier rather than ``payos.PayOS().webhooks.verify``: it signs the
``data`` object exactly as received (the SDK rebuilds it from its own model, so a
new payOS field would break verification) and compares in constant time (the SDK
uses ``!=``). The tests check both agree on payOS's documented example.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any, Self


def _stringify(value: Any) -> str:
    if value is None or value in ("null", "undefined"):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(
            [_sorted_obj(item) for item in value], separators=(",", ":"), ensure_ascii=False, sort_keys=False
        )
    if isinstance(value, dict):
        return json.dumps(_sorted_obj(value), separators=(",", ":"), ensure_ascii=False)
    return str(value)


def _sorted_obj(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: value[k] for k in sorted(value)}
    return value


def canonical_data(data: Mapping[str, Any]) -> str:
    """``k=v&…`` over ``data``'s keys in alphabetical order, values stringified as payOS does, not URL-encoded."""
    return "&".join(f"{key}={_stringify(data[key])}" for key in sorted(data))


def sign(checksum_key: str, message: str) -> str:
    return hmac.new(checksum_key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def payment_request_signature(
    checksum_key: str, *, amount: int, cancel_url: str, description: str, order_code: int, return_url: str
) -> str:
    """Signature of ``POST /v2/payment-requests``: exactly these five fields, alphabetical."""
    message = (
        f"amount={amount}&cancelUrl={cancel_url}&description={description}"
        f"&orderCode={order_code}&returnUrl={return_url}"
    )
    return sign(checksum_key, message)


class InvalidPayOSWebhook(Exception):
    """Raised by :class:`PayOSWebhookVerifier` for a missing or wrong signature."""


class PayOSWebhookVerifier:
    """Checks a payOS webhook body ``{code, desc, success, data{…}, signature}``."""

    def __init__(self, *, client_id: str, api_key: str, checksum_key: str) -> None:
        if not checksum_key:
            raise ValueError("payOS checksum key is empty")
        self.client_id = client_id
        self.api_key = api_key
        self._checksum_key = checksum_key

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Self | None:
        client_id = environ.get("PAYOS_CLIENT_ID", "").strip()
        api_key = environ.get("PAYOS_API_KEY", "").strip()
        checksum_key = environ.get("PAYOS_CHECKSUM_KEY", "").strip()
        if not (client_id and api_key and checksum_key):
            return None
        return cls(client_id=client_id, api_key=api_key, checksum_key=checksum_key)

    def signature_of(self, data: Mapping[str, Any]) -> str:
        return sign(self._checksum_key, canonical_data(data))

    def verify(self, body: bytes) -> dict[str, Any]:
        """Return the verified ``data`` object; raise :class:`InvalidPayOSWebhook` otherwise.

        Only ``signature`` and ``data`` are touched before the constant-time comparison.
        """
        try:
            envelope = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise InvalidPayOSWebhook("body is not JSON") from exc
        if not isinstance(envelope, dict):
            raise InvalidPayOSWebhook("body is not a JSON object")
        signature = envelope.get("signature")
        data = envelope.get("data")
        if not isinstance(signature, str) or not isinstance(data, dict):
            raise InvalidPayOSWebhook("signature or data missing")
        expected = self.signature_of(data)
        if not hmac.compare_digest(expected.encode("ascii"), signature.lower().encode("utf-8", "replace")):
            raise InvalidPayOSWebhook("signature mismatch")
        return data
