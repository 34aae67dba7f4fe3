"""Sellers' private documents, streamed only to those allowed to see them (any mode, DEBUG included)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from backend.sellers.documents import may_view_document, viewer_of_link
from backend.sellers.models import SellerDocument


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
