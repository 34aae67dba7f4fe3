"""Experience mutations: one module per mutation."""

import graphene

from storefront_api.experiences.mutations.booking_cancel import BookingCancel
from storefront_api.experiences.mutations.booking_no_show import BookingNoShow
from storefront_api.experiences.mutations.experience_blackout_add import ExperienceBlackoutAdd
from storefront_api.experiences.mutations.experience_blackout_remove import ExperienceBlackoutRemove
from storefront_api.experiences.mutations.experience_schedule_create import ExperienceScheduleCreate
from storefront_api.experiences.mutations.experience_schedule_delete import ExperienceScheduleDelete
from storefront_api.experiences.mutations.experience_update import ExperienceUpdate
from storefront_api.experiences.mutations.slot_cancel import SlotCancel
from storefront_api.experiences.mutations.slot_create import SlotCreate
from storefront_api.experiences.mutations.slot_update import SlotUpdate
from storefront_api.experiences.mutations.ticket_check_in import TicketCheckIn


class ExperienceMutations(graphene.ObjectType):
    experience_update = ExperienceUpdate.Field(required=True)
    experience_schedule_create = ExperienceScheduleCreate.Field(required=True)
    experience_schedule_delete = ExperienceScheduleDelete.Field(required=True)
    experience_blackout_add = ExperienceBlackoutAdd.Field(required=True)
    experience_blackout_remove = ExperienceBlackoutRemove.Field(required=True)
    slot_create = SlotCreate.Field(required=True)
    slot_update = SlotUpdate.Field(required=True)
    slot_cancel = SlotCancel.Field(required=True)
    booking_cancel = BookingCancel.Field(required=True)
    booking_no_show = BookingNoShow.Field(required=True)
    ticket_check_in = TicketCheckIn.Field(required=True)
