"""The commune helper role of the permission table: an active appointment covering the place's commune
and, for an act on a seller, a live grant from that seller. Acts a helper does for a seller are
recorded (`HelperAct`) by the permission check itself, so no service has to remember to."""

from __future__ import annotations

from backend.accounts.models import User
from backend.accounts.permissions import Act, Place, Role, located, record_helper_acts_with, role_test
from backend.helpers.models import HelperAct, HelperAppointment, HelperGrant


def appointment_of(user: User) -> HelperAppointment | None:
    return HelperAppointment.objects.filter(user=user, revoked_at__isnull=True).prefetch_related("communes").first()


@role_test(Role.COMMUNE_HELPER)
def _commune_helper(user: User, place: Place) -> bool:
    appointment = appointment_of(user)
    if appointment is None:
        return False
    where = located(place)
    if where.province_id != appointment.province_id or where.commune_id is None:
        return False
    if where.commune_id not in {c.pk for c in appointment.communes.all()}:
        return False
    if place.seller_id is None:
        return True  # an act in the commune itself (registering a household)
    return HelperGrant.objects.filter(helper=user, seller_id=place.seller_id, revoked_at__isnull=True).exists()


def _record(user: User, act: Act, place: Place) -> None:
    assert place.seller_id is not None
    HelperAct.objects.create(helper=user, seller_id=place.seller_id, act=str(act))


record_helper_acts_with(_record)
