"""Template filters of the web pages: money, months, query strings."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.checkout.delivery import FeeBasis
from backend.checkout.selectors import DeliveryGroup, PricedMethod
from backend.core.text import format_dong
from backend.orders.models import RefundStatus
from backend.orders.selectors import Step
from backend.regions.models import Commune
from backend.sellers.models import Seller
from backend.web.audit_words import action_words, state_label

register = template.Library()


@register.filter
def dong(amount: Any) -> str:
    """1250000 → "1.250.000 đ" (empty for None)."""
    if amount is None or amount == "":
        return ""
    return format_dong(int(amount))


@register.filter
def months(values: Any) -> str:
    """[11, 12, 1] → "11, 12, 1" with the word for month: "tháng 11, 12, 1"."""
    numbers = [str(int(v)) for v in (values or [])]
    if not numbers:
        return ""
    return _("months %(list)s") % {"list": ", ".join(numbers)}


@register.filter
def stars(count: Any) -> str:
    return "★" * int(count or 0)


@register.simple_tag(takes_context=True)
def with_param(context: template.Context, name: str, value: Any) -> str:
    """The current query string with `name` set to `value` (and the page reset)."""
    request = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    if value in (None, ""):
        params.pop(name, None)
    else:
        params[name] = str(value)
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def page_link(context: template.Context, number: int) -> str:
    params = context["request"].GET.copy()
    params["page"] = str(number)
    return "?" + params.urlencode()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`forms|get_item:action`: a dict value by a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag(takes_context=True)
def cart_count(context: template.Context) -> int:
    """Lines in the visitor's cart, as the cart views last counted them (no query per page)."""
    request = context.get("request")
    session = getattr(request, "session", None)
    return int(session.get("cart_count", 0) or 0) if session is not None else 0


def _kg(grams: int) -> str:
    return f"{grams / 1000:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def fee_note_text(offered: PricedMethod, seller: Seller, weight_grams: int) -> str:
    """Why this delivery costs what it does, in the buyer's words."""
    method, commune = offered.method, seller.commune.name
    if offered.basis == FeeBasis.NO_ADDRESS:
        return _("inside %(commune)s; %(other)s elsewhere in the province") % {
            "commune": commune,
            "other": format_dong(method.price_other_commune),
        }
    if offered.basis == FeeBasis.SAME_COMMUNE:
        return _("delivery fee inside the commune (%(commune)s)") % {"commune": commune}
    if offered.basis == FeeBasis.IN_PROVINCE:
        return _("delivery fee within the province, outside %(commune)s") % {"commune": commune}
    if offered.basis == FeeBasis.BY_WEIGHT:
        return _("by weight: %(kg)s kg") % {"kg": _kg(weight_grams)}
    if offered.basis == FeeBasis.NEIGHBOURING:
        return _("by weight: %(kg)s kg, to a neighbouring province") % {"kg": _kg(weight_grams)}
    if offered.basis == FeeBasis.FAR:
        return _("by weight: %(kg)s kg, to a distant province") % {"kg": _kg(weight_grams)}
    if method.pickup_address:
        return _("pick up at %(address)s") % {"address": method.pickup_address}
    return _("pick up at the seller's")


@register.simple_tag
def fee_note(offered: PricedMethod, group: DeliveryGroup) -> str:
    return fee_note_text(offered, group.seller, group.weight_grams)


def fee_change_message(group: DeliveryGroup, commune: Commune | None) -> str:
    """Said once after the address changed a seller's delivery fee."""
    assert group.selected is not None
    return _("%(seller)s: delivery is now %(fee)s for %(commune)s (%(why)s).") % {
        "seller": group.seller.name,
        "fee": format_dong(group.selected.price),
        "commune": commune.name if commune is not None else "",
        "why": fee_note_text(group.selected, group.seller, group.weight_grams),
    }


PARTICIPANT_LABELS = {
    "adult": gettext_lazy("Adult"),
    "child": gettext_lazy("Child"),
    "senior": gettext_lazy("Senior"),
    "infant": gettext_lazy("Infant"),
    "student": gettext_lazy("Student"),
}


@register.filter
def participant_label(code: str, name: str = "") -> str:
    """A participant type in the page's language: the usual codes are translated, others keep the
    operator's own name."""
    label = PARTICIPANT_LABELS.get((code or "").lower())
    return str(label) if label is not None else (name or code)


STEP_LABELS = {
    Step.PLACED: gettext_lazy("Order placed"),
    Step.PAID: gettext_lazy("Paid"),
    Step.CONFIRMED: gettext_lazy("Confirmed by the seller"),
    Step.SHIPPED: gettext_lazy("Handed over for delivery"),
    Step.DELIVERED: gettext_lazy("Delivered"),
    Step.COD_COLLECTED: gettext_lazy("Cash paid on delivery"),
    Step.CANCELLED: gettext_lazy("Cancelled"),
    Step.REFUNDED: gettext_lazy("Refund"),
}


@register.filter
def step_label(code: str) -> str:
    return str(STEP_LABELS.get(code, code))


@register.filter
def refund_status(status: str) -> str:
    try:
        return str(RefundStatus(status).label)
    except ValueError:
        return status


def _coordinates(experience: Any) -> tuple[Any, Any] | None:
    if experience.latitude is not None and experience.longitude is not None:
        return experience.latitude, experience.longitude
    commune = experience.meeting_commune
    if commune is not None and commune.latitude is not None and commune.longitude is not None:
        return commune.latitude, commune.longitude
    return None


@register.simple_tag
def meeting_address(experience: Any) -> str:
    """The meeting point, its commune and province, each said once."""
    parts = [(experience.meeting_point or "").strip()]
    commune = experience.meeting_commune
    if commune is not None:
        parts += [commune.name, commune.province.name]
    seen: list[str] = []
    for part in parts:
        if part and not any(part.lower() in other.lower() for other in seen):
            seen.append(part)
    return ", ".join(seen)


@register.simple_tag
def map_link(experience: Any) -> str:
    """A maps link to the meeting point: its coordinates (or its commune's), else its address."""
    found = _coordinates(experience)
    query = f"{found[0]},{found[1]}" if found else meeting_address(experience)
    return "https://www.google.com/maps/search/?" + urlencode({"api": "1", "query": query})


@register.filter
def audit_action(entry: Any) -> str:
    return action_words(entry)


@register.filter
def audit_state(entry: Any, value: str) -> str:
    return state_label(entry, value) if value else "—"
