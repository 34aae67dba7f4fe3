"""HTTP endpoints of the payment gateways: server-to-server notifications, the VNPay browser return
page (display only) and the dev sandbox page. Thin: every state change goes through
`backend.orders.payments.handle_notification`, exactly as a gateway's own message would."""

from __future__ import annotations

import ipaddress
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from backend.core.gateways import configured_gateway
from backend.core.net import client_ip
from backend.core.text import format_dong
from backend.orders.models import Payment, PaymentStatus
from backend.orders.payments import InboundMessage, handle_notification
from payments.base import HttpLikeRequest, InvalidSignature, NotificationStatus
from payments.registry import GATEWAY_CLASSES
from payments.sandbox import SandboxGateway


def _source_ip(request: HttpRequest) -> str | None:
    """The sender's address (REMOTE_ADDR, or what TRUSTED_PROXY_COUNT proxies saw), when it is one."""
    candidate = client_ip(request)
    if not candidate:
        return None
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def _query(request: HttpRequest) -> dict[str, str]:
    """The query string as received (blank values kept: they take part in some signatures)."""
    return dict(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True))


def _notify(request: HttpRequest, gateway_id: str) -> HttpResponse:
    reply = handle_notification(
        InboundMessage(
            gateway_id=gateway_id,
            method=request.method or "",
            path=request.path,
            query=_query(request),
            body=request.body,
            headers=dict(request.headers),
            source_ip=_source_ip(request),
        )
    )
    if reply is None:
        raise Http404("payment gateway not configured")
    return HttpResponse(reply.body, status=reply.status, content_type=reply.content_type)


_NOTIFY_METHODS = {cls.id: cls.notify_method for cls in GATEWAY_CLASSES if cls.notify_path}


@csrf_exempt
def notify(request: HttpRequest, gateway_id: str) -> HttpResponse:
    """The one server-to-server endpoint: routed from the registry at each gateway's contract path
    (`notify_path`), with the gateway's own method (VNPay's IPN is a GET, the others POST)."""
    method = _NOTIFY_METHODS.get(gateway_id)
    if method is None:
        raise Http404("no such payment gateway")
    if request.method != method:
        return HttpResponseNotAllowed([method])
    return _notify(request, gateway_id)


# --- browser pages ---------------------------------------------------------------------------


@require_GET
def gateway_return(request: HttpRequest, gateway_id: str) -> HttpResponse:
    """Where a gateway with a return page of ours (`return_path`, VNPay) sends the buyer back. Shows
    what the (verified) redirect says and the order's stored status; never changes anything (only
    the server-to-server notification does)."""
    gateway = configured_gateway(gateway_id)
    if gateway is None or not gateway.return_path:
        raise Http404("payment gateway not configured")
    params = _query(request)
    payment: Payment | None = None
    try:
        notification = gateway.parse_notification(HttpLikeRequest(method="GET", query=params))  # verify() first
    except (InvalidSignature, ValueError):
        result = "invalid"
    else:
        result = {NotificationStatus.PAID: "paid", NotificationStatus.PENDING: "pending"}.get(
            notification.status, "failed"
        )
        payment = (
            Payment.objects.select_related("order")
            .filter(gateway=gateway.id, reference__iexact=gateway.payment_reference(notification))
            .first()
        )
    order = payment.order if payment is not None else None
    context = {
        "result": result,
        "order": order,
        "amount": format_dong(order.total) if order is not None else "",
        "confirmed": order is not None and order.payment_status == PaymentStatus.PAID,
        "waiting": order is not None and order.payment_status == PaymentStatus.PENDING,
        "payment_status": PaymentStatus(order.payment_status).label if order is not None else "",
    }
    return render(request, "orders/payment_return.html", context)


def _sandbox() -> SandboxGateway:
    gateway = configured_gateway(SandboxGateway.id) if settings.DEBUG else None
    if not isinstance(gateway, SandboxGateway):
        raise Http404("the sandbox gateway is off")
    return gateway


@require_http_methods(["GET", "POST"])
def sandbox_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Dev only: Pay / Fail buttons that post a notification signed like a real gateway's, through
    the same `handle_notification` path as `/payments/sandbox/notify`."""
    gateway = _sandbox()
    payment = Payment.objects.select_related("order").filter(gateway=SandboxGateway.id, reference=reference).first()
    if payment is None:
        raise Http404("no such sandbox payment")
    order = payment.order
    if request.method == "POST":
        outcome = request.POST.get("outcome")
        if outcome not in ("pay", "fail"):
            return HttpResponse(status=400)
        status = NotificationStatus.PAID if outcome == "pay" else NotificationStatus.FAILED
        body = gateway.sign_notification(payment.reference, payment.amount, status)
        reply = handle_notification(
            InboundMessage(
                gateway_id=SandboxGateway.id,
                method=SandboxGateway.notify_method,
                path=SandboxGateway.notify_path or "",
                query={},
                body=body,
                headers={"Content-Type": "application/json"},
                source_ip=_source_ip(request),
            )
        )
        if reply is None or reply.status != 200:
            return HttpResponse(reply.body if reply else b"", status=502, content_type="application/json")
        return HttpResponseRedirect(f"/orders/{order.token}", status=303)
    context = {
        "payment": payment,
        "order": order,
        "amount": format_dong(payment.amount),
        "payment_status": PaymentStatus(payment.status).label,
        "pending": payment.status == PaymentStatus.PENDING,
    }
    return render(request, "orders/sandbox.html", context)
