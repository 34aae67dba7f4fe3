"""Messages of moderation acts, delivered by the outbox after the recording transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.moderation.models import TakedownListing, TakedownRequest
from backend.notifications.services import notify_now
from backend.outbox.registry import handler


@handler("moderation.takedown")
def notify_takedown(request_id: int, seller_id: int) -> int:
    """Tell the seller's owners which listings were hidden, at whose request and why."""
    request = TakedownRequest.objects.filter(pk=request_id).first()
    if request is None:
        return 0
    listings = list(TakedownListing.objects.filter(request=request, seller_id=seller_id).select_related("product"))
    owners = User.objects.filter(
        is_active=True, seller_memberships__seller_id=seller_id, seller_memberships__role="OWNER"
    ).order_by("pk")
    sent = 0
    for owner in owners:
        if not owner.email:  # a phone-only owner hears it on Zalo or by SMS
            sent += notify_now(
                kind="seller.listings_hidden",
                event_key=f"takedown:{request.pk}:{seller_id}",
                recipients=[owner],
                params={
                    "count": len(listings),
                    "seller": listings[0].product.seller.name if listings else "",
                    "authority": request.authority,
                    "number": request.document_number,
                    "reason": request.reason,
                },
            )
            continue
        with translation.override(owner.preferred_language or settings.LANGUAGE_CODE):
            values = {
                "authority": request.authority,
                "number": request.document_number,
                "date": request.document_date.strftime("%d/%m/%Y"),
                "reason": request.reason,
                "listings": "\n".join(f"- {listing.product.name}" for listing in listings),
            }
            subject = _("Listings hidden at the request of %(authority)s") % values
            body = (
                _(
                    "At the request of %(authority)s (document %(number)s of %(date)s), these listings are "
                    "hidden from buyers:\n%(listings)s\n\nReason: %(reason)s\n\nContact the province officers "
                    "if you believe this is a mistake."
                )
                % values
            )
        sent += send_mail(subject, body + "\n\n— Chợ Phiên", None, [owner.email])
    return sent
