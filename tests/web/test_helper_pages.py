"""The helper workspace in the seller portal and the officer's helper page."""

from __future__ import annotations

from typing import Any

import pytest

from backend.accounts.models import ProvinceAdminScope
from backend.helpers import services
from backend.helpers.models import HelperAppointment
from backend.sellers.models import Seller
from tests.factories import DA_LAT_LAM_VIEN, UserFactory, commune
from tests.notifications.helpers import last_code, sandbox

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sandbox")]
__all__ = ["sandbox"]


@pytest.fixture
def officer(regions: Any) -> Any:
    user = UserFactory()
    ProvinceAdminScope.objects.create(user=user, province=commune(DA_LAT_LAM_VIEN).province)
    return user


def test_officer_appoints_then_the_helper_registers_and_works_for_a_household(
    client: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    helper = UserFactory(full_name="Anh Tuấn", phone="+84911222333", phone_verified=True)
    client.force_login(officer)
    page = client.get("/province/helpers/")
    assert page.status_code == 200
    lam_vien = commune(DA_LAT_LAM_VIEN)
    done = client.post("/province/helpers/", {"helper": "0911222333", "communes": [str(lam_vien.pk)]})
    assert done.status_code == 302
    assert list(HelperAppointment.objects.get(user=helper).communes.all()) == [lam_vien]

    client.force_login(helper)
    assert b"/seller/helper/register" in client.get("/seller/").content
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(
            "/seller/helper/register",
            {"step": "household", "commune": str(lam_vien.pk), "name": "Hộ chị Mai", "phone": "0987000111"},
        )
    assert asked.status_code == 200 and b'name="code"' in asked.content
    registered = client.post("/seller/helper/register", {"step": "consent", "code": last_code("+84987000111")})
    seller = Seller.objects.get(name="Hộ chị Mai")
    assert registered.status_code == 302 and registered["Location"] == f"/seller/{seller.pk}/"

    home = client.get("/seller/")
    assert "Hộ chị Mai" in home.content.decode()
    dashboard = client.get(f"/seller/{seller.pk}/")
    assert dashboard.status_code == 200 and b"/payouts/" not in dashboard.content  # never the money
    assert client.get(f"/seller/{seller.pk}/payouts/").status_code == 404
    assert client.get(f"/seller/{seller.pk}/staff/").status_code == 404
    assert client.get(f"/seller/{seller.pk}/tax/").status_code in (403, 404)  # tax is money too
    assert client.get(f"/seller/{seller.pk}/orders/").status_code == 200

    client.force_login(officer)
    counts = client.get("/province/helpers/").content.decode()
    assert "Anh Tuấn" in counts and "Hộ chị Mai" not in counts


def test_a_user_who_is_not_a_helper_gets_no_register_page(client: Any, regions: Any) -> None:
    client.force_login(UserFactory())
    assert client.get("/seller/helper/register").status_code == 404


def test_helpers_page_is_for_province_admins(client: Any, regions: Any, officer: Any) -> None:
    services.helper_appoint(actor=officer, user=UserFactory(), communes=[commune(DA_LAT_LAM_VIEN)])
    client.force_login(UserFactory())
    assert client.get("/province/helpers/").status_code == 403


def test_the_seller_reads_every_helper_act_and_revokes_on_its_page(client: Any, officer: Any) -> None:
    from backend.catalog import services as catalog_services
    from backend.helpers.models import HelperGrant
    from tests.checkout.helpers import make_shop

    shop = make_shop()
    helper = UserFactory(full_name="Anh Tuấn")
    services.helper_appoint(actor=officer, user=helper, communes=[commune(DA_LAT_LAM_VIEN)])
    HelperGrant.objects.create(
        helper=helper, seller=shop.seller, consent_phone="+84987000111", consent_at=shop.seller.created_at
    )
    catalog_services.product_unpublish(product=shop.variant.product, actor=helper)

    client.force_login(helper)
    assert client.get(f"/seller/{shop.seller.pk}/helpers/").status_code == 404  # the seller's own page

    client.force_login(shop.staff)
    page = client.get(f"/seller/{shop.seller.pk}/helpers/").content.decode()
    assert "Anh Tuấn" in page and 'data-act="product.edit"' in page and "+84987000111" in page
    done = client.post(f"/seller/{shop.seller.pk}/helpers/", {"helper": str(helper.pk)})
    assert done.status_code == 302
    assert not HelperGrant.objects.filter(revoked_at__isnull=True).exists()
    client.force_login(helper)
    assert client.get(f"/seller/{shop.seller.pk}/").status_code == 404  # the workspace is closed
