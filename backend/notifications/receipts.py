"""Providers' delivery receipts (`/messaging/<channel>/receipt/…`): the channel verifies the callback
(`Channel.parse_receipt`: eSMS's HMAC in the path, the Zalo OA signature header); a verified receipt
updates the attempt it names (by the provider's message id), a forged one changes nothing."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from backend.notifications import channels
from backend.notifications.models import DeliveryAttempt, Notification
from messaging.base import InboundRequest, InvalidReceipt, Message, ReceiptNotSupported, Recipient
from messaging.registry import channel_by_id

logger = logging.getLogger(__name__)


def channel_key(notification: Notification, channel_id: str) -> str:
    """The key the channel sent to its provider for this notification (`Message.channel_key`)."""
    message = Message(
        kind=notification.kind,
        recipient=Recipient(),
        idempotency_key=f"{notification.event_key}:{notification.recipient_key}",
    )
    return message.channel_key(channel_id)


@csrf_exempt
def receipt(request: HttpRequest, channel_id: str, rest: str = "") -> HttpResponse:
    channel = channel_by_id(channels.channels(), channel_id)
    if channel is None:
        return HttpResponse(status=404)
    inbound = InboundRequest(
        method=request.method or "GET",
        path=request.path,
        query={key: request.GET.get(key, "") for key in request.GET},
        body=request.body,
        headers=dict(request.headers.items()),
    )
    try:
        parsed = channel.parse_receipt(inbound)
    except ReceiptNotSupported:
        return HttpResponse(status=404)
    except InvalidReceipt as exc:
        logger.warning("refused a %s receipt: %s", channel_id, exc)
        reply = channel.receipt_reply(accepted=False)
        return HttpResponse(reply.body, status=reply.status, content_type=reply.headers.get("Content-Type"))
    if parsed is not None:
        for attempt in DeliveryAttempt.objects.filter(
            channel_id=channel_id, provider_message_id=parsed.provider_message_id, ok=True
        ).select_related("notification"):
            if parsed.idempotency_key and parsed.idempotency_key != channel_key(attempt.notification, channel_id):
                continue  # signed for another message: never move this one
            DeliveryAttempt.objects.filter(pk=attempt.pk).update(
                receipt_status=parsed.status.value, receipt_at=parsed.at or timezone.now()
            )
    reply = channel.receipt_reply(accepted=True)
    return HttpResponse(reply.body, status=reply.status, content_type=reply.headers.get("Content-Type"))
