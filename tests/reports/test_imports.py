"""Bulk import of legacy sellers and products: dry run, commit, all-or-nothing, the sample file."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from backend.catalog import services as catalog_services
from backend.catalog.categories import seed_categories
from backend.catalog.models import Product, ProductVariant
from backend.core.errors import PermissionDenied
from backend.moderation.models import AuditEntry
from backend.reports import imports
from backend.reports.imports import import_sellers
from backend.sellers.models import Seller, SellerKind, SellerStatus
from tests.factories import SellerFactory, UserFactory
from tests.reports.helpers import province_admin

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "samples" / "legacy_sellers.csv"
LAM_VIEN = "24778"


@pytest.fixture
def catalog(regions: None) -> None:
    seed_categories()


def _problems(report: imports.ImportReport) -> dict[tuple[int, str], Any]:
    return {(p.row, p.column): p for p in report.problems}


def test_sample_dry_run_reports_every_problem_and_writes_nothing(catalog: None) -> None:
    admin = province_admin()
    report = import_sellers(actor=admin, file_name=SAMPLE.name, content=SAMPLE.read_bytes())
    assert not report.committed
    assert Seller.objects.count() == 0 and Product.objects.count() == 0 and AuditEntry.objects.count() == 0
    problems = _problems(report)
    # Converted old addresses and the merged duplicate are notes; the rows are kept.
    assert problems[(2, "ward")].skipped is False and problems[(2, "ward")].suggestion == "Phường Lang Biang - Đà Lạt"
    assert problems[(5, "phone")].skipped is False and problems[(5, "phone")].suggestion == "2"
    ambiguous = problems[(6, "ward")]
    assert ambiguous.skipped and ambiguous.suggestion.count(",") == 1  # two candidate communes
    assert problems[(7, "phone")].skipped and problems[(7, "phone")].suggestion == "0903 123 456"
    assert problems[(8, "kind")].skipped
    assert problems[(13, "name")].skipped  # duplicate product
    assert problems[(14, "seller")].skipped  # its seller row was skipped
    assert problems[(15, "category")].skipped and "Trà" in problems[(15, "category")].suggestion
    assert problems[(16, "seller")].skipped
    assert problems[(17, "price")].skipped
    assert report.rows_read == 16 and report.rows_skipped == 8
    assert (report.sellers_created, report.sellers_merged, report.products_created) == (3, 0, 4)


def test_sample_commit_writes_valid_rows_pending_and_audited(catalog: None) -> None:
    admin = province_admin()
    report = import_sellers(actor=admin, file_name=SAMPLE.name, content=SAMPLE.read_bytes(), commit=True)
    assert report.committed
    assert (report.sellers_created, report.products_created) == (3, 4)
    sellers = {s.name: s for s in Seller.objects.select_related("commune")}
    assert set(sellers) == {
        "HTX Dâu tây Phường 7 (mẫu)",
        "Hộ Nguyễn Văn Cà Phê (mẫu)",
        "HTX Thanh Long Hàm Thuận (mẫu)",
    }
    strawberry = sellers["HTX Dâu tây Phường 7 (mẫu)"]
    assert strawberry.status == SellerStatus.PENDING and strawberry.kind == SellerKind.COOPERATIVE
    assert strawberry.commune.name == "Phường Lang Biang - Đà Lạt" and strawberry.phone == "+842633822111"
    assert strawberry.tax_code == "5800123458" and strawberry.created_by == admin
    assert sellers["Hộ Nguyễn Văn Cà Phê (mẫu)"].kind == SellerKind.HOUSEHOLD
    assert sellers["HTX Thanh Long Hàm Thuận (mẫu)"].phone == "+84903222333"
    products = {p.name: p for p in Product.objects.select_related("seller", "category")}
    assert set(products) == {"Dâu tây Mỹ đỏ", "Mứt dâu tây", "Cà phê Robusta rang mộc", "Thanh long ruột đỏ"}
    assert products["Mứt dâu tây"].seller == strawberry  # found through the merged row's name
    assert products["Cà phê Robusta rang mộc"].category.slug == "ca-phe"
    jam = ProductVariant.objects.get(product=products["Dâu tây Mỹ đỏ"])
    assert (jam.price, jam.stock, jam.unit) == (120_000, 40, "hộp 500 g")
    assert all(not p.is_published for p in products.values())
    assert products["Dâu tây Mỹ đỏ"].price_min == 120_000 and products["Dâu tây Mỹ đỏ"].in_stock
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["product.import"] * 4 + ["seller.import"] * 3
    assert set(AuditEntry.objects.values_list("actor_id", flat=True)) == {admin.pk}


def test_second_import_merges_instead_of_doubling(catalog: None) -> None:
    admin = province_admin()
    import_sellers(actor=admin, file_name=SAMPLE.name, content=SAMPLE.read_bytes(), commit=True)
    again = import_sellers(actor=admin, file_name=SAMPLE.name, content=SAMPLE.read_bytes(), commit=True)
    assert again.sellers_created == 0 and again.sellers_merged == 3 and again.products_created == 0
    assert Seller.objects.count() == 3 and Product.objects.count() == 4


def test_commit_is_all_or_nothing(catalog: None, monkeypatch: Any) -> None:
    admin = province_admin()
    real = catalog_services.refresh_product_pricing
    calls = {"n": 0}

    def failing(product: Product) -> Product:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(product)

    # The import writes through the catalog's service; fail its third product half way.
    monkeypatch.setattr(catalog_services, "refresh_product_pricing", failing)
    with pytest.raises(RuntimeError):
        import_sellers(actor=admin, file_name=SAMPLE.name, content=SAMPLE.read_bytes(), commit=True)
    assert Seller.objects.count() == 0 and Product.objects.count() == 0
    assert ProductVariant.objects.count() == 0 and AuditEntry.objects.count() == 0


def _xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_two_sheets_and_vietnamese_headers(catalog: None) -> None:
    content = _xlsx(
        {
            "Người bán": [
                ["Tên", "Loại hình", "Xã phường", "Số điện thoại", "Mã số thuế"],
                ["HTX Hoa Vạn Thành (mẫu)", "Hợp tác xã", "Phường Lâm Viên - Đà Lạt", "0909 000 111", 5800000015],
                # Numbers as Excel stores them: the leading zeros of the phone and tax code are gone.
                ["Hộ Hoa Lan (mẫu)", "hộ", "24778", 909000222, 312345673],
            ],
            "Sản phẩm": [
                ["Người bán", "Tên", "Danh mục", "Đơn vị", "Giá", "Tồn kho"],
                ["HTX Hoa Vạn Thành (mẫu)", "Cẩm tú cầu", "hoa", "bó", 150000, 12],
            ],
        }
    )
    report = import_sellers(actor=province_admin(), file_name="du-lieu.xlsx", content=content, commit=True)
    assert report.ok, report.problems
    seller = Seller.objects.get(name="HTX Hoa Vạn Thành (mẫu)")
    assert seller.tax_code == "5800000015" and seller.commune.code == LAM_VIEN
    household = Seller.objects.get(name="Hộ Hoa Lan (mẫu)")
    assert (household.phone, household.tax_code, household.kind) == ("+84909000222", "0312345673", SellerKind.HOUSEHOLD)
    product = Product.objects.get()
    assert product.seller == seller and product.category.slug == "hoa" and product.price_min == 150_000


def test_existing_seller_with_same_tax_code_is_merged(catalog: None) -> None:
    existing = SellerFactory(name="HTX cũ", tax_code="5800123458", phone="+84911000000")
    content = (
        "type,name,kind,commune,phone,tax_code,seller,category,unit,price,stock\n"
        f"seller,HTX Mới Tên Khác,htx,{LAM_VIEN},0912 000 999,5800123458,,,,,\n"
        "product,Hoa hồng,,,,,HTX cũ,hoa,bó,50000,3\n"
    ).encode()
    report = import_sellers(actor=province_admin(), file_name="x.csv", content=content, commit=True)
    assert report.sellers_created == 0 and report.sellers_merged == 1 and report.products_created == 1
    assert Seller.objects.count() == 1 and Product.objects.get().seller == existing


def test_rows_outside_the_admins_province_are_skipped(catalog: None) -> None:
    content = (f"type,name,kind,commune,phone\nseller,HTX Lâm Viên,htx,{LAM_VIEN},0912 000 999\n").encode()
    report = import_sellers(actor=province_admin("ha-noi"), file_name="x.csv", content=content, commit=True)
    assert [(p.row, p.column) for p in report.problems if p.skipped] == [(2, "commune")]
    assert Seller.objects.count() == 0


def test_only_admins_import_and_bad_files_are_refused(catalog: None) -> None:
    with pytest.raises(PermissionDenied):
        import_sellers(actor=UserFactory(), file_name=SAMPLE.name, content=SAMPLE.read_bytes())
    with pytest.raises(PermissionDenied):
        import_sellers(actor=None, file_name=SAMPLE.name, content=SAMPLE.read_bytes())
    admin = province_admin()
    with pytest.raises(imports.ValidationFailed):
        import_sellers(actor=admin, file_name="x.pdf", content=b"%PDF-")
    with pytest.raises(imports.ValidationFailed):
        import_sellers(actor=admin, file_name="x.xlsx", content=b"not a zip")


def test_command_dry_run_then_commit(catalog: None, capsys: Any) -> None:
    admin = province_admin()
    call_command("import_sellers", str(SAMPLE), "--actor", admin.email)
    out = capsys.readouterr().out
    assert "would be written (dry run)" in out and "SKIP csv:7 [phone]" in out
    assert Seller.objects.count() == 0
    call_command("import_sellers", str(SAMPLE), "--actor", admin.email, "--commit")
    assert "3 new sellers (PENDING)" in capsys.readouterr().out
    assert Seller.objects.count() == 3
