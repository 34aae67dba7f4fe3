"""The dated rate table and the one rounding rule.

Rounding (written down in docs/compliance-tax.md and tested): tax is computed once per seller order
and tax category, on that category's gross revenue, as `revenue × basis points / 10 000` rounded
half up to the whole đồng (`(revenue × bp + 5 000) // 10 000`). A partial refund reverses the
category's tax pro rata, rounded down, so reversals never exceed what was withheld; the refund that
completes a full refund reverses exactly what is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backend.catalog.models import TaxCategory
from backend.tax.models import TaxRate

# Decree 117/2025/NĐ-CP, in force 1 July 2025 (seeded by migration 0002; editable in the admin).
DECREE_117 = "Nghị định 117/2025/NĐ-CP"
DECREE_117_FROM = date(2025, 7, 1)
DECREE_117_RATES: dict[str, tuple[int, int]] = {
    TaxCategory.GOODS: (100, 50),
    TaxCategory.SERVICE: (500, 200),
    TaxCategory.TRANSPORT: (300, 150),
}


class NoRateInForce(LookupError):
    """No rate of that category has started by that day (a configuration error)."""


@dataclass(frozen=True)
class Rate:
    category: str
    vat_bp: int
    pit_bp: int
    unknown: bool = False


def tax_of(amount: int, bp: int) -> int:
    """`amount` × `bp` / 10 000, rounded half up to the đồng (amount ≥ 0)."""
    return (amount * bp + 5_000) // 10_000


def share_of(tax: int, *, part: int, whole: int) -> int:
    """The part of `tax` that `part` of `whole` carries, rounded down."""
    return tax * part // whole if whole else 0


def rates_on(day: date) -> dict[str, Rate]:
    """Every category's rate in force on `day`: the latest TaxRate row that started on or before
    it, else (a table emptied by hand or by a test flush) Decree 117's rates from 1 July 2025."""
    found: dict[str, Rate] = {}
    for row in TaxRate.objects.filter(valid_from__lte=day).order_by("category", "-valid_from"):
        found.setdefault(row.category, Rate(category=row.category, vat_bp=row.vat_bp, pit_bp=row.pit_bp))
    if day >= DECREE_117_FROM:
        for category, (vat_bp, pit_bp) in DECREE_117_RATES.items():
            found.setdefault(str(category), Rate(category=str(category), vat_bp=vat_bp, pit_bp=pit_bp))
    return found


def rate_for(category: str | None, *, rates: dict[str, Rate]) -> Rate:
    """The rate of `category`, or the highest one in force when the category is unknown."""
    if category and category in rates:
        return rates[category]
    if not rates:
        raise NoRateInForce(category)
    highest = max(rates.values(), key=lambda r: (r.vat_bp + r.pit_bp, r.vat_bp))
    return Rate(category=highest.category, vat_bp=highest.vat_bp, pit_bp=highest.pit_bp, unknown=True)
