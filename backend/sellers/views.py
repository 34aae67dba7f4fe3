"""Sellers' private documents and ID card photos, streamed only to those allowed to see them; the identity
providers' callback."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backend.accounts.permissions import Act, may
from backend.core.errors import DomainError
from backend.sellers import identity
from backend.sellers.documents import may_view_document, viewer_of_link
from backend.sellers.models import IdentityVerification, SellerDocument
from backend.sellers.permissions import seller_place


@require_GET
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The seller's staff and the province admins covering its commune: through a signed link or
    their web session. Everyone else gets 404, as for a document that does not exist."""
    document = SellerDocument.objects.select_related("seller__commune").filter(pk=pk).first()
    if document is None:
        raise Http404("no such document")
    token = request.GET.get("t", "")
    viewer = viewer_of_link(document_id=document.pk, token=token) if token else request.user
    if not may_view_document(user=viewer, document=document):
        raise Http404("no such document")
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name or "document",
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def identity_callback(request: HttpRequest, reference: str) -> HttpResponse:
    """Where VNeID (or the sandbox) sends the browser back. The provider authenticates the answer; the
    page only says what happened and links to the seller portal."""
    query = {key: str(value) for key, value in request.GET.items()}
    try:
        verification = identity.identity_verification_callback(reference=reference, query=query)
    except DomainError as exc:
        return render(request, "sellers/identity_result.html", {"error": exc.details[0].message}, status=400)
    return render(request, "sellers/identity_result.html", {"verification": verification})


@require_GET
def identity_photo(request: HttpRequest, pk: int, side: str) -> FileResponse:
    """A CCCD photo, for the province admins who may review it (404 for everyone else)."""
    verification = IdentityVerification.objects.select_related("seller__commune").filter(pk=pk).first()
    if verification is None or side not in {"front", "back"}:
        raise Http404("no such photo")
    if not may(request.user, Act.SELLER_IDENTITY_REVIEW, seller_place(verification.seller)):
        raise Http404("no such photo")
    photo = verification.front_photo if side == "front" else verification.back_photo
    if not photo:
        raise Http404("no such photo")
    response = FileResponse(photo.open("rb"), content_type="image/png" if photo.name.endswith(".png") else "image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
