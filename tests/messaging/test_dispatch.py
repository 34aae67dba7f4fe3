"""Retry, then fall back: with failing transports and fakes, through the same decisions a Celery task uses."""

from __future__ import annotations

from datetime import datetime, timedelta

from adapter_http import HttpRequest, HttpResponse, TransportError
from messaging.base import DeliveryError, DeliveryResult, Medium, Recipient
from messaging.dispatch import Attempt, RetryPolicy, Step, StepKind, deliver, next_step
from messaging.planner import VIETNAM_TZ, DeliveryPlan, plan_delivery
from messaging.sandbox import FlakyChannel, ListSink, SandboxChannel
from tests.messaging.conftest import esms, fresh_tokens, order_message, recorded, zalo

START = datetime(2026, 11, 26, 12, 0, tzinfo=VIETNAM_TZ)


class Clock:
    """A clock that only moves when the dispatcher sleeps."""

    def __init__(self) -> None:
        self.now = START
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)


class FailingTransport:
    """Zalo's API never answers."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, request: HttpRequest, timeout: float) -> HttpResponse:
        self.calls += 1
        raise TransportError("timed out")


def test_a_failing_zalo_is_retried_with_backoff_then_sms_takes_over() -> None:
    failing = FailingTransport()
    zns, _ = zalo(failing, tokens=fresh_tokens(access="access-old"))
    sms_transport = recorded("esms_send.json")
    sms = esms(sms_transport)
    email = SandboxChannel(Medium.EMAIL, ListSink())
    channels = [zns, sms, email]
    plan = plan_delivery(kind="order.placed", channels=channels, recipient=order_message().recipient, now=START)
    assert plan.channels == ("zalo_zns", "esms", "sandbox_email")
    clock = Clock()
    outcome = deliver(
        order_message(), plan, {c.id: c for c in channels}, policy=RetryPolicy(), clock=clock, sleep=clock.sleep
    )
    assert failing.calls == 3  # three attempts on Zalo…
    assert clock.slept == [30.0, 120.0]  # …with backoff between them
    assert outcome.delivered_by == "esms" and sms_transport.done  # then SMS, once
    assert [a.channel_id for a in outcome.attempts] == ["zalo_zns"] * 3 + ["esms"]
    assert all(a.result.error is DeliveryError.PROVIDER_UNAVAILABLE for a in outcome.attempts[:3])


def test_a_permanent_failure_falls_back_at_once() -> None:
    no_zalo = FlakyChannel(Medium.ZALO, failures=99, error=DeliveryError.RECIPIENT_UNREACHABLE, retryable=False)
    sms = FlakyChannel(Medium.SMS, failures=0)
    plan = DeliveryPlan(kind="otp", channels=(no_zalo.id, sms.id))
    clock = Clock()
    outcome = deliver(order_message(), plan, {no_zalo.id: no_zalo, sms.id: sms}, clock=clock, sleep=clock.sleep)
    assert outcome.delivered_by == sms.id and no_zalo.calls == 1 and clock.slept == []


def test_a_transient_failure_recovers_on_the_same_channel() -> None:
    flaky = FlakyChannel(Medium.ZALO, failures=2)
    other = FlakyChannel(Medium.SMS, failures=0)
    plan = DeliveryPlan(kind="order.shipped", channels=(flaky.id, other.id))
    clock = Clock()
    outcome = deliver(order_message(), plan, {flaky.id: flaky, other.id: other}, clock=clock, sleep=clock.sleep)
    assert outcome.delivered_by == flaky.id and other.calls == 0 and len(flaky.sent) == 1


def test_everything_failing_is_exhausted_with_the_last_error() -> None:
    a = FlakyChannel(Medium.ZALO, failures=99)
    b = FlakyChannel(Medium.SMS, failures=99, error=DeliveryError.INSUFFICIENT_BALANCE, retryable=False)
    clock = Clock()
    outcome = deliver(
        order_message(),
        DeliveryPlan(kind="x", channels=(a.id, b.id)),
        {a.id: a, b.id: b},
        policy=RetryPolicy(attempts_per_channel=2),
        clock=clock,
        sleep=clock.sleep,
    )
    assert outcome.step == Step(StepKind.EXHAUSTED, error=DeliveryError.INSUFFICIENT_BALANCE)
    assert (a.calls, b.calls, outcome.delivered_by) == (2, 1, None)


def failed(
    channel_id: str, *, retryable: bool = True, fallback: bool = True, after: int | None = None
) -> DeliveryResult:
    return DeliveryResult.failed(
        channel_id,
        DeliveryError.PROVIDER_UNAVAILABLE,
        retryable=retryable,
        fallback=fallback,
        retry_after_seconds=after,
    )


def test_next_step_is_what_a_task_asks_between_runs() -> None:
    plan = DeliveryPlan(kind="x", channels=("zalo_zns", "esms"))
    assert next_step(plan, [], now=START) == Step(StepKind.SEND, channel_id="zalo_zns")
    one = [Attempt("zalo_zns", failed("zalo_zns"), START)]
    assert next_step(plan, one, now=START + timedelta(seconds=10)) == Step(
        StepKind.WAIT, channel_id="zalo_zns", delay_seconds=20.0
    )
    assert next_step(plan, one, now=START + timedelta(seconds=30)).kind is StepKind.SEND
    slow = [Attempt("zalo_zns", failed("zalo_zns", after=600), START)]
    assert next_step(plan, slow, now=START).delay_seconds == 600.0  # the provider's Retry-After wins
    final = [Attempt("zalo_zns", failed("zalo_zns", fallback=False, retryable=False), START)]
    assert next_step(plan, final, now=START).kind is StepKind.EXHAUSTED
    done = [*one, Attempt("esms", DeliveryResult.sent("esms", "1"), START)]
    assert next_step(plan, done, now=START) == Step(StepKind.DELIVERED, channel_id="esms")


def test_quiet_hours_delay_the_first_send_only() -> None:
    plan = DeliveryPlan(kind="x", channels=("esms",), not_before=START + timedelta(hours=8))
    assert next_step(plan, [], now=START) == Step(StepKind.WAIT, channel_id="esms", delay_seconds=8 * 3600.0)
    assert next_step(plan, [], now=START + timedelta(hours=8)).kind is StepKind.SEND


def test_backoff_is_capped() -> None:
    policy = RetryPolicy(first_delay_seconds=60, factor=10, max_delay_seconds=900)
    assert [policy.delay(n, failed("x")) for n in (1, 2, 3)] == [60.0, 600.0, 900.0]


def test_an_empty_plan_is_exhausted_without_sending() -> None:
    assert deliver(order_message(recipient=Recipient()), DeliveryPlan(kind="x", channels=()), {}).step.kind is (
        StepKind.EXHAUSTED
    )
