"""The published documents, in the page's language, linked from every page's footer."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from backend.legal.documents import BY_SLUG, DOCUMENTS


def operator_context() -> dict[str, str]:
    return {
        "operator_name": settings.PLATFORM_OPERATOR_NAME,
        "operator_address": settings.PLATFORM_OPERATOR_ADDRESS,
        "operator_tax_code": settings.PLATFORM_OPERATOR_TAX_CODE,
        "operator_email": settings.PLATFORM_OPERATOR_EMAIL,
        "operator_phone": settings.PLATFORM_OPERATOR_PHONE,
        "moit_number": settings.MOIT_REGISTRATION_NUMBER,
        "moit_url": settings.MOIT_REGISTRATION_URL,
        "dpo_email": settings.DATA_PROTECTION_EMAIL,
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "legal/index.html", {"documents": DOCUMENTS})


@require_GET
def document(request: HttpRequest, slug: str) -> HttpResponse:
    found = BY_SLUG.get(slug)
    if found is None:
        raise Http404("no such document")
    language = "en" if (get_language() or "vi").startswith("en") else "vi"
    context = {"document": found, "body": f"legal/{language}/{found.slug}.html", **operator_context()}
    return render(request, "legal/document.html", context)
