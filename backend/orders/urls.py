"""Payment gateway endpoints (notifications, return pages, the dev sandbox)."""

from __future__ import annotations

from django.urls import URLPattern, path

from backend.orders import views

app_name = "payments"

urlpatterns: list[URLPattern] = [
    path("vnpay/ipn", views.vnpay_ipn, name="vnpay-ipn"),
    path("vnpay/return", views.vnpay_return, name="vnpay-return"),
    path("momo/ipn", views.momo_ipn, name="momo-ipn"),
    path("zalopay/callback", views.zalopay_callback, name="zalopay-callback"),
    path("stripe/webhook", views.stripe_webhook, name="stripe-webhook"),
    path("payos/webhook", views.payos_webhook, name="payos-webhook"),
    # Before the page: "notify" is never a payment reference.
    path("sandbox/notify", views.sandbox_notify, name="sandbox-notify"),
    path("sandbox/<str:reference>", views.sandbox_page, name="sandbox"),
]
