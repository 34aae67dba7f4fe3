"""Weekly schedules, blackout dates, capacity overrides and the business time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from backend.core.errors import ValidationFailed
from backend.experiences import services
from backend.experiences.models import BlackoutDate, Slot, SlotStatus
from backend.experiences.policy import clean_policy, refund_amount, refund_percent
from backend.experiences.schedules import occurrences
from storefront_api.core.ids import global_id
from tests.experiences.helpers import POLICY, make_tour

pytestmark = pytest.mark.django_db

SCHEDULE = """mutation($p: ID!, $input: ScheduleInput!) { experienceScheduleCreate(product: $p, input: $input) {
  schedule { id weekdays startTimes } slotsCreated errors { field code message } } }"""
SLOTS = """query($p: ID!, $from: Date!, $to: Date!) { experienceSlots(product: $p, dateFrom: $from, dateTo: $to) {
  id startsAt capacity remaining status } }"""


def _next(weekday: int, after: date) -> date:
    return after + timedelta(days=(weekday - after.weekday()) % 7 or 7)


def test_eight_in_the_morning_in_da_lat_is_one_in_the_morning_utc() -> None:
    starts = list(
        occurrences(
            weekdays=[0],
            start_times=["08:00"],
            valid_from=date(2026, 12, 7),
            valid_until=None,
            date_from=date(2026, 12, 7),
            date_to=date(2026, 12, 7),
            blackout=set(),
        )
    )
    assert len(starts) == 1
    assert starts[0].astimezone(UTC) == datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    assert timezone.localtime(starts[0]).hour == 8


def test_recurrence_follows_weekdays_times_dates_and_blackouts() -> None:
    monday = date(2026, 12, 7)
    starts = list(
        occurrences(
            weekdays=[0, 2],  # Monday and Wednesday
            start_times=["13:30", "08:00"],
            valid_from=monday,
            valid_until=monday + timedelta(days=13),
            date_from=monday - timedelta(days=30),
            date_to=monday + timedelta(days=60),
            blackout={monday + timedelta(days=2)},  # the first Wednesday is off
        )
    )
    local = [timezone.localtime(s) for s in starts]
    assert [(d.date().isoformat(), d.strftime("%H:%M")) for d in local] == [
        ("2026-12-07", "08:00"),
        ("2026-12-07", "13:30"),
        ("2026-12-14", "08:00"),
        ("2026-12-14", "13:30"),
        ("2026-12-16", "08:00"),
        ("2026-12-16", "13:30"),
    ]


def test_schedule_through_the_api_materialises_ninety_days_once(regions, gql, settings) -> None:
    tour = make_tour(capacity=12)
    today = timezone.localdate()
    result = gql(
        SCHEDULE,
        {
            "p": global_id("Product", tour.product.pk),
            "input": {"weekdays": [0, 1, 2, 3, 4, 5, 6], "startTimes": ["08:00"], "validFrom": today.isoformat()},
        },
        user=tour.staff,
    ).payload("experienceScheduleCreate")
    assert result["errors"] == []
    slots = Slot.objects.filter(product=tour.product)
    # Today's 08:00 may already be past; every later day up to the horizon has its slot.
    assert settings.EXPERIENCE_SLOT_HORIZON_DAYS <= slots.count() <= settings.EXPERIENCE_SLOT_HORIZON_DAYS + 1
    assert result["slotsCreated"] == slots.count()
    assert all(timezone.localtime(s.starts_at).strftime("%H:%M") == "08:00" for s in slots)
    assert services.expand_schedules() == 0  # the periodic task adds nothing twice
    # A day later the task tops the horizon up by one day.
    assert services.expand_schedules(now=timezone.now() + timedelta(days=1)) == 1
    listed = gql(
        SLOTS,
        {
            "p": global_id("Product", tour.product.pk),
            "from": today.isoformat(),
            "to": (today + timedelta(days=6)).isoformat(),
        },
        user=tour.staff,
    ).data["experienceSlots"]
    assert all(s["startsAt"].endswith("T08:00:00+07:00") for s in listed)
    assert all(s["capacity"] == 12 and s["remaining"] == 12 for s in listed)


def test_invalid_schedule_reports_every_problem(regions, gql) -> None:
    tour = make_tour()
    result = gql(
        SCHEDULE,
        {
            "p": global_id("Product", tour.product.pk),
            "input": {"weekdays": [7], "startTimes": ["25:00"], "validFrom": "2026-12-10", "validUntil": "2026-12-01"},
        },
        user=tour.staff,
    ).payload("experienceScheduleCreate")
    assert {e["field"] for e in result["errors"]} >= {"weekdays", "startTimes.0", "validUntil"}
    assert not Slot.objects.exists()


def test_blackout_withdraws_empty_slots_refuses_booked_days_and_comes_back(regions) -> None:
    tour = make_tour()
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.schedule_create(
        product=tour.product,
        actor=tour.staff,
        weekdays=list(range(7)),
        start_times=["08:00", "14:00"],
        valid_from=tomorrow,
    )
    day = tomorrow + timedelta(days=5)
    on_day = Slot.objects.filter(product=tour.product, starts_at__date__gte=day - timedelta(days=1))
    assert sum(1 for s in on_day if timezone.localtime(s.starts_at).date() == day) == 2
    services.blackout_add(product=tour.product, actor=tour.staff, day=day, reason="Lễ hội hoa")
    assert not [s for s in Slot.objects.filter(product=tour.product) if timezone.localtime(s.starts_at).date() == day]
    assert services.expand_schedules() == 0  # the blackout holds on the next run
    # A booked day cannot be blacked out without cancelling (and refunding) first.
    booked_day = day + timedelta(days=1)
    slot = next(
        s for s in Slot.objects.filter(product=tour.product) if timezone.localtime(s.starts_at).date() == booked_day
    )
    Slot.objects.filter(pk=slot.pk).update(booked=2)
    with pytest.raises(ValidationFailed) as refused:
        services.blackout_add(product=tour.product, actor=tour.staff, day=booked_day)
    assert "08:00" in str(refused.value.details[0].message)
    services.blackout_remove(blackout=BlackoutDate.objects.get(date=day), actor=tour.staff)
    assert (
        sum(1 for s in Slot.objects.filter(product=tour.product) if timezone.localtime(s.starts_at).date() == day) == 2
    )


def test_capacity_override_never_below_booked_and_schedule_delete_keeps_booked_slots(regions) -> None:
    tour = make_tour(capacity=12)
    slot = tour.slot(days=3)
    Slot.objects.filter(pk=slot.pk).update(booked=5)
    with pytest.raises(ValidationFailed):
        services.slot_update(slot=slot, actor=tour.staff, capacity=4)
    updated = services.slot_update(slot=slot, actor=tour.staff, capacity=20)
    assert updated.capacity == 20 and updated.capacity_overridden
    # A later change of the experience's capacity leaves overridden slots alone.
    services.experience_update(product=tour.product, actor=tour.staff, data=services.ExperienceData(capacity=8))
    assert Slot.objects.get(pk=slot.pk).capacity == 20
    schedule = services.schedule_create(
        product=tour.product, actor=tour.staff, weekdays=[0], start_times=["09:00"], valid_from=timezone.localdate()
    )
    created = list(Slot.objects.filter(schedule=schedule))
    assert created and all(s.capacity == 8 for s in created)
    Slot.objects.filter(pk=created[0].pk).update(booked=1)
    kept = services.schedule_delete(schedule=schedule, actor=tour.staff)
    assert [s.pk for s in kept] == [created[0].pk]
    assert Slot.objects.filter(pk__in=[s.pk for s in created]).count() == 1
    assert Slot.objects.get(pk=created[0].pk).status == SlotStatus.OPEN


def test_cancellation_policy_tiers() -> None:
    policy = clean_policy([{"hours_before": 24, "refund_percent": 50}, {"hours_before": 72, "refund_percent": 100}])
    assert policy == POLICY
    start = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)
    assert refund_percent(policy, starts_at=start, now=start - timedelta(hours=100)) == 100
    assert refund_percent(policy, starts_at=start, now=start - timedelta(hours=72)) == 100
    assert refund_percent(policy, starts_at=start, now=start - timedelta(hours=71, minutes=59)) == 50
    assert refund_percent(policy, starts_at=start, now=start - timedelta(hours=23)) == 0
    assert refund_percent(policy, starts_at=start, now=start + timedelta(hours=1)) == 0
    assert refund_amount(750_001, 50) == 375_000  # whole đồng, rounded down
    with pytest.raises(ValidationFailed):
        clean_policy([{"hours_before": 72, "refund_percent": 20}, {"hours_before": 24, "refund_percent": 50}])
    with pytest.raises(ValidationFailed):
        clean_policy([{"hours_before": 72, "refund_percent": 120}])
