"""Retry, then fall back: what to do next for one message, given the attempts made so far.

`next_step` is pure: the backend's Celery task loads the attempts it recorded, asks for the next step,
then sends now, re-queues itself with the step's delay, or records the final state. `deliver` runs the
same decisions in a loop in one process (eager mode, the development server, tests)."""

from __future__ import annotations

import time as time_module
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from messaging.base import Channel, DeliveryError, DeliveryResult, Message
from messaging.planner import DeliveryPlan


@dataclass(frozen=True)
class RetryPolicy:
    attempts_per_channel: int = 3  # before falling back to the next channel
    first_delay_seconds: float = 30.0
    factor: float = 4.0  # 30 s, 2 min, 8 min…
    max_delay_seconds: float = 1800.0

    def delay(self, failures: int, result: DeliveryResult) -> float:
        """Seconds to wait after the `failures`-th failure on a channel (the provider's Retry-After wins if longer)."""
        backoff = min(self.max_delay_seconds, self.first_delay_seconds * self.factor ** max(0, failures - 1))
        return max(backoff, float(result.retry_after_seconds or 0))


@dataclass(frozen=True)
class Attempt:
    channel_id: str
    result: DeliveryResult
    at: datetime


class StepKind(StrEnum):
    SEND = "SEND"  # send on `channel_id` now
    WAIT = "WAIT"  # come back after `delay_seconds`, then send on `channel_id`
    DELIVERED = "DELIVERED"  # a channel accepted the message
    EXHAUSTED = "EXHAUSTED"  # every channel failed, or failed in a way no other channel can help


@dataclass(frozen=True)
class Step:
    kind: StepKind
    channel_id: str | None = None
    delay_seconds: float = 0.0
    error: DeliveryError | None = None  # the last failure, for EXHAUSTED


def next_step(
    plan: DeliveryPlan, attempts: Sequence[Attempt], *, now: datetime, policy: RetryPolicy | None = None
) -> Step:
    policy = policy or RetryPolicy()
    delivered = next((a for a in attempts if a.result.ok), None)
    if delivered is not None:
        return Step(StepKind.DELIVERED, channel_id=delivered.channel_id)
    if not attempts and plan.not_before is not None and now < plan.not_before:
        first = plan.channels[0] if plan.channels else None
        return Step(StepKind.WAIT, channel_id=first, delay_seconds=(plan.not_before - now).total_seconds())
    last_error: DeliveryError | None = None
    for channel_id in plan.channels:
        tries = [a for a in attempts if a.channel_id == channel_id]
        if not tries:
            return Step(StepKind.SEND, channel_id=channel_id)
        last = tries[-1]
        last_error = last.result.error
        if last.result.retryable and len(tries) < policy.attempts_per_channel:
            due = last.at + timedelta(seconds=policy.delay(len(tries), last.result))
            if now >= due:
                return Step(StepKind.SEND, channel_id=channel_id)
            return Step(StepKind.WAIT, channel_id=channel_id, delay_seconds=(due - now).total_seconds())
        if not last.result.fallback:
            return Step(StepKind.EXHAUSTED, error=last_error)
    return Step(StepKind.EXHAUSTED, error=last_error)


@dataclass
class DeliveryOutcome:
    step: Step
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def delivered_by(self) -> str | None:
        return self.step.channel_id if self.step.kind is StepKind.DELIVERED else None


def deliver(
    message: Message,
    plan: DeliveryPlan,
    channels: Mapping[str, Channel],
    *,
    policy: RetryPolicy | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    sleep: Callable[[float], None] = time_module.sleep,
    attempts: Sequence[Attempt] = (),
) -> DeliveryOutcome:
    """Send `message` following `plan` until a channel accepts it or none is left (blocking: sleeps between
    retries). Channel ids in the plan must be keys of `channels`."""
    outcome = DeliveryOutcome(step=Step(StepKind.EXHAUSTED), attempts=list(attempts))
    budget = 2 * len(plan.channels) * (policy or RetryPolicy()).attempts_per_channel + 2  # sends and waits
    for _ in range(budget):
        step = next_step(plan, outcome.attempts, now=clock(), policy=policy)
        if step.kind is StepKind.WAIT:
            sleep(step.delay_seconds)
            continue
        if step.kind is not StepKind.SEND or step.channel_id is None:
            outcome.step = step
            return outcome
        result = channels[step.channel_id].send(message)
        outcome.attempts.append(Attempt(channel_id=step.channel_id, result=result, at=clock()))
    outcome.step = next_step(plan, outcome.attempts, now=clock(), policy=policy)
    return outcome
