"""Delivery receipts: eSMS reports a message delivered on our callback URL (signed in the path); the
attempt records it; a forged callback changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from backend.notifications import services
from backend.notifications.channels import use_channels
from backend.notifications.models import DeliveryAttempt
from messaging.base import DeliveryResult, Message
from messaging.esms import EsmsChannel, _digest

pytestmark = pytest.mark.django_db


class _Esms(EsmsChannel):
    """The real eSMS channel's receipts; its send is faked (no network here)."""

    def send(self, message: Message) -> DeliveryResult:
        return DeliveryResult.sent(self.id, "d533459ee42b2b9525ba9eabf6a8156")


def test_an_esms_receipt_marks_the_attempt_delivered(make_user: Any, client: Any, settings: Any) -> None:
    settings.NOTIFY_QUIET_HOURS = "off"
    channel = _Esms("k", "secret", "CHOPHIEN", callback_url="https://chophien.example/messaging/esms/receipt")
    user = make_user(phone="+84912345678")
    with use_channels([channel]):
        with transaction.atomic():
            note = services.notify(kind="order.confirmed", event_key="e1", recipients=[user], params={"number": "CP1"})[
                0
            ]
        services.deliver(notification_id=note.pk)
        key = f"e1:user:{user.pk}:esms"
        query = {"SMSID": "d533459ee42b2b9525ba9eabf6a8156", "SendStatus": "5", "SendSuccess": "1"}
        forged = client.get(f"/messaging/esms/receipt/{key}/{'0' * 32}", query)
        assert forged.status_code == 403
        assert DeliveryAttempt.objects.get().receipt_status == ""
        answer = client.get(f"/messaging/esms/receipt/{key}/{_digest('secret', key)}", query)
        other = f"e2:user:{user.pk}:esms"  # validly signed, but for another message
        client.get(f"/messaging/esms/receipt/{other}/{_digest('secret', other)}", {**query, "SendStatus": "4"})
    assert answer.status_code == 200
    assert DeliveryAttempt.objects.get().receipt_status == "DELIVERED"


def test_unknown_channels_and_sandboxes_have_no_receipts(client: Any) -> None:
    assert client.get("/messaging/nope/receipt").status_code == 404
