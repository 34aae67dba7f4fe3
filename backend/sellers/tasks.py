"""E-mails about sellers, delivered by the outbox after the deciding transaction commits.

Each mail is written in the recipient's preferred language (Vietnamese by
default); recipients sharing a language get one mail together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.accounts.selectors import province_admins, user_by_email
from backend.moderation.models import AuditEntry
from backend.notifications.services import To, notify_now
from backend.outbox.registry import handler
from backend.sellers.models import MembershipRole, Seller, SellerInvitation, SellerStatus


def _group_by_language(recipients: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for email, language in recipients:
        key = email.strip().lower()
        if key and key not in seen:
            seen.add(key)
            groups[language or settings.LANGUAGE_CODE].append(email.strip())
    return groups


def _send(recipients: Iterable[tuple[str, str]], compose: Callable[[], tuple[str, str]]) -> int:
    sent = 0
    for language, emails in _group_by_language(recipients).items():
        with translation.override(language):
            subject, body = compose()
        sent += send_mail(subject, body, None, emails)
    return sent


def _owner_recipients(seller: Seller) -> list[tuple[str, str]]:
    owners = User.objects.filter(
        is_active=True, seller_memberships__seller=seller, seller_memberships__role=MembershipRole.OWNER
    ).order_by("pk")
    recipients = [(owner.email, owner.preferred_language) for owner in owners if owner.email]
    if seller.email:
        recipients.append((seller.email, settings.LANGUAGE_CODE))
    return recipients


def _decision_text(seller: Seller, action: str) -> tuple[str, str]:
    values = {"name": seller.name, "reason": seller.status_reason}
    if seller.status == SellerStatus.APPROVED and action == "seller.reinstate":
        subject = _("Your shop %(name)s has been reinstated") % values
        body = _("%(name)s is active again on Chợ Phiên: your products are visible and buyers can order.") % values
    elif seller.status == SellerStatus.APPROVED:
        subject = _("Your shop %(name)s has been approved") % values
        body = _("Good news: %(name)s is approved on Chợ Phiên. Your published products are now visible to buyers.") % (
            values
        )
    elif seller.status == SellerStatus.REJECTED:
        subject = _("Your application for %(name)s was not approved") % values
        body = _("We could not approve %(name)s on Chợ Phiên.") % values
    elif seller.status == SellerStatus.SUSPENDED:
        subject = _("Your shop %(name)s has been suspended") % values
        body = (
            _(
                "%(name)s is suspended on Chợ Phiên: its products are hidden and no new orders can be placed "
                "until it is reinstated."
            )
            % values
        )
    else:
        subject = _("Your application for %(name)s is being reviewed") % values
        body = _("We received the application of %(name)s and will review it soon.") % values
    if seller.status_reason:
        body += "\n\n" + _("Reason or note from the moderator: %(reason)s") % values
    return subject, body + "\n\n— Chợ Phiên"


@handler("sellers.status")
def notify_seller_status(seller_id: int, action: str = "") -> int:
    """Tell the seller's owners (and its contact address) about its current status."""
    seller = Seller.objects.filter(pk=seller_id).first()
    if seller is None:
        return 0
    last = action or (
        AuditEntry.objects.filter(target_type="seller", target_id=seller.pk, status_after=seller.status)
        .values_list("action", flat=True)
        .first()
    )
    if seller.status in DECISION_KINDS and last != "seller.reinstate":
        return _notify_decision(seller)
    sent = _send(_owner_recipients(seller), lambda: _decision_text(seller, last or ""))
    return sent + _notify_phone_only_owners(seller, last or "")


def _notify_phone_only_owners(seller: Seller, action: str) -> int:
    """Owners without an e-mail hear of a suspension or a reinstatement on Zalo or by SMS, once each."""
    kind = {SellerStatus.SUSPENDED: "seller.suspended"}.get(SellerStatus(seller.status))
    if action == "seller.reinstate" and seller.status == SellerStatus.APPROVED:
        kind = "seller.reinstated"
    owners = list(
        User.objects.filter(
            is_active=True,
            email__isnull=True,
            seller_memberships__seller=seller,
            seller_memberships__role=MembershipRole.OWNER,
        ).order_by("pk")
    )
    if kind is None or not owners:
        return 0
    return notify_now(
        kind=kind,
        event_key=f"seller:{seller.pk}:{seller.status}:{seller.status_changed_at.timestamp():.0f}",
        recipients=owners,
        params={"seller": seller.name, "reason": seller.status_reason},
    )


DECISION_KINDS = {
    SellerStatus.APPROVED: "seller.application_approved",
    SellerStatus.REJECTED: "seller.application_rejected",
}


def _notify_decision(seller: Seller) -> int:
    """An application's approval or rejection reaches every owner through notifications (Zalo, SMS or
    e-mail, in their language) and the seller's contact address by e-mail; once per decision."""
    owners = User.objects.filter(
        is_active=True, seller_memberships__seller=seller, seller_memberships__role=MembershipRole.OWNER
    ).order_by("pk")
    recipients: list[User | To] = list(owners)
    known = {owner.email.lower() for owner in owners if owner.email}
    if seller.email and seller.email.lower() not in known:
        recipients.append(To(email=seller.email, language=settings.LANGUAGE_CODE))
    return notify_now(
        kind=DECISION_KINDS[SellerStatus(seller.status)],
        event_key=f"seller:{seller.pk}:{seller.status}:{seller.status_changed_at.timestamp():.0f}",
        recipients=recipients,
        params={"seller": seller.name, "reason": seller.status_reason},
    )


@handler("sellers.application")
def notify_seller_application(seller_id: int) -> int:
    """Tell the province admins covering the seller's commune that it awaits review."""
    seller = Seller.objects.select_related("commune").filter(pk=seller_id).first()
    if seller is None or seller.status != SellerStatus.PENDING:
        return 0
    admins = province_admins(province_id=seller.commune.province_id, commune_id=seller.commune_id)
    url = settings.PUBLIC_URL + reverse("admin:sellers_seller_change", args=[seller.pk])

    def compose() -> tuple[str, str]:
        values = {"name": seller.name, "kind": seller.get_kind_display(), "commune": seller.commune.name, "url": url}
        subject = _("New seller application: %(name)s") % values
        body = _("%(name)s (%(kind)s, %(commune)s) applied to sell on Chợ Phiên and awaits your review.") % values
        return subject, body + "\n\n" + url

    return _send(((admin.email, admin.preferred_language) for admin in admins if admin.email), compose)


@handler("sellers.invitation")
def send_seller_invitation(invitation_id: int, token: str) -> int:
    """Mail the invitation code to the invited address (the token is not stored in clear)."""
    invitation = SellerInvitation.objects.select_related("seller", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.accepted_at is not None:
        return 0
    invitee = user_by_email(email=invitation.email)
    language = invitee.preferred_language if invitee is not None else settings.LANGUAGE_CODE

    def compose() -> tuple[str, str]:
        values = {
            "seller": invitation.seller.name,
            "inviter": invitation.invited_by.email if invitation.invited_by else "Chợ Phiên",
            "token": token,
            "date": date_format(localtime(invitation.expires_at), "DATE_FORMAT"),
        }
        subject = _("You are invited to join %(seller)s on Chợ Phiên") % values
        body = (
            _(
                "%(inviter)s invited you to the staff of %(seller)s on Chợ Phiên.\n\n"
                "Sign in (or register) with this e-mail address and accept the invitation with this code:\n\n"
                "%(token)s\n\nThe invitation expires on %(date)s."
            )
            % values
        )
        return subject, body

    return _send([(invitation.email, language)], compose)
