"""The sellers' e-mails as outbox items, written in the deciding transaction (see sellers.tasks)."""

from __future__ import annotations

import uuid

from backend.outbox.services import enqueue


def notify_seller_application(*, seller_id: int) -> None:
    enqueue(kind="sellers.application", key=f"sellers.application:{seller_id}", payload={"seller_id": seller_id})


def notify_seller_status(*, seller_id: int, action: str) -> None:
    key = f"sellers.status:{seller_id}:{uuid.uuid4().hex}"
    enqueue(kind="sellers.status", key=key, payload={"seller_id": seller_id, "action": action})


def send_seller_invitation(*, invitation_id: int, token: str) -> None:
    # The code is stored hashed on the invitation; the outbox keeps it only until the mail is sent.
    payload = {"invitation_id": invitation_id, "token": token}
    enqueue(kind="sellers.invitation", key=f"sellers.invitation:{invitation_id}", payload=payload, redact=True)
