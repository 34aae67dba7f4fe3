"""Write side of moderation: the audit trail (append-only)."""

from __future__ import annotations

from typing import Any

from django.db import models

from backend.moderation.models import AuditEntry


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    reason: str = "",
    status_before: str = "",
    status_after: str = "",
) -> AuditEntry:
    """Append one audit entry: who did what to which object, why, and the status change.

    Call it inside the same transaction as the act it records, so an act is
    never on record without having happened (or the other way round).
    """
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.model_name or "",
        target_id=target.pk,
        target_repr=str(target)[:255],
        reason=reason,
        status_before=status_before,
        status_after=status_after,
    )
