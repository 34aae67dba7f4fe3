"""Province console (`/province/`): the seller queue, listing reports and the audit log.

Province admins only, and only in their scope: every row comes from the moderation selectors
(`moderation_queue`, `listing_reports_for`, `audit_entries_for`), every act from the services
the GraphQL mutations call, which check the scope again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from backend.core.errors import DomainError
from backend.core.text import search_key
from backend.moderation.models import ReportStatus
from backend.moderation.reports import listing_report_dismiss, listing_reports_for, product_hide
from backend.moderation.selectors import audit_entries_for
from backend.sellers.models import Seller
from backend.sellers.selectors import documents_of, households_of, moderation_queue
from backend.sellers.services import seller_approve, seller_reinstate, seller_reject, seller_suspend
from backend.web.forms.province import DECISION_FIELDS, QueueFilterForm, ReasonForm
from backend.web.views.common import PageWindow, ViewFunc, add_domain_errors, login_redirect, page_number, signed_in

PAGE_SIZE = 50
DECISIONS: dict[str, Callable[..., Seller]] = {
    "approve": lambda seller, actor, text: seller_approve(seller=seller, actor=actor, note=text),
    "reject": lambda seller, actor, text: seller_reject(seller=seller, actor=actor, reason=text),
    "suspend": lambda seller, actor, text: seller_suspend(seller=seller, actor=actor, reason=text),
    "reinstate": lambda seller, actor, text: seller_reinstate(seller=seller, actor=actor, note=text),
}
DONE = {
    "approve": gettext_lazy("approved"),
    "reject": gettext_lazy("rejected"),
    "suspend": gettext_lazy("suspended"),
    "reinstate": gettext_lazy("reinstated"),
}


def admin_required(view: ViewFunc) -> ViewFunc:
    """Signed-in province admins (or superusers) only: others get 403, anonymous visitors the login."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not signed_in(request):
            return login_redirect(request)
        if not getattr(request.user, "is_province_admin", False):
            raise DjangoPermissionDenied("province admins only")
        return view(request, *args, **kwargs)

    return wrapper


@admin_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return redirect("province:queue")


@admin_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or {"status": "PENDING"})
    sellers = moderation_queue(user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            sellers = sellers.filter(status=data["status"])
        if data["kind"]:
            sellers = sellers.filter(kind=data["kind"])
        for word in search_key(data["search"] or "").split():
            sellers = sellers.filter(search_name__contains=word)
    window = PageWindow(number=page_number(request), size=PAGE_SIZE, total=sellers.count())
    rows = list(sellers[window.offset : window.offset + PAGE_SIZE])
    return render(
        request, "web/province/queue.html", {"form": form, "sellers": rows, "window": window, "section": "queue"}
    )


def _seller_in_scope(request: HttpRequest, pk: int) -> Seller:
    seller = moderation_queue(user=request.user).filter(pk=pk).first()
    if seller is None:
        raise Http404("not in your scope")
    return seller


def _seller_page(
    request: HttpRequest, seller: Seller, forms: dict[str, ReasonForm] | None = None, status: int = 200
) -> HttpResponse:
    forms = {name: ReasonForm(prefix=name, action=name) for name in DECISIONS} | (forms or {})
    context = {
        "seller": seller,
        "documents": documents_of(seller=seller),
        "households": households_of(seller=seller),
        "audit": audit_entries_for(user=request.user, target_type="seller", target_id=seller.pk)[:20],
        "forms": forms,
        "actions": _actions(seller),
        "section": "queue",
    }
    return render(request, "web/province/seller.html", context, status=status)


def _actions(seller: Seller) -> list[str]:
    return {
        "PENDING": ["approve", "reject"],
        "APPROVED": ["suspend"],
        "SUSPENDED": ["reinstate"],
    }.get(seller.status, [])


@admin_required
@require_GET
def seller_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _seller_page(request, _seller_in_scope(request, pk))


@admin_required
@require_POST
def seller_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in DECISIONS:
        raise Http404("unknown action")
    seller = _seller_in_scope(request, pk)
    form = ReasonForm(request.POST, prefix=action, action=action)
    if not form.is_valid():
        return _seller_page(request, seller, {action: form}, status=400)
    if not form.cleaned_data["confirmed"]:
        # A second look before anything changes: what will happen, to whom, with which reason.
        context = {"seller": seller, "action": action, "form": form, "section": "queue"}
        return render(request, "web/province/confirm.html", context)
    try:
        DECISIONS[action](seller, request.user, form.cleaned_data["reason"])
    except DomainError as exc:
        add_domain_errors(form, exc, DECISION_FIELDS)
        return _seller_page(request, seller, {action: form}, status=400)
    messages.success(request, _("%(seller)s: %(done)s.") % {"seller": seller.name, "done": DONE[action]})
    return HttpResponseRedirect(reverse("province:seller", args=[seller.pk]))


@admin_required
@require_GET
def seller_document(request: HttpRequest, pk: int, document_id: int) -> HttpResponseBase:
    """A seller's private document, for the admins of its commune only."""
    seller = _seller_in_scope(request, pk)
    document = documents_of(seller=seller).filter(pk=document_id).first()
    if document is None:
        raise Http404("no such document")
    return FileResponse(
        document.file.open("rb"), content_type=document.content_type, filename=document.original_name or "document"
    )


@admin_required
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ReportStatus.OPEN)
    if status not in ReportStatus.values:
        status = ReportStatus.OPEN
    found = listing_reports_for(user=request.user, status=status).select_related("product__seller", "reporter")
    window = PageWindow(number=page_number(request), size=PAGE_SIZE, total=found.count())
    context = {
        "reports": list(found[window.offset : window.offset + PAGE_SIZE]),
        "window": window,
        "status": status,
        "statuses": ReportStatus.choices,
        "section": "reports",
    }
    return render(request, "web/province/reports.html", context)


@admin_required
@require_POST
def report_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = listing_reports_for(user=request.user).select_related("product__seller__commune").filter(pk=pk).first()
    if report is None or action not in ("hide", "dismiss"):
        raise Http404("no such report")
    text = request.POST.get("reason", "")
    try:
        if action == "hide":
            product_hide(actor=request.user, product=report.product, reason=text)
            messages.success(request, _("The product is hidden from buyers."))
        else:
            listing_report_dismiss(actor=request.user, report=report, note=text)
            messages.success(request, _("The report is dismissed."))
    except DomainError as exc:
        for detail in exc.details:
            messages.error(request, str(detail.message))
    return HttpResponseRedirect(reverse("province:reports"))


@admin_required
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    entries = audit_entries_for(user=request.user)
    window = PageWindow(number=page_number(request), size=PAGE_SIZE, total=entries.count())
    context = {
        "entries": list(entries[window.offset : window.offset + PAGE_SIZE]),
        "window": window,
        "section": "audit",
    }
    return render(request, "web/province/audit.html", context)
