"""The dashboard's figures as tables: one list of tables feeds the admin page, Excel and CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from backend.reports.selectors import ProvinceDashboard


@dataclass(frozen=True)
class Table:
    key: str  # sheet name / section id
    title: str
    headers: list[str]
    rows: list[list[Any]]


def _pct(value: float | None) -> Any:
    return round(value * 100, 1) if value is not None else ""


def _hours(value: float | None) -> Any:
    return round(value, 1) if value is not None else ""


def dashboard_tables(dashboard: ProvinceDashboard) -> list[Table]:
    """Every figure of the dashboard as titled tables (titles and headers in the active language)."""
    d = dashboard
    summary: list[list[Any]] = [
        [_("Province"), d.province.name],
        [_("From"), d.date_from.isoformat()],
        [_("To"), d.date_to.isoformat()],
        [_("GMV (đồng)"), d.gmv],
        [_("Orders"), d.orders],
        [_("Goods GMV (đồng)"), d.goods_gmv],
        [_("OCOP GMV (đồng)"), d.ocop_gmv],
        [_("OCOP share (%)"), _pct(d.ocop_share)],
        [_("Communes covered"), f"{d.coverage.communes_covered}/{d.coverage.communes_total}"],
        [_("Coverage (%)"), _pct(d.coverage.rate)],
        [_("Applications decided"), d.onboarding.decided],
        [_("Onboarding time, median (hours)"), _hours(d.onboarding.median_hours)],
        [_("Onboarding time, 90th percentile (hours)"), _hours(d.onboarding.p90_hours)],
    ]
    if d.experiences is not None:
        summary += [
            [_("Experience bookings"), d.experiences.bookings],
            [_("Participants"), d.experiences.participants],
            [_("Check-in rate (%)"), _pct(d.experiences.check_in_rate)],
        ]
    return [
        Table("summary", _("Summary"), [_("Figure"), _("Value")], summary),
        Table(
            "communes",
            _("By commune"),
            [
                _("Code"),
                _("Commune"),
                _("GMV (đồng)"),
                _("Orders"),
                _("Approved sellers"),
                _("Pending sellers"),
                _("Suspended sellers"),
                _("Covered"),
            ],
            [
                [
                    c.commune.code,
                    c.commune.name,
                    c.gmv,
                    c.orders,
                    c.sellers_approved,
                    c.sellers_pending,
                    c.sellers_suspended,
                    _("yes") if c.covered else _("no"),
                ]
                for c in d.by_commune
            ],
        ),
        Table(
            "categories",
            _("By category"),
            [_("Category"), _("GMV (đồng)"), _("OCOP GMV (đồng)"), _("Orders")],
            [[c.name, c.gmv, c.ocop_gmv, c.orders] for c in d.by_category],
        ),
        Table(
            "days",
            _("By day"),
            [_("Date"), _("GMV (đồng)"), _("Orders")],
            [[day.day.isoformat(), day.gmv, day.orders] for day in d.by_day],
        ),
        Table(
            "uncovered",
            _("Communes without an approved seller selling"),
            [_("Code"), _("Commune")],
            [[c.code, c.name] for c in d.coverage.uncovered],
        ),
        Table(
            "top_products",
            _("Top products"),
            [_("Product"), _("Seller"), _("GMV (đồng)"), _("Quantity")],
            [[p.name, p.seller_name, p.gmv, p.quantity] for p in d.top_products],
        ),
        Table(
            "top_sellers",
            _("Top sellers"),
            [_("Seller"), _("Commune"), _("GMV (đồng)"), _("Orders")],
            [[s.name, s.commune_name, s.gmv, s.orders] for s in d.top_sellers],
        ),
    ]


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, Promise) else value


def to_csv(tables: list[Table]) -> str:
    """All tables in one CSV: a title line, the header, the rows, a blank line between tables."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for table in tables:
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows([[_text(v) for v in row] for row in table.rows])
        writer.writerow([])
    return buffer.getvalue()


def to_xlsx(tables: list[Table]) -> bytes:
    """One sheet per table, numbers stored as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for table in tables:
        sheet = book.create_sheet(table.key[:31])
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_text(v) for v in row])
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
