"""Who the platform withholds for: the one place that reads a seller's tax status.

Decree 117/2025 makes the platform withhold for household businesses and individuals; cooperatives
and enterprises declare their own tax. Until the seller has its own `tax_status` field (issue 20,
seller identity work), the status follows from the seller's kind: HOUSEHOLD is withheld;
COOPERATIVE, ENTERPRISE and TOUR_OPERATOR (a licensed travel business) are not.
"""

from __future__ import annotations

from typing import Any

from backend.sellers.models import SellerKind

WITHHELD_STATUSES = frozenset({"HOUSEHOLD", "INDIVIDUAL"})
WITHHELD_KINDS = frozenset({SellerKind.HOUSEHOLD})


def seller_is_withheld(seller: Any) -> bool:
    """Does the platform withhold VAT and PIT on this seller's sales?"""
    status = getattr(seller, "tax_status", "") or ""
    if status:
        return str(status).upper() in WITHHELD_STATUSES
    return seller.kind in WITHHELD_KINDS
