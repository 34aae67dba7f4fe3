"""`me.sellers` lists the sellers the user is staff of, whatever their status."""

import pytest

from backend.sellers.models import MembershipRole, SellerStatus
from tests.factories import SellerFactory, UserFactory, add_staff

pytestmark = pytest.mark.django_db

ME = "{ me { email sellers { name status } } }"


def test_me_lists_own_sellers_only(gql, regions) -> None:
    user = UserFactory()
    approved = SellerFactory(name="HTX Dâu Tây A")
    pending = SellerFactory(name="HTX Chè B", status=SellerStatus.PENDING)
    SellerFactory(name="Người khác")
    add_staff(approved, user)
    add_staff(pending, user, role=MembershipRole.STAFF)

    sellers = gql(ME, user=user).data["me"]["sellers"]

    assert sellers == [
        {"name": "HTX Chè B", "status": "PENDING"},
        {"name": "HTX Dâu Tây A", "status": "APPROVED"},
    ]


def test_buyer_has_no_sellers(gql, regions) -> None:
    assert gql(ME, user=UserFactory()).data["me"]["sellers"] == []
