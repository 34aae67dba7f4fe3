"""Links to sellers' private documents: short-lived, signed for one viewer, checked again on use.

A document is only ever streamed by `backend.sellers.views.document_file`, to the seller's staff
and the province admins covering its commune (the `seller.document.view` act). The API hands each
allowed viewer a link signed with SECRET_KEY for that viewer and that document, valid
DOCUMENT_LINK_SECONDS; the view checks the act again for the viewer the link names (a link of a
viewer who has since lost access stops working). Signed-in web sessions need no link.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse

from backend.accounts.models import User
from backend.accounts.permissions import Act, active_user, may
from backend.sellers.models import SellerDocument
from backend.sellers.permissions import seller_place

DOCUMENT_LINK_SECONDS = 10 * 60
_SALT = "backend.sellers.documents.link"


def may_view_document(*, user: Any, document: SellerDocument) -> bool:
    return may(user, Act.SELLER_DOCUMENT_VIEW, seller_place(document.seller))


def document_link(*, document: SellerDocument, viewer: Any) -> str:
    """An absolute link to the document for `viewer` (who must be allowed to see it)."""
    path = reverse("sellers:document", args=[document.pk])
    actor = active_user(viewer)
    if actor is None:
        return settings.PUBLIC_URL + path
    token = signing.dumps([document.pk, actor.pk], salt=_SALT, compress=False)
    return f"{settings.PUBLIC_URL}{path}?{urlencode({'t': token})}"


def viewer_of_link(*, document_id: int, token: str) -> User | None:
    """The active user a valid, unexpired link for this document was signed for."""
    try:
        signed_document, user_id = signing.loads(token, salt=_SALT, max_age=DOCUMENT_LINK_SECONDS)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if signed_document != document_id:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()
