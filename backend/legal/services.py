"""Recording acceptances and consents. Called inside the transaction of the act (sign-up, application,
checkout); consents are withdrawn by their person. This app sits below accounts: it knows users only as
the auth model and never imports the accounts app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.errors import PermissionDenied, ValidationFailed
from backend.legal.documents import PRIVACY_NOTICE, LegalDocument
from backend.legal.models import Acceptance, Consent, ConsentChannel, ConsentPurpose


def active_user(user: Any) -> Any:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return user


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


def consent_record(
    *, user: Any, purpose: str, channel: str = "API", email: str = "", order_id: int | None = None
) -> Consent:
    """An explicit consent to `purpose` with the privacy notice version in force."""
    person = user if getattr(user, "is_authenticated", False) else None
    return Consent.objects.create(
        user=person,
        email=(email or "")[:254],
        purpose=purpose,
        notice_version=PRIVACY_NOTICE.version,
        channel=channel if channel in ConsentChannel.values else ConsentChannel.API,
        order_id=order_id,
    )


@transaction.atomic
def consent_grant(*, user: Any, purpose: str, channel: str = "API") -> Consent:
    """The signed-in person opts in (marketing); a consent already in force is returned as it is."""
    person = active_user(user)
    if person is None:
        raise PermissionDenied()
    if purpose not in ConsentPurpose.values:
        raise ValidationFailed(_("Choose what you agree to."), field="purpose")
    current = Consent.objects.filter(user=person, purpose=purpose, withdrawn_at__isnull=True).first()
    return current or consent_record(user=person, purpose=purpose, channel=channel)


@transaction.atomic
def consent_withdraw(*, user: Any, purpose: str) -> int:
    """Withdraw every consent in force for `purpose`; how many were withdrawn."""
    person = active_user(user)
    if person is None:
        raise PermissionDenied()
    if purpose not in ConsentPurpose.values:
        raise ValidationFailed(_("Choose what you agree to."), field="purpose")
    return Consent.objects.filter(user=person, purpose=purpose, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


def consents_of(*, user: Any) -> QuerySet[Consent]:
    person = active_user(user)
    return Consent.objects.filter(user=person) if person is not None else Consent.objects.none()
