"""Announce and deliver notifications.

`notify(...)` is called inside the transaction of the event: it writes one Notification per recipient
(unique per event and recipient, so a repeated event adds nothing) and one outbox item that delivers
it after commit. `deliver(notification_id=)` (the outbox handler) plans the channels for the person
(`messaging.planner`: Zalo → SMS → e-mail, preferences, quiet hours), sends on the next channel the
retry policy allows (`messaging.dispatch.next_step`), records each attempt, and when it must wait
(backoff, quiet hours) enqueues its own next run for that moment. A successful attempt is unique per
notification, so a notification is never sent twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.notifications import catalog, channels
from backend.notifications.models import DeliveryAttempt, Notification, NotificationPreference, NotificationStatus
from backend.outbox.services import enqueue
from messaging.base import DeliveryError, DeliveryResult, Medium, Message, Recipient
from messaging.dispatch import Attempt, RetryPolicy, StepKind, next_step
from messaging.planner import Preferences, plan_delivery
from messaging.registry import quiet_hours_from_env

logger = logging.getLogger(__name__)
DELIVER_KIND = "notifications.deliver"
clock: Callable[[], datetime] = timezone.now  # tests move it


@dataclass(frozen=True)
class To:
    """A recipient: an account, or a bare phone (an OTP to a number that has no account yet)."""

    user: User | None = None
    phone: str = ""
    email: str = ""
    language: str = ""

    @property
    def key(self) -> str:
        return f"user:{self.user.pk}" if self.user is not None else f"phone:{self.phone or self.email}"


def notify(
    *, kind: str, event_key: str, recipients: Iterable[User | To], params: Mapping[str, Any], redact: bool = False
) -> list[Notification]:
    """Announce `kind` about `event_key` (e.g. `order:CP123:placed`) to each recipient, in the caller's
    transaction. Idempotent: the same event and recipient is one notification however often announced."""
    if kind not in catalog.TEMPLATES:
        raise KeyError(f"unknown notification kind {kind!r}")
    created: list[Notification] = []
    values = {k: "" if v is None else str(v) for k, v in params.items()}
    for item in recipients:
        to = item if isinstance(item, To) else To(user=item)
        user = to.user
        row = Notification(
            kind=kind,
            event_key=event_key[:150],
            recipient_key=to.key[:80],
            user=user,
            phone=to.phone or (user.phone if user is not None else ""),
            email=to.email or ((user.email or "") if user is not None else ""),
            language=to.language or (user.preferred_language if user is not None else "") or settings.LANGUAGE_CODE,
            params=values,
            redact=redact,
        )
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue  # announced already
        enqueue(kind=DELIVER_KIND, key=f"notification:{row.pk}:0", payload={"notification_id": row.pk})
        created.append(row)
    return created


def notify_now(
    *, kind: str, event_key: str, recipients: Iterable[User | To], params: Mapping[str, Any], redact: bool = False
) -> int:
    """`notify`, then a first delivery attempt at once: for outbox handlers, which run after the event's
    commit. Returns how many notifications were sent now (the others wait for their retry)."""
    with transaction.atomic():
        rows = notify(kind=kind, event_key=event_key, recipients=recipients, params=params, redact=redact)
    return sum(deliver(notification_id=row.pk) == NotificationStatus.SENT for row in rows)


def _policy() -> RetryPolicy:
    return RetryPolicy(
        attempts_per_channel=settings.NOTIFY_ATTEMPTS_PER_CHANNEL,
        first_delay_seconds=float(settings.NOTIFY_RETRY_FIRST_DELAY_SECONDS),
    )


def preferences_of(user: User | None) -> Preferences:
    if user is None:
        return Preferences()
    muted: set[str] = set()
    disabled: dict[str, frozenset[Medium]] = {}
    for pref in NotificationPreference.objects.filter(user=user):
        if pref.muted:
            muted.add(pref.kind)
        mediums = {m.strip() for m in pref.disabled_mediums.split(",") if m.strip()}
        disabled[pref.kind] = frozenset(Medium(m) for m in mediums if m in Medium.__members__.values())
    return Preferences(muted_kinds=frozenset(muted), disabled=disabled)


def _message(row: Notification) -> Message:
    texts = catalog.render(row.kind, row.params, language=row.language)
    name = row.user.full_name if row.user is not None else ""
    return Message(
        kind=row.kind,
        recipient=Recipient(email=row.email or None, phone=row.phone or None, name=name),
        idempotency_key=f"{row.event_key}:{row.recipient_key}",
        language=row.language,
        subject=texts.subject,
        text=texts.text + "\n\n— Chợ Phiên",
        short_text=texts.short_text,
        params=dict(row.params),
    )


def _attempts(row: Notification) -> list[Attempt]:
    return [
        Attempt(
            channel_id=a.channel_id,
            result=DeliveryResult(
                ok=a.ok,
                channel_id=a.channel_id,
                error=DeliveryError(a.error) if a.error else None,
                retryable=a.retryable,
                fallback=a.fallback,
                retry_after_seconds=a.retry_after_seconds,
            ),
            at=a.at,
        )
        for a in row.attempts.all()
    ]


def _finish(row: Notification, status: str, *, channel_id: str = "", error: str = "") -> None:
    update: dict[str, Any] = {"status": status, "channel_id": channel_id, "error": error}
    if status == NotificationStatus.SENT:
        update["sent_at"] = clock()
    if row.redact:
        update["params"] = {}
    Notification.objects.filter(pk=row.pk, status=NotificationStatus.PENDING).update(**update)


def deliver(*, notification_id: int) -> str:
    """One run of a notification's delivery (see the module). Returns the status it leaves."""
    row = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if row is None or row.status != NotificationStatus.PENDING:
        return row.status if row is not None else "GONE"
    available = channels.channels()
    by_id = {c.id: c for c in available}
    message = _message(row)
    plan = plan_delivery(
        kind=row.kind,
        channels=available,
        recipient=message.recipient,
        now=clock(),
        preferences=preferences_of(row.user),
        policies=catalog.DEFAULT_KIND_POLICIES,
        quiet_hours=quiet_hours_from_env(_environ()),
    )
    if plan.suppressed:
        _finish(row, NotificationStatus.SUPPRESSED)
        return NotificationStatus.SUPPRESSED
    attempts = _attempts(row)
    for _ in range(2 * len(plan.channels) * settings.NOTIFY_ATTEMPTS_PER_CHANNEL + 2):
        step = next_step(plan, attempts, now=clock(), policy=_policy())
        if step.kind is StepKind.DELIVERED:
            _finish(row, NotificationStatus.SENT, channel_id=step.channel_id or "")
            return NotificationStatus.SENT
        if step.kind is StepKind.EXHAUSTED:
            error = step.error.value if step.error else "NO_CHANNEL"
            _finish(row, NotificationStatus.FAILED, error=error)
            logger.warning("notification %s failed: %s", row.pk, error)
            return NotificationStatus.FAILED
        if step.kind is StepKind.WAIT:
            enqueue(
                kind=DELIVER_KIND,
                key=f"notification:{row.pk}:{len(attempts)}:{int(clock().timestamp())}",
                payload={"notification_id": row.pk},
                available_at=clock() + timedelta(seconds=step.delay_seconds),
            )
            return NotificationStatus.PENDING
        assert step.channel_id is not None
        if DeliveryAttempt.objects.filter(notification=row, ok=True).exists():
            return NotificationStatus.SENT  # sent by a concurrent run
        result = by_id[step.channel_id].send(message)
        attempt = DeliveryAttempt.objects.create(
            notification=row,
            channel_id=result.channel_id,
            ok=result.ok,
            error=result.error.value if result.error else "",
            retryable=result.retryable,
            fallback=result.fallback,
            provider_code=result.provider_code[:40],
            provider_message_id=(result.provider_message_id or "")[:100],
            retry_after_seconds=result.retry_after_seconds,
            at=clock(),
        )
        attempts.append(Attempt(channel_id=step.channel_id, result=result, at=attempt.at))
    return NotificationStatus.PENDING


def _environ() -> Mapping[str, str]:
    return {"NOTIFY_QUIET_HOURS": settings.NOTIFY_QUIET_HOURS}


def set_preference(*, user: User, kind: str, muted: bool = False, disabled_mediums: Iterable[str] = ()) -> None:
    """Record one choice. Transactional kinds cannot be muted (their mediums can be turned off; the
    planner still sends on one when every medium is off)."""
    allowed = {m.value for m in Medium}
    mediums = ",".join(sorted({m for m in disabled_mediums if m in allowed}))
    mute = muted and not catalog.policy(kind).transactional
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"muted": mute, "disabled_mediums": mediums}
    )
