"""Storefront entries per served province (issue 19): `/<province-slug>/`, the root list, scoped sellers."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.checkout.helpers import Shop, make_shop

pytestmark = pytest.mark.django_db

THREE = ["lam-dong", "bac-ninh", "ninh-binh"]
CHU_BAC_NINH = "07525"
HOA_LU_NINH_BINH = "14329"


@pytest.fixture
def luc_ngan(regions: None) -> Shop:
    return make_shop(price=70_000, name="HTX Vải thiều Lục Ngạn (demo)", commune_code=CHU_BAC_NINH)


def test_one_province_keeps_its_home_and_no_province_pages(client: Client, shop: Shop) -> None:
    home = client.get("/").content.decode()
    assert shop.variant.product.name in home and "Chợ Bắc Ninh" not in home
    assert client.get("/bac-ninh/").status_code == 404
    assert client.get("/lam-dong/").status_code == 200


@override_settings(SERVED_PROVINCES=THREE)
def test_root_lists_the_served_provinces(client: Client, regions: None) -> None:
    html = client.get("/").content.decode()
    for title, slug in (("Chợ Lâm Đồng", "lam-dong"), ("Chợ Bắc Ninh", "bac-ninh"), ("Chợ Ninh Bình", "ninh-binh")):
        assert title in html and f'href="/{slug}/"' in html
    assert client.get("/ha-noi/").status_code == 404  # a real province, not served here
    assert client.get("/khong-co/").status_code == 404


@override_settings(SERVED_PROVINCES=THREE)
def test_each_storefront_shows_its_own_goods_and_sellers_unless_all_asked(
    client: Client, shop: Shop, luc_ngan: Shop
) -> None:
    page = client.get("/bac-ninh/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<title>Chợ Bắc Ninh — Chợ Phiên</title>" in html
    assert "--accent: #8a1c2b" in html  # its own colours
    assert luc_ngan.variant.product.name in html and luc_ngan.seller.name in html
    assert shop.variant.product.name not in html and shop.seller.name not in html

    lam_dong = client.get("/lam-dong/").content.decode()
    assert shop.seller.name in lam_dong and luc_ngan.seller.name not in lam_dong

    every = client.get("/bac-ninh/?all=1").content.decode()
    assert shop.seller.name in every and luc_ngan.seller.name in every


@override_settings(SERVED_PROVINCES=THREE)
def test_search_inside_a_province_and_its_facet(client: Client, shop: Shop, luc_ngan: Shop) -> None:
    scoped = client.get("/search/", {"province": "bac-ninh"}).content.decode()
    assert luc_ngan.variant.product.name in scoped and shop.variant.product.name not in scoped
    assert "Chợ Bắc Ninh" in scoped
    every = client.get("/search/").content.decode()
    assert luc_ngan.variant.product.name in every and shop.variant.product.name in every
    assert "Bắc Ninh (1)" in every and "Lâm Đồng (1)" in every  # the province facet


@override_settings(SERVED_PROVINCES=THREE)
def test_a_cart_takes_goods_of_two_provinces(client: Client, shop: Shop, luc_ngan: Shop) -> None:
    for variant in (shop.variant, luc_ngan.variant):
        assert client.post("/cart/add", {"variant": variant.pk, "quantity": 1}).status_code in (200, 302)
    cart = client.get("/cart/").content.decode()
    assert shop.variant.product.name in cart and luc_ngan.variant.product.name in cart


def _picker_offers(client: Client, code: str) -> bool:
    from backend.regions.models import Commune

    pk = Commune.objects.get(code=code).pk
    return f'<option value="{pk}"' in client.get("/checkout/").content.decode()


@override_settings(SERVED_PROVINCES=THREE)
def test_the_commune_picker_starts_on_the_storefront_the_buyer_came_from(
    client: Client, shop: Shop, luc_ngan: Shop
) -> None:
    assert client.post("/cart/add", {"variant": luc_ngan.variant.pk, "quantity": 1}).status_code in (200, 302)
    lam_vien = shop.seller.commune.code
    assert _picker_offers(client, lam_vien) and not _picker_offers(client, CHU_BAC_NINH)  # the default province

    assert client.get("/bac-ninh/").status_code == 200
    assert _picker_offers(client, CHU_BAC_NINH) and not _picker_offers(client, lam_vien)
    options = client.get("/communes/").content.decode()  # the htmx picker without a search
    assert "Chũ" in options

    assert client.get("/ninh-binh/").status_code == 200  # the last storefront wins
    assert _picker_offers(client, HOA_LU_NINH_BINH) and not _picker_offers(client, CHU_BAC_NINH)
    with override_settings(SERVED_PROVINCES=["lam-dong"]):  # no longer served: back to the default
        assert _picker_offers(client, lam_vien)
