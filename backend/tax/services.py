"""Writes of the tax app besides the withholding itself: closing a declared month."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may, place_of
from backend.core.errors import InvalidTransition, ValidationFailed
from backend.moderation.services import audit_record
from backend.regions.models import Province
from backend.tax.models import TaxPeriodClose
from backend.tax.periods import next_month
from backend.tax.selectors import check_period, monthly_declaration


@transaction.atomic
def tax_period_close(*, actor: Any, province: Province, year: int, month: int, note: str = "") -> TaxPeriodClose:
    """Record that the province's month was declared, with the totals declared (once per month)."""
    ensure_may(actor=actor, act=Act.TAX_PERIOD_CLOSE, place=place_of(province=province))
    period = check_period(year, month)
    if next_month(period) > timezone.localdate():
        raise ValidationFailed(_("A month can be closed only after it has ended."), field="month")
    declaration = monthly_declaration(actor=actor, province=province, year=year, month=month)
    try:
        with transaction.atomic():
            closed = TaxPeriodClose.objects.create(
                province=province,
                period=period,
                closed_by=actor,
                vat=declaration.withheld.vat_net,
                pit=declaration.withheld.pit_net,
                note=note[:2000],
            )
    except IntegrityError as exc:
        raise InvalidTransition(_("This month is already closed.")) from exc
    audit_record(actor=actor, action="tax.period_close", target=closed, reason=f"{period:%m/%Y}")
    return closed
