"""Write side of reviews: write, edit, reply, hide.

Who: only the buyer of a delivered line (goods) or of an attended experience whose slot has ended
writes, once per line (once per booking for an experience), within REVIEW_WINDOW_DAYS, and edits
within REVIEW_EDIT_DAYS (each edit keeps a revision); the seller's staff answer once, publicly; a
province admin covering the seller hides for a listed reason (audited). Nobody deletes a review.
Hiding takes the text and photos out of view but not the stars: moderation is about what a review
says, never a lever on a seller's rating.

Locks: the review row (edits, replies, hides), then the product and the seller rows for the
counters (`counters.count_stars`), always in that order.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import User
from backend.accounts.permissions import Act, ensure_may
from backend.accounts.phones import normalize_vn_phone
from backend.core import throttle
from backend.core.errors import DomainError, InvalidTransition, PermissionDenied, Throttled, ValidationFailed
from backend.core.text import fold
from backend.experiences.models import BookingStatus
from backend.moderation.models import ListingReport, ReportReason
from backend.moderation.reports import listing_report_create
from backend.moderation.services import audit_record
from backend.orders.models import OrderLine, SellerOrderStatus
from backend.reviews import counters
from backend.reviews.models import HideReason, Review, ReviewRevision
from backend.reviews.photos import clean_photos, store_photos
from backend.sellers.models import Seller
from backend.sellers.permissions import seller_place

MAX_TEXT = 4000
MAX_REPLY = 2000


class NotReviewable(DomainError):
    default_code = "NOT_REVIEWABLE"
    default_message = _("Only a buyer who received this product (or took part in this experience) can review it.")


@dataclass(frozen=True)
class Reviewable:
    """What a line's review would be about, and from when it may be written."""

    product_id: int
    seller_id: int
    since: datetime


def phone_digest(phone: str) -> str:
    """A keyed hash of a Vietnamese phone number (E.164): comparable, not readable."""
    try:
        e164 = normalize_vn_phone(phone)
    except ValidationFailed:
        e164 = "".join(ch for ch in phone if ch.isdigit())
    return hmac.new(settings.SECRET_KEY.encode(), f"review-phone:{e164}".encode(), hashlib.sha256).hexdigest()


def reviewable(line: OrderLine, *, now: datetime) -> Reviewable:
    """Why `line` cannot be reviewed now (NotReviewable, REVIEW_WINDOW_CLOSED), or what its review is about."""
    seller_order = line.seller_order
    if seller_order.status == SellerOrderStatus.CANCELLED:
        raise NotReviewable()
    booking = line.booking
    if booking is not None:
        attended = any(t.checked_in_at is not None for t in booking.tickets.all())
        if booking.status != BookingStatus.CONFIRMED or not attended:
            raise NotReviewable(_("Only a participant whose ticket was checked in can review this experience."))
        if booking.slot.ends_at > now:
            raise NotReviewable(_("You can review this experience once it has ended."))
        since, product_id = booking.slot.ends_at, booking.product_id
    else:
        if seller_order.delivered_at is None or line.variant is None:
            raise NotReviewable()
        since, product_id = seller_order.delivered_at, line.variant.product_id
    if now > since + timedelta(days=settings.REVIEW_WINDOW_DAYS):
        raise DomainError(
            _("Reviews are written within %(days)s days of delivery.") % {"days": settings.REVIEW_WINDOW_DAYS},
            code="REVIEW_WINDOW_CLOSED",
        )
    return Reviewable(product_id=product_id, seller_id=seller_order.seller_id, since=since)


def shown_name(user: User, fallback: str) -> str:
    """ "Lan N." from "Nguyễn Thị Lan": the given name (last word) and the family name's initial."""
    words = (user.full_name or fallback or "").split()
    if not words:
        return str(_("A buyer"))
    return words[-1] if len(words) == 1 else f"{words[-1]} {words[0][0]}."


def _suspicion(*, seller: Seller, author: User, digest: str, street: str, commune_id: int | None) -> str:
    """Why a review looks like the seller's own: its staff, their phone, or the seller's address."""
    staff = list(User.objects.filter(seller_memberships__seller=seller).values_list("pk", "phone"))
    if any(pk == author.pk for pk, _phone in staff):
        return "SELLER_STAFF"
    phones = [seller.phone, *(phone for _pk, phone in staff if phone)]
    if any(hmac.compare_digest(phone_digest(p), digest) for p in phones if p):
        return "SELLER_PHONE"
    if street and seller.address and commune_id == seller.commune_id and fold(street) == fold(seller.address):
        return "SELLER_ADDRESS"
    return ""


def _text(value: str, *, limit: int, field: str) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationFailed(_("At most %(n)s characters.") % {"n": limit}, field=field)
    return text


def _stars(value: int) -> int:
    if not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationFailed(_("Give 1 to 5 stars."), field="stars")
    return value


def _rate_limited(actor: User) -> None:
    rule = throttle.Rule("review-write", settings.REVIEW_RATE_PER_HOUR, 3600)
    if not throttle.attempt([(rule, str(actor.pk))]):
        raise Throttled()


@transaction.atomic
def review_create(
    *,
    line: OrderLine,
    actor: Any,
    stars: int,
    text: str = "",
    photos: Sequence[IO[bytes]] = (),
    now: datetime | None = None,
) -> Review:
    """The buyer's review of a delivered line (or an attended experience): once per line, within
    the window, one account per phone. Flags a review that looks like the seller's own."""
    order = line.seller_order.order
    ensure_may(actor=actor, act=Act.REVIEW_WRITE, place=seller_place(line.seller_order.seller, buyer_id=order.user_id))
    moment = now or timezone.now()
    about = reviewable(line, now=moment)
    stars, text = _stars(stars), _text(text, limit=MAX_TEXT, field="text")
    cleaned = clean_photos(list(photos))
    taken = Review.objects.filter(order_line=line)
    if line.booking_id is not None:
        taken = Review.objects.filter(order_line__booking_id=line.booking_id)
    if taken.exists():
        raise DomainError(_("You have already reviewed this purchase."), code="ALREADY_REVIEWED")
    digest = phone_digest(order.phone)
    if Review.objects.filter(phone_digest=digest).exclude(author=actor).exists():
        raise PermissionDenied(_("Another account has already written reviews with this phone number."))
    _rate_limited(actor)
    seller = line.seller_order.seller
    try:
        with transaction.atomic():
            review = Review.objects.create(
                order_line=line,
                product_id=about.product_id,
                seller=seller,
                author=actor,
                author_name=shown_name(actor, order.full_name),
                phone_digest=digest,
                stars=stars,
                text=text,
                suspicion=_suspicion(
                    seller=seller, author=actor, digest=digest, street=order.street, commune_id=order.commune_id
                ),
            )
    except IntegrityError:  # the same line reviewed meanwhile (a double submit)
        raise DomainError(_("You have already reviewed this purchase."), code="ALREADY_REVIEWED") from None
    store_photos(review, cleaned)
    counters.count_stars(product_id=about.product_id, seller_id=seller.pk, add=stars)
    return review


def _locked(review: Review) -> Review:
    return Review.objects.select_for_update().select_related("seller__commune").get(pk=review.pk)


@transaction.atomic
def review_update(
    *,
    review: Review,
    actor: Any,
    stars: int,
    text: str = "",
    photos: Sequence[IO[bytes]] = (),
    now: datetime | None = None,
) -> Review:
    """The author edits stars and text (and adds photos) within REVIEW_EDIT_DAYS; the previous
    version is kept as a revision."""
    ensure_may(actor=actor, act=Act.REVIEW_WRITE, place=seller_place(review.seller, buyer_id=review.author_id))
    locked = _locked(review)
    moment = now or timezone.now()
    if locked.hidden_at is not None:
        raise InvalidTransition(_("A review hidden by moderation cannot be edited."))
    if moment > locked.created_at + timedelta(days=settings.REVIEW_EDIT_DAYS):
        raise DomainError(
            _("A review can be edited within %(days)s days.") % {"days": settings.REVIEW_EDIT_DAYS},
            code="EDIT_WINDOW_CLOSED",
        )
    stars, text = _stars(stars), _text(text, limit=MAX_TEXT, field="text")
    cleaned = clean_photos(list(photos), already=locked.photos.count())
    ReviewRevision.objects.create(
        review=locked, stars=locked.stars, text=locked.text, written_at=locked.edited_at or locked.created_at
    )
    before = locked.stars
    locked.stars, locked.text, locked.edited_at = stars, text, moment
    locked.save(update_fields=["stars", "text", "edited_at"])
    store_photos(locked, cleaned, start=locked.photos.count())
    if before != stars:
        counters.count_stars(product_id=locked.product_id, seller_id=locked.seller_id, add=stars, remove=before)
    return locked


@transaction.atomic
def review_reply(*, review: Review, actor: Any, text: str) -> Review:
    """The seller's one public answer."""
    ensure_may(actor=actor, act=Act.REVIEW_REPLY, place=seller_place(review.seller))
    text = _text(text, limit=MAX_REPLY, field="text")
    if not text:
        raise ValidationFailed(_("Write your reply."), field="text")
    locked = _locked(review)
    if locked.replied_at is not None:
        raise DomainError(_("This review already has your reply."), code="ALREADY_REPLIED")
    locked.reply_text, locked.replied_at, locked.replied_by = text, timezone.now(), actor
    locked.save(update_fields=["reply_text", "replied_at", "replied_by"])
    return locked


@transaction.atomic
def review_hide(*, review: Review, actor: Any, reason: str, note: str = "") -> Review:
    """A province admin of the seller's place hides a review for a listed reason (audited); it then
    shows as "hidden by moderation". Sellers cannot."""
    ensure_may(actor=actor, act=Act.REVIEW_HIDE, place=seller_place(review.seller))
    try:
        reason = HideReason(reason)
    except ValueError:
        raise ValidationFailed(_("Choose a listed reason."), field="reason") from None
    locked = _locked(review)
    if locked.hidden_at is not None:
        raise InvalidTransition(_("This review is already hidden."))
    locked.hidden_at, locked.hidden_reason, locked.hidden_by = timezone.now(), reason, actor
    locked.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    audit_record(
        actor=actor,
        action="review.hide",
        target=locked,
        reason=f"{reason.label}: {note}" if note else str(reason.label),
        status_before="VISIBLE",
        status_after="HIDDEN",
    )
    return locked


def review_report(*, review: Review, reporter: Any, note: str = "") -> ListingReport:
    """Report a review to the province admins through the listing reports of its product (reason
    REVIEW, the note naming the review); they hide it with `review_hide`."""
    note = _text(note, limit=1500, field="note")
    text = f"{_('Review')} #{review.pk}: {note}" if note else f"{_('Review')} #{review.pk}"
    return listing_report_create(reporter=reporter, product=review.product, reason=ReportReason.REVIEW, note=text)
