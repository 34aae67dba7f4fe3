"""The seeded category tree, and the Django admin screens and actions."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from backend.catalog.categories import seed_categories
from backend.catalog.models import Category, Product
from backend.moderation.models import AuditEntry, ListingReport, ReportReason, ReportStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_builds_paths(db) -> None:
    first = seed_categories()
    assert first["created"] == Category.objects.count() >= 19
    Category.objects.filter(slug="trai-cay").update(name="đổi tên")
    assert seed_categories() == {"created": 0, "updated": first["created"]}
    assert Category.objects.get(slug="trai-cay").name == "Trái cây"
    assert Category.objects.get(slug="dau-tay").path == "trai-cay/dau-tay"
    experiences = Category.objects.get(slug="trai-nghiem")
    assert {c.slug for c in experiences.children.all()} == {"tour", "homestay", "workshop", "phieu-luu"}
    assert set(experiences.children.values_list("kind", flat=True)) == {"EXPERIENCE"}


def test_seed_command(db, capsys) -> None:
    call_command("seed_categories")
    assert "created" in capsys.readouterr().out
    assert Category.objects.filter(slug="hai-san-nuoc-mam", name_en="Seafood & fish sauce").exists()


def test_admin_screens_open(client, make_product, categories) -> None:
    make_product(10_000)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for name in ("catalog_category", "catalog_product", "moderation_listingreport"):
        response = client.get(reverse(f"admin:{name}_changelist"))
        assert response.status_code == 200, name
    product = Product.objects.get()
    assert client.get(reverse("admin:catalog_product_change", args=[product.pk])).status_code == 200
    response = client.get(reverse("admin:catalog_product_changelist"), {"q": product.variants.get().sku})
    assert product.name in response.content.decode()


def test_admin_moving_a_category_moves_its_subtree(client, categories) -> None:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    fruit = categories["trai-cay"]
    response = client.post(
        reverse("admin:catalog_category_change", args=[fruit.pk]),
        {"name": fruit.name, "name_en": fruit.name_en, "slug": "hoa-qua", "kind": "GOODS", "position": 0},
    )
    assert response.status_code == 302
    assert Category.objects.get(slug="dau-tay").path == "hoa-qua/dau-tay"


def test_report_queue_action_hides_the_product(client, make_product, lam_dong_admin) -> None:
    product = make_product(10_000)
    report = ListingReport.objects.create(
        product=product, reporter=UserFactory(), reason=ReportReason.WRONG_ORIGIN, note="Hàng Trung Quốc"
    )
    client.force_login(lam_dong_admin)
    changelist = reverse("admin:moderation_listingreport_changelist")
    assert client.get(changelist).status_code == 200
    response = client.post(changelist, {"action": "hide_reported_products", "_selected_action": [report.pk]})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.hidden_at is not None
    assert product.hidden_reason.endswith("Hàng Trung Quốc")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACTIONED
    assert AuditEntry.objects.filter(action="product.hide", actor=lam_dong_admin).exists()


def test_report_queue_is_empty_for_another_province(client, make_product, khanh_hoa_admin) -> None:
    product = make_product(10_000)
    ListingReport.objects.create(product=product, reason=ReportReason.OTHER, note="?")
    client.force_login(khanh_hoa_admin)
    response = client.get(reverse("admin:moderation_listingreport_changelist"))
    assert response.status_code == 200
    assert product.name not in response.content.decode()


def test_admin_variant_edits_keep_the_price_range(client, make_product) -> None:
    product = make_product(10_000, slug="sua-trong-admin")
    variant = product.variants.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:catalog_product_change", args=[product.pk])
    data = {
        "kind": product.kind,
        "name": product.name,
        "slug": product.slug,
        "description": product.description,
        "category": product.category_id,
        "seller": product.seller_id,
        "commune": product.commune_id,
        "harvest_months": "[]",
        "is_published": "on",
        "variants-TOTAL_FORMS": 2,
        "variants-INITIAL_FORMS": 1,
        "variants-0-id": variant.pk,
        "variants-0-product": product.pk,
        "variants-0-sku": variant.sku,
        "variants-0-name": variant.name,
        "variants-0-price": 15_000,
        "variants-0-stock": 0,
        "variants-0-position": 0,
        "variants-1-product": product.pk,
        "variants-1-sku": "MOI-1",
        "variants-1-name": "Hộp lớn",
        "variants-1-price": 40_000,
        "variants-1-stock": 3,
        "variants-1-position": 1,
        "images-TOTAL_FORMS": 0,
        "images-INITIAL_FORMS": 0,
        "certifications-TOTAL_FORMS": 0,
        "certifications-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response
    product.refresh_from_db()
    assert (product.price_min, product.price_max, product.in_stock) == (15_000, 40_000, True)
    assert set(product.variants.values_list("seller_id", flat=True)) == {product.seller_id}
