"""Read side of notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from backend.accounts.models import User
from backend.notifications import catalog
from backend.notifications.models import Notification, NotificationPreference, SandboxMessage
from messaging.base import Medium


def sandbox_messages(*, address: str = "", limit: int = 100) -> list[SandboxMessage]:
    """What the sandbox channels sent, newest first (the DEBUG page /dev/outbox/)."""
    rows: QuerySet[SandboxMessage] = SandboxMessage.objects.all()
    if address:
        rows = rows.filter(address=address)
    return list(rows.order_by("-id")[:limit])


def notifications_of(*, user: User, limit: int = 50) -> list[Notification]:
    return list(Notification.objects.filter(user=user).order_by("-id")[:limit])


def preference_rows(*, user: User) -> list[dict[str, object]]:
    """One row per kind a person may change (`catalog.LABELS`): label, transactional, muted, mediums on."""
    saved = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    rows: list[dict[str, object]] = []
    for kind, label in catalog.LABELS.items():
        pref = saved.get(kind)
        off = set((pref.disabled_mediums if pref else "").split(","))
        rows.append(
            {
                "kind": kind,
                "label": label,
                "transactional": catalog.policy(kind).transactional,
                "muted": bool(pref and pref.muted),
                "mediums": [(m.value, m.value not in off) for m in Medium],
            }
        )
    return rows
