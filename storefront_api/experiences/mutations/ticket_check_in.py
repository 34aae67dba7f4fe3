"""ticketCheckIn: the operator's staff scans a ticket at the meeting point."""

from __future__ import annotations

from typing import Any

import graphene

from backend.core.errors import DomainError
from backend.experiences import bookings
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation, _error
from storefront_api.experiences.types import TicketPayload, ticket_views


class TicketCheckIn(BaseMutation):
    """First scan checks in. A second scan answers ALREADY_CHECKED_IN ("already checked in at …")
    with the ticket and changes nothing; a ticket for another day answers WRONG_DAY unless
    `allowOtherDay` confirms; another operator's ticket is PERMISSION_DENIED."""

    class Arguments:
        code = graphene.String(required=True)
        allow_other_day = graphene.Boolean(default_value=False)

    class Meta:
        output = TicketPayload

    @classmethod
    def mutate(cls, root: Any, info: graphene.ResolveInfo, **arguments: Any) -> Any:
        try:
            return TicketPayload(errors=[], **cls.perform(info, **arguments))
        except (bookings.AlreadyCheckedIn, bookings.WrongDay) as exc:
            # A refused scan still shows whose ticket it is, so the operator can act on it.
            return TicketPayload(ticket=ticket_views([exc.ticket])[0], errors=[_error(d) for d in exc.details])
        except DomainError as exc:
            return TicketPayload(errors=[_error(d) for d in exc.details])

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        ticket = bookings.ticket_check_in(
            code=arguments["code"], actor=user, allow_other_day=arguments.get("allow_other_day", False)
        )
        return {"ticket": ticket_views([ticket])[0]}
