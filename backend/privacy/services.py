"""Personal data rights (Decree 13/2023/NĐ-CP; Law 91/2025/QH15): download my data, delete my account,
tracked requests with deadlines, retention.

Deleting an account erases or pseudonymises what identifies the person, but never a money record: the
orders keep their number, lines, amounts and commune (needed for the ledger, refunds and the tax
records of Decree 117/2025), with the buyer replaced by a pseudonym; ledger rows are untouched, so every
seller's balance stays what it was.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import User
from backend.accounts.permissions import active_user
from backend.checkout.models import Checkout
from backend.core.errors import PermissionDenied, ValidationFailed
from backend.legal.models import Acceptance, Consent
from backend.moderation.services import audit_record
from backend.orders.models import Order
from backend.privacy.models import DataRequest, DataRequestKind, DataRequestStatus
from backend.sellers.models import IdentityVerification


def _person(user: Any) -> User:
    person = active_user(user)
    if person is None:
        raise PermissionDenied()
    return person


def _deadline(kind: str) -> timedelta:
    hours = (
        settings.PRIVACY_DELETE_DEADLINE_HOURS
        if kind == DataRequestKind.DELETE
        else settings.PRIVACY_EXPORT_DEADLINE_HOURS
    )
    return timedelta(hours=hours)


def _request(user: User, kind: str) -> DataRequest:
    return DataRequest.objects.create(user=user, kind=kind, due_at=timezone.now() + _deadline(kind))


def _iso(value: Any) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def data_export(*, user: Any) -> dict[str, Any]:
    """Everything the platform holds about the signed-in person, as plain JSON-ready data. Recorded as a
    request answered at once. ID numbers stay masked even here (the person has the card)."""
    person = _person(user)
    request = _request(person, DataRequestKind.EXPORT)
    orders = Order.objects.filter(user=person).prefetch_related("seller_orders__lines").order_by("created_at")
    data = {
        "account": {
            "email": person.email,
            "full_name": person.full_name,
            "phone": person.phone,
            "preferred_language": person.preferred_language,
            "date_joined": _iso(person.date_joined),
        },
        "consents": [
            {
                "purpose": c.purpose,
                "notice_version": c.notice_version,
                "channel": c.channel,
                "given_at": _iso(c.granted_at),
                "withdrawn_at": _iso(c.withdrawn_at),
            }
            for c in Consent.objects.filter(user=person).order_by("granted_at")
        ],
        "acceptances": [
            {"document": a.document, "version": a.version, "where": a.context, "at": _iso(a.accepted_at)}
            for a in Acceptance.objects.filter(user=person).order_by("accepted_at")
        ],
        "orders": [
            {
                "number": o.number,
                "placed_at": _iso(o.created_at),
                "recipient": o.full_name,
                "phone": o.phone,
                "street": o.street,
                "total": o.total,
                "lines": [
                    {"product": line.product_name, "quantity": line.quantity, "price": line.unit_price}
                    for seller_order in o.seller_orders.all()
                    for line in seller_order.lines.all()
                ],
            }
            for o in orders
        ],
        "seller_memberships": list(person.seller_memberships.values_list("seller__name", "role")),
    }
    request.status, request.completed_at = DataRequestStatus.DONE, timezone.now()
    request.save(update_fields=["status", "completed_at"])
    return data


@transaction.atomic
def account_delete(*, user: Any, password: str) -> DataRequest:
    """Erase the person's account (confirmed with the password): personal fields blanked, the account
    disabled, consents withdrawn, orders pseudonymised, ledger and tax records kept as they are."""
    person = _person(user)
    if not person.check_password(password or ""):
        raise ValidationFailed(_("The password is not correct."), field="password")
    if person.is_superuser or person.is_platform_staff:
        raise ValidationFailed(_("Staff accounts are closed by the operator."))
    request = _request(person, DataRequestKind.DELETE)
    pseudonym = f"deleted-{person.pk}"
    now = timezone.now()
    Order.objects.filter(user=person).update(email="", full_name=pseudonym, phone="", street="", user=None)
    Checkout.objects.filter(user=person, completed_at__isnull=True).delete()
    Consent.objects.filter(user=person, withdrawn_at__isnull=True).update(withdrawn_at=now)
    person.email = f"{pseudonym}@deleted.invalid"
    person.full_name = ""
    person.phone = ""
    person.is_active = False
    person.set_unusable_password()
    person.save()
    audit_record(actor=None, action="privacy.account_deleted", target=request, reason=pseudonym)
    request.status, request.completed_at = DataRequestStatus.DONE, now
    request.save(update_fields=["status", "completed_at"])
    return request


def data_requests_overdue(*, user: Any) -> QuerySet[DataRequest]:
    """Open requests past their deadline, for platform staff and province admins."""
    viewer = active_user(user)
    if viewer is None or not (viewer.is_superuser or viewer.is_platform_staff or viewer.is_province_admin):
        raise PermissionDenied()
    return DataRequest.objects.filter(status=DataRequestStatus.OPEN, due_at__lt=timezone.now()).order_by("due_at")


def enforce_retention(*, now: Any = None) -> dict[str, int]:
    """Delete what has outlived its retention period (settings RETENTION_*): ID card photos of decided
    verifications, and the contact details of carts abandoned without an order."""
    moment = now or timezone.now()
    photos_before = moment - timedelta(days=settings.RETENTION_IDENTITY_PHOTOS_DAYS)
    photos = 0
    decided = IdentityVerification.objects.filter(decided_at__lt=photos_before).exclude(front_photo="", back_photo="")
    for verification in decided:
        for photo in (verification.front_photo, verification.back_photo):
            if photo:
                photo.delete(save=False)
                photos += 1
        verification.save(update_fields=["front_photo", "back_photo"])
    carts_before = moment - timedelta(days=settings.RETENTION_ABANDONED_CHECKOUT_DAYS)
    carts = Checkout.objects.filter(completed_at__isnull=True, updated_at__lt=carts_before).update(
        email="", full_name="", phone="", street=""
    )
    return {"identity_photos": photos, "checkouts": carts}
