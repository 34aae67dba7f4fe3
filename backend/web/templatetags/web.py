"""Template filters of the web pages: money, months, query strings."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from backend.core.text import format_dong

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
