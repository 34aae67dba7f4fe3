"""What the readiness probe and the admin ask of the outbox."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Min
from django.utils import timezone

from backend.outbox.models import OutboxItem, OutboxStatus


@dataclass(frozen=True)
class Backlog:
    pending: int
    dead: int
    oldest_pending_seconds: float  # 0 when nothing waits


def backlog() -> Backlog:
    rows = (
        OutboxItem.objects.exclude(status=OutboxStatus.DELIVERED)
        .values("status")
        .annotate(n=Count("id"), oldest=Min("created_at"))
    )
    by_status = {row["status"]: row for row in rows}
    pending = by_status.get(OutboxStatus.PENDING, {})
    oldest = pending.get("oldest")
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return Backlog(
        pending=int(pending.get("n", 0)),
        dead=int(by_status.get(OutboxStatus.DEAD, {}).get("n", 0)),
        oldest_pending_seconds=max(age, 0.0),
    )
