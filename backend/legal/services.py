"""Recording acceptances. Called inside the transaction of the act (sign-up, application, checkout)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from backend.legal.documents import LegalDocument
from backend.legal.models import Acceptance


def acceptance_record(
    *,
    user: Any,
    context: str,
    documents: Iterable[LegalDocument],
    seller_id: int | None = None,
    order_id: int | None = None,
) -> list[Acceptance]:
    """One row per document with the version in force now."""
    person = user if getattr(user, "is_authenticated", False) else None
    return Acceptance.objects.bulk_create(
        Acceptance(
            user=person,
            document=document.slug,
            version=document.version,
            context=context,
            seller_id=seller_id,
            order_id=order_id,
        )
        for document in documents
    )
