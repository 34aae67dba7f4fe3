"""Which channels to try for one message, in which order, and from when: pure, no network, no clock of its own.

Rules (issue 22): the default order is Zalo -> SMS -> e-mail; a person may turn channels off per kind
and turn off kinds that are not transactional, but transactional kinds (orders, tickets, refunds, OTPs…)
cannot be turned off: when the person's choices would leave no channel, they are set aside. Non-urgent
kinds wait for the end of quiet hours (Asia/Ho_Chi_Minh, default 21:00-07:00)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from messaging.base import Channel, Medium, Recipient


def _vietnam_tz() -> tzinfo:
    try:
        return ZoneInfo("Asia/Ho_Chi_Minh")
    except ZoneInfoNotFoundError:  # no tz database: Vietnam keeps UTC+7 all year
        return timezone(timedelta(hours=7), "ICT")


VIETNAM_TZ = _vietnam_tz()
DEFAULT_ORDER: tuple[Medium, ...] = (Medium.ZALO, Medium.SMS, Medium.EMAIL)
PHONE_ONLY: tuple[Medium, ...] = (Medium.ZALO, Medium.SMS)


@dataclass(frozen=True)
class KindPolicy:
    transactional: bool = True  # cannot be turned off by the recipient
    urgent: bool = False  # sent during quiet hours too
    mediums: tuple[Medium, ...] = DEFAULT_ORDER  # where this kind may go at all


# The kinds issue 22 lists. The backend owns the catalogue and may pass its own mapping; an unknown kind
# is treated as transactional and not urgent.
DEFAULT_KIND_POLICIES: Mapping[str, KindPolicy] = {
    # A code that proves a phone number must reach that phone.
    "otp": KindPolicy(urgent=True, mediums=PHONE_ONLY),
    "password.reset": KindPolicy(urgent=True),
    "order.placed": KindPolicy(urgent=True),  # the buyer has just acted and waits for it
    "order.confirmed": KindPolicy(),
    "order.shipped": KindPolicy(),
    "order.delivered": KindPolicy(),
    "order.cancelled": KindPolicy(),
    "order.new_for_seller": KindPolicy(),
    "cod.to_collect": KindPolicy(),
    "refund.issued": KindPolicy(),
    "booking.ticket": KindPolicy(urgent=True),  # a tourist may be at the gate
    "booking.cancelled": KindPolicy(),
    "seller.application_approved": KindPolicy(),
    "seller.application_rejected": KindPolicy(),
    "complaint.updated": KindPolicy(),
    "officer.alert": KindPolicy(),
    "helper.consent": KindPolicy(urgent=True, mediums=PHONE_ONLY),  # a household confirms a helper by OTP
    "marketing.news": KindPolicy(transactional=False),
}


@dataclass(frozen=True)
class QuietHours:
    start: time = time(21, 0)
    end: time = time(7, 0)
    tz: tzinfo = VIETNAM_TZ

    @classmethod
    def parse(cls, text: str | None) -> QuietHours | None:
        """`"21:00-07:00"` -> QuietHours; `""` or `"off"` -> None (no quiet hours). Raises ValueError."""
        if not text or text.strip().lower() in {"off", "none", "0"}:
            return None
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-", 1))
        return cls(start=start, end=end)

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(self.tz).time()
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end  # spans midnight

    def next_end(self, moment: datetime) -> datetime:
        """The first end of quiet hours after `moment` (aware, in the quiet hours' zone)."""
        local = moment.astimezone(self.tz)
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        return end if end > local else end + timedelta(days=1)


@dataclass(frozen=True)
class Preferences:
    """One person's choices, as the backend stores them."""

    muted_kinds: frozenset[str] = frozenset()  # honoured only for kinds that are not transactional
    disabled: Mapping[str, frozenset[Medium]] = field(default_factory=dict)  # per kind; "*" for every kind
    order: tuple[Medium, ...] | None = None  # the person's own order of mediums
    quiet_hours: QuietHours | None = None  # the person's own, else the platform's


class SkipReason(StrEnum):
    NOT_ALLOWED = "NOT_ALLOWED"  # this kind never goes by this medium
    NOT_AVAILABLE = "NOT_AVAILABLE"  # no channel of this medium is configured
    NO_ADDRESS = "NO_ADDRESS"  # the recipient has no usable address for it
    OPTED_OUT = "OPTED_OUT"  # the recipient turned it off


@dataclass(frozen=True)
class DeliveryPlan:
    kind: str
    channels: tuple[str, ...]  # channel ids to try, in order
    not_before: datetime | None = None  # wait until then (quiet hours)
    skipped: Mapping[Medium, SkipReason] = field(default_factory=dict)
    suppressed: bool = False  # the recipient turned this (non-transactional) kind off
    preferences_overridden: bool = False  # transactional: the recipient's opt-outs would have left nothing

    @property
    def empty(self) -> bool:
        return not self.channels


def plan_delivery(
    *,
    kind: str,
    channels: Sequence[Channel],
    recipient: Recipient,
    now: datetime,
    preferences: Preferences | None = None,
    policies: Mapping[str, KindPolicy] = DEFAULT_KIND_POLICIES,
    quiet_hours: QuietHours | None = QuietHours(),
    order: Sequence[Medium] = DEFAULT_ORDER,
) -> DeliveryPlan:
    """The ordered channels for one message to one recipient. `now` must be timezone-aware."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    prefs = preferences or Preferences()
    policy = policies.get(kind, KindPolicy())
    if not policy.transactional and kind in prefs.muted_kinds:
        return DeliveryPlan(kind=kind, channels=(), suppressed=True)
    by_medium: dict[Medium, Channel] = {}
    for channel in channels:
        by_medium.setdefault(channel.medium, channel)
    turned_off = prefs.disabled.get(kind, frozenset()) | prefs.disabled.get("*", frozenset())
    personal = [m for m in prefs.order or () if m in order]
    wanted = personal + [m for m in order if m not in personal]
    skipped: dict[Medium, SkipReason] = {}
    reachable: list[Medium] = []
    for medium in wanted:
        candidate = by_medium.get(medium)
        if medium not in policy.mediums:
            skipped[medium] = SkipReason.NOT_ALLOWED
        elif candidate is None:
            skipped[medium] = SkipReason.NOT_AVAILABLE
        elif not candidate.can_address(recipient):
            skipped[medium] = SkipReason.NO_ADDRESS
        else:
            reachable.append(medium)
    chosen = [m for m in reachable if m not in turned_off]
    overridden = False
    if policy.transactional and not chosen and reachable:
        chosen, overridden = reachable, True  # a transactional message must go somewhere
    else:
        skipped.update({m: SkipReason.OPTED_OUT for m in reachable if m not in chosen})
    quiet = prefs.quiet_hours or quiet_hours
    not_before = quiet.next_end(now) if quiet is not None and not policy.urgent and quiet.contains(now) else None
    return DeliveryPlan(
        kind=kind,
        channels=tuple(by_medium[m].id for m in chosen),
        not_before=not_before,
        skipped=skipped,
        preferences_overridden=overridden,
    )
