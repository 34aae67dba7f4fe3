"""Server-rendered SVG charts for the dashboards (no script, nothing fetched at run time): columns by
day with their values and dd/mm labels, table bars, and the map of a province's communes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from backend.core.text import format_dong


def compact_dong(amount: int) -> str:
    """1250000 → "1,3 tr", 850000 → "850 k": short enough to print on a column."""
    if amount >= 1_000_000_000:
        return f"{amount / 1_000_000_000:.1f} tỷ".replace(".", ",")
    if amount >= 1_000_000:
        return f"{amount / 1_000_000:.1f} tr".replace(".", ",").replace(",0 ", " ")
    if amount >= 1_000:
        return f"{amount // 1_000} k"
    return str(amount)


def column_chart(
    points: Sequence[tuple[str, int]], *, width: int = 900, height: int = 240, tick_every: int = 0
) -> SafeString:
    """Vertical bars (e.g. GMV by day), labelled as given (e.g. "11/04"), each non-zero bar with
    its value above it and a tooltip, the top of the scale written on the left."""
    if not points:
        return mark_safe("")
    top = max(value for _label, value in points) or 1
    left, bottom, head = 56, 26, 46  # room for the scale, the day labels and the values
    plot_width, plot_height = width - left, height - bottom - head
    step = plot_width / len(points)
    bar = max(step * 0.7, 1)
    every = tick_every or max(1, math.ceil(len(points) / 12))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="reports-chart" viewBox="0 0 {width} {height}" '
        f'width="100%" height="{height}" role="img">',
        f'<text x="{left - 6}" y="{head + 4}" font-size="11" fill="#333" text-anchor="end">{compact_dong(top)}</text>',
        f'<line x1="{left}" y1="{head}" x2="{width}" y2="{head}" stroke="#ccc" stroke-dasharray="4 4"/>',
        f'<text x="{left - 6}" y="{head + plot_height}" font-size="11" fill="#333" text-anchor="end">0</text>',
    ]
    base = head + plot_height
    for index, (label, value) in enumerate(points):
        h = max(value, 0) / top * plot_height
        x = left + index * step + (step - bar) / 2
        middle = x + bar / 2
        tip = escape(f"{label}: {format_dong(value)}")
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#2f6b2f">'
            f"<title>{tip}</title></rect>"
        )
        if value > 0:
            # Written across wide columns, upwards on narrow ones (a month of days).
            turn = (
                ""
                if step >= 44
                else f' transform="rotate(-90 {middle:.1f} {base - h - 4:.1f})" dominant-baseline="central"'
            )
            anchor = "middle" if not turn else "start"
            parts.append(
                f'<text x="{middle:.1f}" y="{base - h - 4:.1f}" font-size="11" fill="#1f2a1f" '
                f'text-anchor="{anchor}"{turn}>{escape(compact_dong(value))}</text>'
            )
        if index % every == 0:
            parts.append(
                f'<text x="{middle:.1f}" y="{height - 8}" font-size="11" fill="#333" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width}" y2="{base}" stroke="#666"/></svg>')
    return mark_safe("".join(parts))


def bar(value: int, top: int, *, width: int = 160) -> SafeString:
    """One horizontal bar sized against `top`, for table cells."""
    length = max(value, 0) / top * width if top > 0 else 0
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="12" aria-hidden="true">'
        f'<rect width="{length:.1f}" height="12" fill="#79aec8"/></svg>'
    )


@dataclass(frozen=True)
class MapPoint:
    key: str  # the commune's code: its link goes to #commune-<key>
    name: str
    latitude: float
    longitude: float
    value: int  # what the colour shows (approved sellers, or GMV)
    caption: str  # the tooltip: the figure in words


# From none (red: nobody sells there yet) to the most (dark green). Readable on white.
MIN_SPAN = 0.25  # degrees (about 27 km)
MAP_COLOURS = ("#c0392b", "#e67e22", "#f1c40f", "#7cb342", "#2e7d32", "#1b5e20")


def colour_for(value: int, top: int) -> str:
    if value <= 0 or top <= 0:
        return MAP_COLOURS[0]
    share = value / top
    return MAP_COLOURS[min(len(MAP_COLOURS) - 1, 1 + int(share * (len(MAP_COLOURS) - 1)))]


def point_map(points: Sequence[MapPoint], *, width: int = 640, label: str = "") -> SafeString:
    """The points at their coordinates (equirectangular, scaled for the latitude), each a circle
    coloured by its value that links to `#commune-<key>`."""
    if not points:
        return mark_safe("")
    lats = [p.latitude for p in points]
    lons = [p.longitude for p in points]
    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    # At least MIN_SPAN degrees each way around the points, so a few close communes stay apart.
    centre_x, centre_y = (max(lons) + min(lons)) / 2 * scale_x, (max(lats) + min(lats)) / 2
    span_x = max((max(lons) - min(lons)) * scale_x, MIN_SPAN)
    span_y = max(max(lats) - min(lats), MIN_SPAN)
    margin = 24
    height = int(min(max(width * span_y / span_x, width * 0.5), width * 1.3))
    unit = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    top = max(p.value for p in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}">'
    ]
    # The biggest are drawn first, so a small commune next to a big one stays on top and clickable
    # (Đà Lạt's wards sit a few hundred metres apart); the big one still shows around it.
    for point in sorted(points, key=lambda p: p.value, reverse=True):
        x = width / 2 + (point.longitude * scale_x - centre_x) * unit
        y = height / 2 - (point.latitude - centre_y) * unit
        radius = 5 + (9 * math.sqrt(point.value / top) if top > 0 else 0)
        parts.append(
            f'<a href="#commune-{escape(point.key)}" data-map-commune="{escape(point.key)}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{colour_for(point.value, top)}" '
            f'fill-opacity="0.85" stroke="#ffffff" stroke-width="1.5">'
            f"<title>{escape(point.name)}: {escape(point.caption)}</title></circle></a>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
