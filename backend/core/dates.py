"""Business dates: the Asia/Ho_Chi_Minh calendar days behind date filters."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def local_day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start, end) instants of the local business dates first..last, both included."""
    zone = timezone.get_default_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    return start, end
