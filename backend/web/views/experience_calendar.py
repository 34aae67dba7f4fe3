"""The month calendar of an experience page: the days with free places, then the chosen day's slots.

One month at a time (`?month=2026-12`), a day chosen by `?day=2026-12-05` (by default the first day
with places). Availability comes from `experiences.selectors.availability`, one call per month shown.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby

from django.conf import settings
from django.utils import timezone

from backend.experiences.selectors import SlotView, availability

LOOKAHEAD_MONTHS = 2  # months tried when the one asked for has no free place


@dataclass(frozen=True)
class DayCell:
    day: date
    places: int  # free places over the day's bookable slots
    slots: int

    @property
    def bookable(self) -> bool:
        return self.places > 0


@dataclass
class MonthCalendar:
    month: date  # the first day of the month shown
    weeks: list[list[DayCell | None]]  # Monday first; None pads the weeks
    day: date | None  # the chosen day
    slots: list[SlotView] = field(default_factory=list)  # the chosen day's slots
    previous: date | None = None  # first days of the neighbouring months, when they can have slots
    next: date | None = None

    @property
    def first_open(self) -> int | None:
        """The chosen day's first slot with places (preselected)."""
        return next((view.slot.pk for view in self.slots if view.remaining), None)


def _month_of(value: str, today: date) -> date:
    try:
        year, month = (int(part) for part in value.split("-")[:2])
        return date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


def _add_month(first: date, months: int = 1) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (ValueError, TypeError):
        return None


def _slots_by_day(product_id: int, first: date, today: date) -> dict[date, list[SlotView]]:
    last = _add_month(first) - timedelta(days=1)
    start = max(first, today)
    if start > last:
        return {}
    views = availability(product_id=product_id, date_from=start, date_to=last)
    return {
        day: list(group)
        for day, group in groupby(views, key=lambda view: timezone.localtime(view.slot.starts_at).date())
    }


def month_calendar(*, product_id: int, month: str = "", day: str = "", today: date | None = None) -> MonthCalendar:
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    horizon = _add_month((today + timedelta(days=settings.EXPERIENCE_SLOT_HORIZON_DAYS)).replace(day=1))
    first = min(max(_month_of(month, today), this_month), horizon)
    by_day = _slots_by_day(product_id, first, today)
    # Nothing free in the month asked for by default: show the next one that has places.
    for _attempt in range(LOOKAHEAD_MONTHS if not month else 0):
        if any(view.remaining for views in by_day.values() for view in views) or first >= horizon:
            break
        first = _add_month(first)
        by_day = _slots_by_day(product_id, first, today)
    cells: dict[date, DayCell] = {
        d: DayCell(day=d, places=sum(v.remaining for v in views), slots=len(views)) for d, views in by_day.items()
    }
    weeks: list[list[DayCell | None]] = []
    for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append(
            [(cells.get(d) or DayCell(day=d, places=0, slots=0)) if d.month == first.month else None for d in week]
        )
    chosen = _day(day)
    if chosen not in cells:
        chosen = next((d for d in sorted(cells) if cells[d].bookable), None)
    return MonthCalendar(
        month=first,
        weeks=weeks,
        day=chosen,
        slots=by_day.get(chosen, []) if chosen else [],
        previous=_add_month(first, -1) if first > this_month else None,
        next=_add_month(first) if _add_month(first) <= horizon else None,
    )
