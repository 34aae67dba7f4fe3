"""One provider call and the failures every provider shares: no answer, a 5xx, 429, a body that is not JSON."""

from __future__ import annotations

from typing import Any

from adapter_http import HttpRequest, Transport, TransportError
from messaging.base import DeliveryError, DeliveryResult, Recipient


def call_json(
    transport: Transport, request: HttpRequest, timeout: float, channel_id: str
) -> dict[str, Any] | DeliveryResult:
    """The answer as a JSON object, or the failed result to return. Every failure here is retryable: the
    request may not have arrived, and providers that know our idempotency key will not send twice."""
    try:
        response = transport(request, timeout)
    except TransportError as exc:
        return DeliveryResult.failed(channel_id, DeliveryError.PROVIDER_UNAVAILABLE, retryable=True, detail=str(exc))
    if response.status == 429:
        retry_after = response.headers.get("Retry-After", "")
        return DeliveryResult.failed(
            channel_id,
            DeliveryError.RATE_LIMITED,
            retryable=True,
            provider_code="429",
            retry_after_seconds=int(retry_after) if retry_after.isdigit() else None,
        )
    if response.status >= 500:
        return DeliveryResult.failed(
            channel_id, DeliveryError.PROVIDER_UNAVAILABLE, retryable=True, provider_code=str(response.status)
        )
    answer = response.json()
    if answer is None:
        return DeliveryResult.failed(
            channel_id,
            DeliveryError.PROVIDER_ERROR,
            retryable=True,
            provider_code=str(response.status),
            detail="answer is not a JSON object",
        )
    return answer


def phone_refusal(channel_id: str, recipient: Recipient, usable: bool) -> DeliveryResult | None:
    """The result for a recipient a phone channel cannot send to (no number, or not a Vietnamese mobile)."""
    if not recipient.phone:
        return DeliveryResult.failed(channel_id, DeliveryError.NO_ADDRESS)
    if not usable:
        return DeliveryResult.failed(channel_id, DeliveryError.RECIPIENT_INVALID)
    return None
