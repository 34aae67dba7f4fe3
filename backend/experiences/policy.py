"""Cancellation policies: tiers of "cancel at least N hours ahead, get P % back".

A policy is a list of {"hours_before": int, "refund_percent": int}. The buyer gets the share of the
first tier (largest `hours_before` first) whose notice they gave; later than every tier, nothing.
An empty policy means no refund once booked.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from backend.core.errors import ErrorDetail, ValidationFailed

MAX_TIERS = 6


def clean_policy(raw: Any, *, field: str = "cancellationPolicy") -> list[dict[str, int]]:
    """Validate and normalise a policy (sorted by notice, longest first); all problems at once."""
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_TIERS:
        raise ValidationFailed(_("Give at most %(max)s cancellation tiers.") % {"max": MAX_TIERS}, field=field)
    errors: list[ErrorDetail] = []
    tiers: dict[int, int] = {}
    for index, tier in enumerate(raw):
        try:
            hours = int(tier["hours_before"])
            percent = int(tier["refund_percent"])
        except (KeyError, TypeError, ValueError):
            errors.append(ErrorDetail(code="INVALID", field=f"{field}.{index}", message=_("Incomplete tier.")))
            continue
        if not 0 <= hours <= 24 * 365:
            errors.append(
                ErrorDetail(
                    code="INVALID",
                    field=f"{field}.{index}.hoursBefore",
                    message=_("Hours before the start must be between 0 and 8760."),
                )
            )
        elif not 0 <= percent <= 100:
            errors.append(
                ErrorDetail(
                    code="INVALID",
                    field=f"{field}.{index}.refundPercent",
                    message=_("The refund must be between 0 and 100 %."),
                )
            )
        elif hours in tiers:
            errors.append(
                ErrorDetail(
                    code="INVALID", field=f"{field}.{index}.hoursBefore", message=_("Two tiers with the same notice.")
                )
            )
        else:
            tiers[hours] = percent
    if errors:
        raise ValidationFailed(details=errors)
    ordered = sorted(tiers.items(), reverse=True)
    for (_longer, more), (_shorter, less) in itertools.pairwise(ordered):
        if less > more:
            raise ValidationFailed(_("A later cancellation cannot refund more than an earlier one."), field=field)
    return [{"hours_before": hours, "refund_percent": percent} for hours, percent in ordered]


def refund_percent(policy: list[dict[str, int]], *, starts_at: datetime, now: datetime) -> int:
    """The share refunded when cancelling at `now` a booking for a slot starting at `starts_at`."""
    if now >= starts_at:
        return 0
    notice_hours = (starts_at - now).total_seconds() / 3600
    for tier in sorted(policy, key=lambda t: -int(t["hours_before"])):
        if notice_hours >= int(tier["hours_before"]):
            return int(tier["refund_percent"])
    return 0


def refund_amount(total: int, percent: int) -> int:
    """Whole đồng, rounded down (the platform never refunds more than the policy says)."""
    return total * percent // 100


def describe(policy: list[dict[str, int]]) -> list[str]:
    """Human sentences for a policy, e.g. “Full refund until 72 h before the start”."""
    lines = []
    for tier in policy:
        hours, percent = tier["hours_before"], tier["refund_percent"]
        if percent == 100:
            lines.append(str(_("Full refund until %(hours)s h before the start") % {"hours": hours}))
        elif percent == 0:
            lines.append(str(_("No refund from %(hours)s h before the start") % {"hours": hours}))
        else:
            lines.append(
                str(
                    _("%(percent)s %% refund until %(hours)s h before the start") % {"percent": percent, "hours": hours}
                )
            )
    lines.append(str(_("No refund after that")) if policy else str(_("No refund once booked")))
    return lines
