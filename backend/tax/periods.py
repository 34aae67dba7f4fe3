"""Declaration periods in local time: months (due by the 20th of the next month) and quarters."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

DUE_DAY = 20  # Decree 117/2025: declared by the 20th of the following month


def month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def next_month(period: date) -> date:
    return date(period.year + (period.month == 12), period.month % 12 + 1, 1)


def due_date(period: date) -> date:
    return next_month(period).replace(day=DUE_DAY)


def quarter_months(year: int, quarter: int) -> tuple[date, date]:
    """First day of the quarter's first month and of the month after the quarter."""
    first = date(year, 3 * (quarter - 1) + 1, 1)
    return first, next_month(next_month(next_month(first)))


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())
