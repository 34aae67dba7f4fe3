"""Server-rendered SVG charts for the admin dashboard (no script, nothing fetched at run time)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from backend.core.text import format_dong


def column_chart(points: list[tuple[str, int]], *, width: int = 900, height: int = 220) -> SafeString:
    """Vertical bars (e.g. GMV by day) with a title tooltip per bar and every 7th label shown."""
    if not points:
        return mark_safe("")
    top = max(value for _label, value in points) or 1
    chart_height = height - 30
    step = width / len(points)
    bar = max(step * 0.8, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="reports-chart" viewBox="0 0 {width} {height}" '
        f'width="100%" height="{height}" role="img">'
    ]
    for index, (label, value) in enumerate(points):
        h = max(value, 0) / top * (chart_height - 10)
        x = index * step + (step - bar) / 2
        y = chart_height - h
        tip = escape(f"{label}: {format_dong(value)}")
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#417690">'
            f"<title>{tip}</title></rect>"
        )
        if index % 7 == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 8}" font-size="11" fill="#666">{escape(label[5:])}</text>')
    parts.append(f'<line x1="0" y1="{chart_height}" x2="{width}" y2="{chart_height}" stroke="#999"/></svg>')
    return mark_safe("".join(parts))


def bar(value: int, top: int, *, width: int = 160) -> SafeString:
    """One horizontal bar sized against `top`, for table cells."""
    length = max(value, 0) / top * width if top > 0 else 0
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="12" aria-hidden="true">'
        f'<rect width="{length:.1f}" height="12" fill="#79aec8"/></svg>'
    )
