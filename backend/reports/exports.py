"""The dashboard's figures as tables: one list of tables feeds the admin page, Excel and CSV.

Files are written by `backend.core.exports`, which keeps every cell data (never a formula): product,
seller and commune names come from users.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from backend.accounts.permissions import Act, ensure_may, place_of
from backend.core.exports import Sheet, attachment, csv_text, xlsx_bytes
from backend.reports.imports import ImportReport
from backend.reports.selectors import ProvinceDashboard

EXPORT_FORMATS = ("xlsx", "csv")


def _pct(value: float | None) -> Any:
    return round(value * 100, 1) if value is not None else ""


def _hours(value: float | None) -> Any:
    return round(value, 1) if value is not None else ""


def dashboard_tables(dashboard: ProvinceDashboard) -> list[Sheet]:
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
        Sheet("summary", _("Summary"), [_("Figure"), _("Value")], summary),
        Sheet(
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
        Sheet(
            "categories",
            _("By category"),
            [_("Category"), _("GMV (đồng)"), _("OCOP GMV (đồng)"), _("Orders")],
            [[c.name, c.gmv, c.ocop_gmv, c.orders] for c in d.by_category],
        ),
        Sheet(
            "days",
            _("By day"),
            [_("Date"), _("GMV (đồng)"), _("Orders")],
            [[day.day.isoformat(), day.gmv, day.orders] for day in d.by_day],
        ),
        Sheet(
            "uncovered",
            _("Communes without an approved seller selling"),
            [_("Code"), _("Commune")],
            [[c.code, c.name] for c in d.coverage.uncovered],
        ),
        Sheet(
            "top_products",
            _("Top products"),
            [_("Product"), _("Seller"), _("GMV (đồng)"), _("Quantity")],
            [[p.name, p.seller_name, p.gmv, p.quantity] for p in d.top_products],
        ),
        Sheet(
            "top_sellers",
            _("Top sellers"),
            [_("Seller"), _("Commune"), _("GMV (đồng)"), _("Orders")],
            [[s.name, s.commune_name, s.gmv, s.orders] for s in d.top_sellers],
        ),
    ]


def dashboard_export(*, actor: Any, dashboard: ProvinceDashboard, fmt: str) -> HttpResponse:
    """The dashboard as an .xlsx or .csv download, for the province's admins only."""
    ensure_may(actor=actor, act=Act.PROVINCE_EXPORT, place=place_of(province=dashboard.province))
    name = f"chophien-{dashboard.province.slug}-{dashboard.date_from.isoformat()}-{dashboard.date_to.isoformat()}"
    return attachment(dashboard_tables(dashboard), fmt=fmt, filename=name)


def import_report_sheet(report: ImportReport) -> Sheet:
    """An import's problems, row by row (values echo the uploaded file: kept as data)."""
    return Sheet(
        "problems",
        _("Import report"),
        [_("Sheet"), _("Row"), _("Column"), _("Problem"), _("Suggestion"), _("Skipped")],
        [
            [p.sheet, p.row, p.column, p.problem, p.suggestion, _("yes") if p.skipped else _("no")]
            for p in report.problems
        ],
    )


def import_report_file(report: ImportReport, *, fmt: str) -> bytes:
    """The import report as .csv (UTF-8 with a byte-order mark, for Excel) or .xlsx bytes."""
    sheets = [import_report_sheet(report)]
    if fmt == "xlsx":
        return xlsx_bytes(sheets)
    return ("\ufeff" + csv_text(sheets)).encode()
