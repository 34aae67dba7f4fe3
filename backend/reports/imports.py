"""Bulk import of legacy seller and product spreadsheets (CSV or XLSX).

A file holds seller rows and product rows: one sheet (or CSV) with a `type` column
("seller"/"product", Vietnamese words accepted), or an XLSX with a "sellers" and a "products" sheet.
Headers are matched without accents or case, in English or Vietnamese (README, "Province analytics,
alerts and imports").

`import_sellers(actor=…, file_name=…, content=…, commit=False)` always validates everything first
and returns a report of (sheet, row, column, problem, suggestion). A dry run (the default) writes
nothing; `commit=True` writes every valid row in ONE transaction, so an import is never half
written. Sellers start PENDING for review; products are created unpublished.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, Place, admin_province_ids, may, place_of
from backend.accounts.phones import normalize_vn_phone
from backend.catalog.models import Category, ProductVariant
from backend.catalog.services import product_import_create
from backend.core.crypto import blind_index
from backend.core.errors import DomainError, PermissionDenied, ValidationFailed
from backend.core.text import search_key
from backend.regions.models import Commune
from backend.regions.services import convert_legacy_address
from backend.reports.import_files import ROW_TYPES, _Row, read_rows
from backend.sellers.models import Seller, SellerKind
from backend.sellers.services import seller_import_create
from backend.sellers.validators import normalize_tax_code

MAX_ROWS = 5000
KINDS = {
    "cooperative": SellerKind.COOPERATIVE,
    "htx": SellerKind.COOPERATIVE,
    "hop tac xa": SellerKind.COOPERATIVE,
    "household": SellerKind.HOUSEHOLD,
    "ho": SellerKind.HOUSEHOLD,
    "ho gia dinh": SellerKind.HOUSEHOLD,
    "ho kinh doanh": SellerKind.HOUSEHOLD,
    "ho san xuat": SellerKind.HOUSEHOLD,
    "enterprise": SellerKind.ENTERPRISE,
    "doanh nghiep": SellerKind.ENTERPRISE,
    "dn": SellerKind.ENTERPRISE,
    "cong ty": SellerKind.ENTERPRISE,
    "cty": SellerKind.ENTERPRISE,
    "tour operator": SellerKind.TOUR_OPERATOR,
    "tour_operator": SellerKind.TOUR_OPERATOR,
    "lu hanh": SellerKind.TOUR_OPERATOR,
    "cong ty lu hanh": SellerKind.TOUR_OPERATOR,
    "du lich": SellerKind.TOUR_OPERATOR,
}


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    problem: str | Promise
    suggestion: str = ""
    skipped: bool = True  # False: a note (merged duplicate, converted address), the row is kept


@dataclass
class ImportReport:
    committed: bool = False
    sellers_created: int = 0
    sellers_merged: int = 0
    products_created: int = 0
    rows_read: int = 0
    rows_skipped: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.skipped for p in self.problems)


@dataclass
class _SellerPlan:
    row: _Row
    name: str
    kind: str
    commune: Commune
    phone: str
    tax_code: str
    address: str
    email: str
    existing: Seller | None = None
    merged_rows: list[int] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # folded names of the rows merged into this one
    created: Seller | None = None


@dataclass
class _ProductPlan:
    row: _Row
    seller: _SellerPlan
    name: str
    category: Category
    unit: str
    price: int
    stock: int
    sku: str
    variant: str


# --- reading ----------------------------------------------------------------------------------


# --- validating --------------------------------------------------------------------------------


class _Validator:
    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.problems: list[Problem] = []
        self.communes = list(Commune.objects.select_related("province"))
        self.categories = list(Category.objects.all())
        self.sellers: list[_SellerPlan] = []
        self.products: list[_ProductPlan] = []

    def problem(self, row: _Row, column: str, text: str | Promise, suggestion: str = "", skipped: bool = True) -> None:
        self.problems.append(Problem(row.sheet, row.number, column, text, suggestion, skipped))

    # sellers

    def commune_of(self, row: _Row) -> Commune | None:
        if value := row.get("commune"):
            key = search_key(value)
            for commune in self.communes:
                if value == commune.code or key in (commune.search_name, search_key(commune.short_name)):
                    return commune
            if not row.get("ward"):
                self.problem(row, "commune", _("Unknown commune."), _suggest_communes(key, self.communes))
                return None
        if not row.get("ward"):
            self.problem(row, "commune", _("Give the new commune or the old ward, district and province."))
            return None
        result = convert_legacy_address(
            ward=row.get("ward"), district=row.get("district"), province=row.get("province")
        )
        if result.commune is not None:
            self.problem(row, "ward", _("Old address converted."), str(result.commune.name), skipped=False)
            return result.commune
        error = result.errors[0] if result.errors else None
        text = error.message if error else _("The old address could not be converted.")
        self.problem(
            row, (error.field if error and error.field else "ward"), text, ", ".join(c.name for c in result.candidates)
        )
        return None

    def seller_row(self, row: _Row) -> None:
        errors_before = len([p for p in self.problems if p.skipped])
        name = row.get("name")
        if not name:
            self.problem(row, "name", _("Enter the seller's name."))
        elif len(name) > 200:
            self.problem(row, "name", _("The name is too long."))
        kind = KINDS.get(search_key(row.get("kind")).replace("_", " "), KINDS.get(search_key(row.get("kind"))))
        if kind is None and row.get("kind").upper() in SellerKind.values:
            kind = SellerKind(row.get("kind").upper())
        if kind is None:
            self.problem(row, "kind", _("Unknown kind of seller."), "HTX, hộ, doanh nghiệp, lữ hành")
        phone = tax_code = ""
        try:
            phone = normalize_vn_phone(row.get("phone"))
        except DomainError as exc:
            self.problem(row, "phone", exc.details[0].message, "0903 123 456")
        try:
            tax_code = normalize_tax_code(_excel_digits(row.get("tax_code"), 10))
        except DomainError as exc:
            self.problem(row, "tax_code", exc.details[0].message, "0312345673")
        commune = self.commune_of(row)
        if commune is not None and not may(self.actor, Act.PROVINCE_IMPORT, place_of(commune=commune)):
            self.problem(row, "commune", _("This commune is outside the area you administer."))
        if len([p for p in self.problems if p.skipped]) > errors_before or commune is None or kind is None:
            return
        plan = _SellerPlan(
            row=row,
            name=name,
            kind=kind,
            commune=commune,
            phone=phone,
            tax_code=tax_code,
            address=row.get("address")[:255],
            email=row.get("email").lower()[:254],
        )
        same = next((s for s in self.sellers if _same_seller(s, plan)), None)
        if same is not None:
            same.merged_rows.append(row.number)
            same.names.add(search_key(plan.name))
            same.tax_code = same.tax_code or plan.tax_code
            same.address = same.address or plan.address
            same.email = same.email or plan.email
            self.problem(row, "phone", _("Same tax code or phone as another row: merged."), str(same.row.number), False)
            return
        # Tax codes are encrypted at rest: look them up by their blind index.
        by_tax_code = Q(tax_code_index=blind_index(tax_code, purpose="tax-code")) if tax_code else Q(pk__in=[])
        match = Q(phone=phone) | by_tax_code
        plan.existing = Seller.objects.filter(match).order_by("pk").first()
        if plan.existing is not None and not may(
            self.actor, Act.PROVINCE_IMPORT, place_of(commune=plan.existing.commune)
        ):
            self.problem(row, "phone", _("An existing seller outside your area has this tax code or phone."))
            return
        plan.names.add(search_key(name))
        if plan.existing is not None:
            plan.names.add(search_key(plan.existing.name))
            self.problem(
                row, "phone", _("Same tax code or phone as an existing seller: merged."), plan.existing.name, False
            )
        self.sellers.append(plan)

    # products

    def find_seller(self, reference: str) -> _SellerPlan | None:
        key = search_key(reference)
        phone = ""
        with contextlib.suppress(DomainError):
            phone = normalize_vn_phone(reference)
        for plan in self.sellers:
            if key in plan.names or reference.strip() in (plan.tax_code, plan.phone) or (phone and phone == plan.phone):
                return plan
        return None

    def category_of(self, value: str) -> Category | None:
        key = search_key(value)
        for category in self.categories:
            if value.strip().lower() == category.slug or key in (
                search_key(category.name),
                search_key(category.name_en),
            ):
                return category
        return None

    def product_row(self, row: _Row) -> None:
        errors_before = len([p for p in self.problems if p.skipped])
        seller = self.find_seller(row.get("seller")) if row.get("seller") else None
        if seller is None:
            self.problem(
                row,
                "seller",
                _("No valid seller row in this file has this name, phone or tax code."),
                row.get("seller"),
            )
        name = row.get("name")
        if not name:
            self.problem(row, "name", _("Enter a name."))
        elif len(name) > 200:
            self.problem(row, "name", _("The name is too long (at most 200 characters)."))
        category = self.category_of(row.get("category"))
        if category is None:
            self.problem(
                row, "category", _("Unknown category."), _suggest_categories(row.get("category"), self.categories)
            )
        price = _whole_number(row.get("price"))
        if price is None:
            self.problem(row, "price", _("The price must be a whole number of đồng, zero or more."), "120000")
        stock = _whole_number(row.get("stock") or "0")
        if stock is None:
            self.problem(row, "stock", _("Stock must be a whole number, zero or more."), "0")
        unit = row.get("unit")
        if len(unit) > 30:
            self.problem(row, "unit", _("The unit is too long (at most 30 characters)."))
        if len([p for p in self.problems if p.skipped]) > errors_before:
            return
        assert seller is not None and category is not None and price is not None and stock is not None
        key = search_key(name)
        duplicate = any(p.seller is seller and search_key(p.name) == key for p in self.products) or (
            seller.existing is not None
            and any(search_key(n) == key for n in seller.existing.products.values_list("name", flat=True))
        )
        if duplicate:
            self.problem(row, "name", _("This seller already has a product with this name."))
            return
        self.products.append(
            _ProductPlan(
                row=row,
                seller=seller,
                name=name,
                category=category,
                unit=unit,
                price=price,
                stock=stock,
                sku=row.get("sku")[:64],
                variant=(row.get("variant") or unit or name)[:120],
            )
        )


def _same_seller(a: _SellerPlan, b: _SellerPlan) -> bool:
    return a.phone == b.phone or bool(a.tax_code and a.tax_code == b.tax_code)


def _excel_digits(text: str, length: int) -> str:
    """A spreadsheet stores 0312345678 as the number 312345678: give the leading zero back."""
    return text.zfill(length) if text.isdigit() and len(text) == length - 1 else text


def _whole_number(text: str) -> int | None:
    """ "120.000", "120 000 đ", "120000" → 120000; None when not a whole number ≥ 0."""
    cleaned = re.sub(r"(?i)[\s.,]|đ|vnd|d$", "", text or "")
    return int(cleaned) if cleaned.isdigit() else None


def _suggest_communes(key: str, communes: list[Commune]) -> str:
    words = key.split()
    scored = [c for c in communes if words and all(w in c.search_name for w in words[-1:])]
    return ", ".join(c.name for c in scored[:5])


def _suggest_categories(value: str, categories: list[Category]) -> str:
    key = search_key(value)
    close = [c.name for c in categories if key and key.split()[0] in search_key(c.name)]
    return ", ".join((close or [c.name for c in categories if c.parent_id is None])[:5])


# --- writing -----------------------------------------------------------------------------------


def _write(
    plan_sellers: list[_SellerPlan], plan_products: list[_ProductPlan], actor: Any, report: ImportReport
) -> None:
    for plan in plan_sellers:
        if plan.existing is not None:
            plan.created = plan.existing
            report.sellers_merged += 1
            continue
        seller = seller_import_create(
            actor=actor,
            kind=plan.kind,
            name=plan.name,
            commune=plan.commune,
            phone=plan.phone,
            tax_code=plan.tax_code,
            address=plan.address,
            email=plan.email,
        )
        plan.created = seller
        report.sellers_created += 1
    taken_skus: dict[int, set[str]] = {}
    for item in plan_products:
        owner = item.seller.created
        assert owner is not None
        skus = taken_skus.setdefault(
            owner.pk, set(ProductVariant.objects.filter(seller=owner).values_list("sku", flat=True))
        )
        product_import_create(
            actor=actor,
            seller=owner,
            category=item.category,
            name=item.name,
            sku=item.sku,
            variant_name=item.variant,
            price=item.price,
            stock=item.stock,
            unit=item.unit,
            taken_skus=skus,
        )
        report.products_created += 1


def _can_import(actor: Any) -> bool:
    """Admins import into their province (each row is checked against their communes too)."""
    return any(may(actor, Act.PROVINCE_IMPORT, Place(province_id=pk)) for pk in admin_province_ids(actor))


def import_sellers(*, actor: Any, file_name: str, content: bytes, commit: bool = False) -> ImportReport:
    """Validate (and with `commit`, write) a legacy seller/product file. See the module docstring.

    Province admins import into communes of their scope, superusers anywhere. Every created seller
    and product is audited with the importing actor.
    """
    if not _can_import(actor):
        raise PermissionDenied()
    rows = read_rows(file_name=file_name, content=content)
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(_("Split the file: at most 5000 rows per import."), field="file")
    validator = _Validator(actor)
    typed = [(ROW_TYPES.get(search_key(row.get("type"))), row) for row in rows]
    for kind, row in typed:
        if kind is None:
            validator.problem(row, "type", _("Say whether the row is a seller or a product."), "seller, product")
        elif kind == "seller":
            validator.seller_row(row)
    for kind, row in typed:
        if kind == "product":
            validator.product_row(row)
    report = ImportReport(rows_read=len(rows), problems=sorted(validator.problems, key=lambda p: (p.sheet, p.row)))
    report.rows_skipped = len({(p.sheet, p.row) for p in report.problems if p.skipped})
    if commit:
        with transaction.atomic():
            _write(validator.sellers, validator.products, actor, report)
        report.committed = True
    else:
        report.sellers_created = sum(1 for s in validator.sellers if s.existing is None)
        report.sellers_merged = sum(1 for s in validator.sellers if s.existing is not None)
        report.products_created = len(validator.products)
    return report
