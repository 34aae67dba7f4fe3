"""Payment gateway endpoints (notifications, return pages, the dev sandbox), routed from the registry:
each gateway's `notify_path` (the contract's paths) goes to the one notification view, each
`return_path` to the one return page."""

from __future__ import annotations

from django.urls import URLPattern, path

from backend.orders import views
from payments.registry import GATEWAY_CLASSES
from payments.sandbox import SandboxGateway

app_name = "payments"

PREFIX = "/payments/"


def _route(full_path: str) -> str:
    if not full_path.startswith(PREFIX):
        raise ValueError(f"gateway paths live under {PREFIX}: {full_path}")
    return full_path[len(PREFIX) :]


urlpatterns: list[URLPattern] = [
    *(
        path(_route(cls.notify_path), views.notify, {"gateway_id": cls.id}, name=f"{cls.id}-notify")
        for cls in GATEWAY_CLASSES
        if cls.notify_path
    ),
    *(
        path(_route(cls.return_path), views.gateway_return, {"gateway_id": cls.id}, name=f"{cls.id}-return")
        for cls in GATEWAY_CLASSES
        if cls.return_path
    ),
    # After the notification routes: "notify" is never a payment reference.
    path(f"{SandboxGateway.id}/<str:reference>", views.sandbox_page, name=f"{SandboxGateway.id}-page"),
]
