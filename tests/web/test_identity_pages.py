"""Identity pages: the owner sends the CCCD photos, a province officer compares them and decides."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.accounts.models import User
from backend.moderation.models import AuditEntry
from backend.sellers.models import IdentityVerification, SellerStatus
from tests.factories import SellerFactory, add_staff
from tests.sellers.identity_kit import CCCD, photo

pytestmark = pytest.mark.django_db


def test_owner_sends_photos_and_the_officer_verifies(client: Client, lam_dong_admin: User, settings, tmp_path) -> None:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    seller = SellerFactory(status=SellerStatus.PENDING, kind="HOUSEHOLD", name="Hộ Nguyễn Văn An")
    owner = add_staff(seller)
    client.force_login(owner)
    page = client.get(f"/seller/{seller.pk}/identity/")
    assert page.status_code == 200 and "VNeID" in page.content.decode()

    wrong = {"provider": "manual", "full_name": "Nguyễn Văn An", "birth_date": "14/03/1995", "id_number": CCCD}
    refused = client.post(f"/seller/{seller.pk}/identity/", {**wrong, "front_photo": photo("f.png")})
    assert refused.status_code == 400
    assert "năm sinh" in refused.content.decode()  # the CCCD says 1985
    assert not IdentityVerification.objects.exists()

    form = {**wrong, "birth_date": "14/03/1985", "front_photo": photo("f.png"), "back_photo": photo("b.png")}
    sent = client.post(f"/seller/{seller.pk}/identity/", form)
    assert sent.status_code == 302
    verification = IdentityVerification.objects.get()
    assert verification.status == "PENDING"

    client.force_login(lam_dong_admin)
    queue = client.get("/province/identity/").content.decode()
    assert "Hộ Nguyễn Văn An" in queue and CCCD not in queue
    review_url = f"/province/identity/{verification.pk}/"
    review = client.get(review_url).content.decode()
    assert f"/sellers/identity/{verification.pk}/front" in review and CCCD not in review
    hasty = client.post(review_url, {"decision": "approve"})
    assert hasty.status_code == 400 and "Xác nhận mọi bước đối chiếu" in hasty.content.decode()
    decision = {
        "decision": "approve",
        "front_photo_genuine": "on",
        "back_photo_genuine": "on",
        "face_matches": "on",
        "card_valid": "on",
        "read_full_name": "Nguyễn Văn An",
        "read_birth_date": "14/03/1985",
        "read_id_number": CCCD,
    }
    assert client.post(review_url, decision).status_code == 302
    seller.refresh_from_db()
    assert seller.identity_verified_at is not None
    assert AuditEntry.objects.filter(action="seller.identity.verified", actor=lam_dong_admin).exists()


def test_the_pilot_banner_shows_when_the_rule_is_lifted(client: Client, lam_dong_admin: User, settings) -> None:
    client.force_login(lam_dong_admin)
    assert 'data-pilot="identity"' not in client.get("/province/sellers/").content.decode()
    settings.SELLER_APPROVAL_REQUIRES_IDENTITY = False
    assert 'data-pilot="identity"' in client.get("/province/sellers/").content.decode()
