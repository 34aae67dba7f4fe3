"""Expanding weekly schedules into dated slot start times, in the business time zone.

A schedule "Mon, Wed at 08:00 from 1 Dec" means 08:00 on the wall clock in Asia/Ho_Chi_Minh, which is
01:00 UTC (Vietnam has no daylight saving time, but the conversion goes through the zone anyway).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.errors import ErrorDetail, ValidationFailed

MAX_START_TIMES = 12


def parse_time(value: str) -> time:
    hours, _sep, minutes = (value or "").strip().partition(":")
    return time(int(hours), int(minutes or 0))


def clean_weekdays(raw: Iterable[Any], *, field: str = "weekdays") -> list[int]:
    try:
        days = sorted({int(day) for day in raw})
    except (TypeError, ValueError):
        days = [-1]
    if not days or any(not 0 <= day <= 6 for day in days):
        raise ValidationFailed(_("Choose days of the week (0 = Monday … 6 = Sunday)."), field=field)
    return days


def clean_start_times(raw: Iterable[Any], *, field: str = "startTimes") -> list[str]:
    values = list(raw)
    errors = []
    cleaned: set[str] = set()
    for index, value in enumerate(values):
        try:
            start = parse_time(str(value))
        except ValueError:
            errors.append(
                ErrorDetail(code="INVALID", field=f"{field}.{index}", message=_("Write times as HH:MM, e.g. 08:00."))
            )
            continue
        cleaned.add(start.strftime("%H:%M"))
    if errors:
        raise ValidationFailed(details=errors)
    if not cleaned or len(cleaned) > MAX_START_TIMES:
        raise ValidationFailed(
            _("Give between 1 and %(max)s start times.") % {"max": MAX_START_TIMES}, code="REQUIRED", field=field
        )
    return sorted(cleaned)


def local_start(day: date, at: time) -> datetime:
    """The aware moment of `at` on `day` on the business wall clock."""
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


def occurrences(
    *,
    weekdays: Iterable[int],
    start_times: Iterable[str],
    valid_from: date,
    valid_until: date | None,
    date_from: date,
    date_to: date,
    blackout: set[date],
) -> Iterator[datetime]:
    """Every start of the schedule on the days [date_from, date_to] (both included)."""
    days = set(weekdays)
    times = sorted(parse_time(t) for t in start_times)
    first = max(valid_from, date_from)
    last = min(valid_until, date_to) if valid_until else date_to
    day = first
    while day <= last:
        if day.weekday() in days and day not in blackout:
            for at in times:
                yield local_start(day, at)
        day += timedelta(days=1)
