"""The tax files: the monthly declaration (XLSX/CSV through the project's safe writer, XML and JSON
for machines), a seller's statement, and the quarterly Decree 91 seller information.

The spreadsheet follows the shape of the withholding return for household and individual business
(a header block, then one row per seller: name, tax code, revenue by category, VAT, PIT, with the
reversals of cancelled and returned sales offset). The official form's exact column codes could
not be confirmed from here (docs/compliance-tax.md): the XML uses plain, documented element names.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils.translation import gettext as _

from backend.core.exports import Sheet, attachment
from backend.tax.selectors import CATEGORIES, Declaration, SellerInformation, Statement, TaxFigures

CATEGORY_TITLES = {
    "GOODS": "Revenue: goods",
    "SERVICE": "Revenue: services",
    "TRANSPORT": "Revenue: transport and services tied to goods",
}


def _figure_headers() -> list[str]:
    return [
        *(_(CATEGORY_TITLES[c]) for c in CATEGORIES),
        _("Revenue of cancelled and returned sales"),
        _("Net revenue"),
        _("VAT withheld"),
        _("PIT withheld"),
        _("VAT offset"),
        _("PIT offset"),
        _("Net VAT"),
        _("Net PIT"),
    ]


def _figure_cells(f: TaxFigures) -> list[int]:
    return [
        *(f.revenue.get(c, 0) for c in CATEGORIES),
        f.revenue_reversed,
        f.revenue_net,
        f.vat,
        f.pit,
        f.vat_reversed,
        f.pit_reversed,
        f.vat_net,
        f.pit_net,
    ]


def _mode_title(mode: str) -> str:
    return _("Withheld by the platform") if mode == "WITHHELD" else _("Self-declared by the seller")


def declaration_sheets(d: Declaration) -> list[Sheet]:
    header: list[Sequence[Any]] = [
        [_("Platform withholding declaration (Decree 117/2025/NĐ-CP)"), ""],
        [_("Province"), d.province.name],
        [_("Period"), f"{d.period:%m/%Y}"],
        [_("Due by"), f"{d.due:%d/%m/%Y}"],
        [_("Closed"), f"{d.closed.closed_at:%d/%m/%Y}" if d.closed else ""],
        [_("VAT withheld (net)"), d.withheld.vat_net],
        [_("PIT withheld (net)"), d.withheld.pit_net],
    ]
    headers = [_("No."), _("Seller"), _("Tax code"), _("Commune"), _("Mode"), *_figure_headers()]
    rows: list[Sequence[Any]] = [
        [i, r.seller.name, r.seller.tax_code, r.seller.commune.name, _mode_title(r.mode), *_figure_cells(r.figures)]
        for i, r in enumerate(d.rows, start=1)
    ]
    rows.append(["", _("Total withheld"), "", "", _mode_title("WITHHELD"), *_figure_cells(d.withheld)])
    rows.append(["", _("Total self-declared"), "", "", _mode_title("SELF_DECLARED"), *_figure_cells(d.self_declared)])
    return [
        Sheet(name=_("Declaration"), title="", headers=[_("Field"), _("Value")], rows=header),
        Sheet(name=_("Sellers"), title=_("Sellers"), headers=headers, rows=rows),
    ]


def _figures_dict(f: TaxFigures) -> dict[str, Any]:
    return {
        "revenue": dict(f.revenue),
        "revenueTotal": f.revenue_total,
        "revenueReversed": f.revenue_reversed,
        "revenueNet": f.revenue_net,
        "vatWithheld": f.vat,
        "pitWithheld": f.pit,
        "vatReversed": f.vat_reversed,
        "pitReversed": f.pit_reversed,
        "vatNet": f.vat_net,
        "pitNet": f.pit_net,
    }


def declaration_dict(d: Declaration) -> dict[str, Any]:
    return {
        "form": "platform-withholding/decree-117-2025",
        "province": {"code": d.province.code, "name": d.province.name},
        "period": f"{d.period:%Y-%m}",
        "due": d.due.isoformat(),
        "closed": d.closed.closed_at.isoformat() if d.closed else None,
        "currency": "VND",
        "withheld": _figures_dict(d.withheld),
        "selfDeclared": _figures_dict(d.self_declared),
        "sellers": [
            {
                "id": r.seller.pk,
                "name": r.seller.name,
                "taxCode": r.seller.tax_code,
                "commune": r.seller.commune.code,
                "mode": r.mode,
                **_figures_dict(r.figures),
            }
            for r in d.rows
        ],
    }


def _xml(parent: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, dict):
        node = ET.SubElement(parent, name)
        for key, inner in value.items():
            _xml(node, key, inner)
    elif isinstance(value, list):
        node = ET.SubElement(parent, name)
        for inner in value:
            _xml(node, name.removesuffix("s") or "item", inner)
    else:
        ET.SubElement(parent, name).text = "" if value is None else str(value)


def declaration_xml(d: Declaration) -> bytes:
    root = ET.Element("withholdingDeclaration")
    for key, value in declaration_dict(d).items():
        _xml(root, key, value)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def declaration_download(d: Declaration, *, fmt: str) -> HttpResponse:
    name = f"khau-tru-thue-{d.province.slug}-{d.period:%Y-%m}"
    if fmt in {"csv", "xlsx"}:
        return attachment(declaration_sheets(d), fmt=fmt, filename=name)
    if fmt == "json":
        body = json.dumps(declaration_dict(d), ensure_ascii=False, indent=2).encode()
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    elif fmt == "xml":
        response = HttpResponse(declaration_xml(d), content_type="application/xml; charset=utf-8")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def statement_sheets(s: Statement) -> list[Sheet]:
    summary = [
        [_mode_title("WITHHELD"), *_figure_cells(s.withheld)],
        [_mode_title("SELF_DECLARED"), *_figure_cells(s.self_declared)],
    ]
    lines = [
        [
            f"{line.occurred_at:%d/%m/%Y}",
            line.seller_order.order.number,
            _mode_title(line.mode),
            line.category,
            line.revenue,
            line.vat,
            line.pit,
        ]
        for line in s.lines
    ]
    return [
        Sheet(name=_("Summary"), title=s.seller.name, headers=[_("Mode"), *_figure_headers()], rows=summary),
        Sheet(
            name=_("Orders"),
            title=_("Orders"),
            headers=[_("Date"), _("Order"), _("Mode"), _("Tax category"), _("Revenue"), _("VAT"), _("PIT")],
            rows=lines,
        ),
    ]


def seller_information_sheets(rows: list[SellerInformation], *, year: int, quarter: int) -> list[Sheet]:
    """Decree 91/2022 (quarterly): identity, tax code, address and revenue of every seller. The
    personal ID number joins these columns when the seller identity work stores it."""
    headers = [
        _("No."),
        _("Seller"),
        _("Kind"),
        _("Tax code"),
        _("Phone"),
        _("Address"),
        _("Commune"),
        _("Tax withheld by the platform"),
        _("Revenue in the quarter"),
        _("Tax withheld in the quarter"),
    ]
    body = [
        [
            i,
            r.seller.name,
            r.seller.get_kind_display(),
            r.seller.tax_code,
            r.seller.phone,
            r.seller.address,
            r.seller.commune.name,
            _("yes") if r.withheld else _("no"),
            r.revenue,
            r.tax_withheld,
        ]
        for i, r in enumerate(rows, start=1)
    ]
    return [
        Sheet(name=f"Q{quarter}-{year}", title=_("Seller information (Decree 91/2022)"), headers=headers, rows=body)
    ]
