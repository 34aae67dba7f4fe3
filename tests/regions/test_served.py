"""SERVED_PROVINCES: the one place that says which provinces a deployment serves."""

from __future__ import annotations

import pytest
from django.test import override_settings

from backend.regions import served

pytestmark = pytest.mark.django_db


def test_default_deployment_serves_lam_dong_only() -> None:
    assert served.served_province_slugs() == ["lam-dong"]
    assert served.default_province_slug() == "lam-dong"
    assert not served.serves_many()
    assert [p.slug for p in served.served_provinces()] == ["lam-dong"]


@override_settings(SERVED_PROVINCES=["lam-dong", "bac-ninh", "ninh-binh"], DEFAULT_PROVINCE="bac-ninh")
def test_several_provinces_default_first() -> None:
    assert served.served_province_slugs() == ["bac-ninh", "lam-dong", "ninh-binh"]
    assert [p.slug for p in served.served_provinces()] == ["bac-ninh", "lam-dong", "ninh-binh"]
    assert served.is_served("ninh-binh") and not served.is_served("ha-noi")
    sites = {site.slug: site for site in served.served_sites()}
    assert sites["bac-ninh"].title == "Chợ Bắc Ninh" and sites["bac-ninh"].is_default
    assert sites["ninh-binh"].title == "Chợ Ninh Bình"
    assert sites["lam-dong"].primary != sites["bac-ninh"].primary


@override_settings(SERVED_PROVINCES=["lam-dong", "bac-ninh"])
def test_commune_picker_covers_every_served_province_with_its_name() -> None:
    communes = list(served.served_communes())
    assert {c.province.slug for c in communes} == {"lam-dong", "bac-ninh"}
    chu = next(c for c in communes if c.name == "Phường Chũ")
    assert served.commune_label(chu) == "Phường Chũ (Bắc Ninh)"


def test_a_province_without_its_own_look_gets_a_plain_title() -> None:
    from backend.regions.models import Province

    site = served.province_site(Province.objects.get(slug="dong-nai"))
    assert site.title == "Chợ Đồng Nai" and site.primary.startswith("#")
