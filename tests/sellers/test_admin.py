"""The Django admin seller queue for province admins."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from backend.moderation.models import AuditEntry
from backend.regions.models import Commune, Province
from backend.sellers.models import MemberHousehold, SellerStatus
from tests.factories import SellerFactory, add_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:sellers_seller_changelist")


@pytest.fixture
def khanh_hoa_seller(regions):
    province = Province.objects.get(slug="khanh-hoa")
    commune = Commune.objects.get(province=province, slug="nha-trang")
    return SellerFactory(name="Yến sào Nha Trang", status=SellerStatus.PENDING, commune=commune)


def test_changelist_shows_only_the_admins_province(client, province_admin, pending_seller, khanh_hoa_seller) -> None:
    client.force_login(province_admin)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    listed = {seller.pk for seller in response.context["cl"].result_list}
    assert listed == {pending_seller.pk}
    # Filters and search work within the scope.
    response = client.get(CHANGELIST, {"status__exact": "PENDING", "q": "nong nghiep"})
    assert [s.pk for s in response.context["cl"].result_list] == [pending_seller.pk]
    response = client.get(CHANGELIST, {"q": "0903 123 456"})  # stored as +84903123456
    assert [s.pk for s in response.context["cl"].result_list] == [pending_seller.pk]
    # Another province's seller cannot be opened either.
    change = reverse("admin:sellers_seller_change", args=[khanh_hoa_seller.pk])
    assert client.get(change).status_code == 302  # "doesn't exist" → back to the index


def test_admin_index_lists_sellers_for_a_province_admin(client, province_admin) -> None:
    client.force_login(province_admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert CHANGELIST in response.content.decode()


def test_change_page_shows_inlines_and_audit_log(client, province_admin, approved_seller, owner) -> None:
    MemberHousehold.objects.create(seller=approved_seller, name="Hộ Ka Sô", commune=approved_seller.commune)
    from backend.sellers import services

    services.seller_suspend(seller=approved_seller, actor=province_admin, reason="Khiếu nại của khách")
    client.force_login(province_admin)
    response = client.get(reverse("admin:sellers_seller_change", args=[approved_seller.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert owner.email in page
    assert "Hộ Ka Sô" in page
    assert "seller.suspend" in page and "Khiếu nại của khách" in page


def test_approve_action_calls_the_service(client, province_admin, pending_seller, eager_mail) -> None:
    add_staff(pending_seller)
    client.force_login(province_admin)
    with eager_mail():
        response = client.post(
            CHANGELIST, {"action": "approve_selected", ACTION_CHECKBOX_NAME: [pending_seller.pk]}, follow=True
        )
    assert response.status_code == 200
    pending_seller.refresh_from_db()
    assert pending_seller.status == SellerStatus.APPROVED
    entry = AuditEntry.objects.get(target_type="seller", target_id=pending_seller.pk)
    assert (entry.actor, entry.action, entry.status_before, entry.status_after) == (
        province_admin,
        "seller.approve",
        "PENDING",
        "APPROVED",
    )
    assert len(mail.outbox) == 1


def test_approve_action_reports_refusals(client, province_admin, approved_seller) -> None:
    client.force_login(province_admin)
    response = client.post(
        CHANGELIST, {"action": "approve_selected", ACTION_CHECKBOX_NAME: [approved_seller.pk]}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(approved_seller.name in m for m in messages)
    assert not AuditEntry.objects.exists()


def test_reject_action_asks_for_a_reason(client, province_admin, pending_seller) -> None:
    client.force_login(province_admin)
    data = {"action": "reject_selected", ACTION_CHECKBOX_NAME: [pending_seller.pk]}
    form_page = client.post(CHANGELIST, data)
    assert form_page.status_code == 200
    assert 'name="reason"' in form_page.content.decode()
    pending_seller.refresh_from_db()
    assert pending_seller.status == SellerStatus.PENDING

    blank = client.post(CHANGELIST, {**data, "apply": "1", "reason": ""})
    assert blank.status_code == 200  # the form again, with an error
    pending_seller.refresh_from_db()
    assert pending_seller.status == SellerStatus.PENDING

    done = client.post(CHANGELIST, {**data, "apply": "1", "reason": "Thiếu giấy phép kinh doanh"})
    assert done.status_code == 302
    pending_seller.refresh_from_db()
    assert pending_seller.status == SellerStatus.REJECTED
    assert AuditEntry.objects.get().reason == "Thiếu giấy phép kinh doanh"


def test_province_admin_cannot_edit_or_add(client, province_admin, pending_seller) -> None:
    client.force_login(province_admin)
    response = client.post(
        reverse("admin:sellers_seller_change", args=[pending_seller.pk]), {"name": "Đổi tên", "status": "APPROVED"}
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:sellers_seller_add")).status_code == 403
    pending_seller.refresh_from_db()
    assert pending_seller.status == SellerStatus.PENDING


def test_audit_log_admin_is_read_only_and_scoped(client, province_admin, other_province_admin, approved_seller):
    from backend.sellers import services

    services.seller_suspend(seller=approved_seller, actor=province_admin, reason="Hàng giả")
    entry = AuditEntry.objects.get()
    url = reverse("admin:moderation_auditentry_changelist")
    client.force_login(province_admin)
    response = client.get(url, {"target_type": "seller", "target_id": approved_seller.pk})
    assert response.status_code == 200
    assert [e.pk for e in response.context["cl"].result_list] == [entry.pk]
    assert client.get(reverse("admin:moderation_auditentry_change", args=[entry.pk])).status_code == 200
    assert client.post(reverse("admin:moderation_auditentry_delete", args=[entry.pk])).status_code == 403

    client.force_login(other_province_admin)
    assert list(client.get(url).context["cl"].result_list) == []
