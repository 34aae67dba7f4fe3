"""Template filters for the reports pages: đồng amounts and percentages the Vietnamese way."""

from __future__ import annotations

from django import template

from backend.core.text import format_dong

register = template.Library()


@register.filter
def dong(value: int | None) -> str:
    return format_dong(int(value or 0))


@register.filter
def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f} %".replace(".", ",")
