"""Read side of notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from backend.accounts.models import User
from backend.notifications.models import Notification, SandboxMessage


def sandbox_messages(*, address: str = "", limit: int = 100) -> list[SandboxMessage]:
    """What the sandbox channels sent, newest first (the DEBUG page /dev/outbox/)."""
    rows: QuerySet[SandboxMessage] = SandboxMessage.objects.all()
    if address:
        rows = rows.filter(address=address)
    return list(rows.order_by("-id")[:limit])


def notifications_of(*, user: User, limit: int = 50) -> list[Notification]:
    return list(Notification.objects.filter(user=user).order_by("-id")[:limit])
