"""Input types of the operator's experience mutations."""

from __future__ import annotations

from typing import Any

import graphene

from backend.experiences.services import ExperienceData, ParticipantTypeData
from storefront_api.core.ids import decode_id
from storefront_api.core.scalars import BigInt


class ParticipantTypeInput(graphene.InputObjectType):
    code = graphene.String(required=True, description='e.g. "adult", "child", "senior"')
    name = graphene.String(required=True, description='Shown to buyers, e.g. "Người lớn"')
    price = graphene.Field(BigInt, required=True, description="Whole đồng.")


class CancellationTierInput(graphene.InputObjectType):
    hours_before = graphene.Int(required=True)
    refund_percent = graphene.Int(required=True)


class ExperienceInput(graphene.InputObjectType):
    """Only the fields given change."""

    duration_minutes = graphene.Int()
    meeting_point = graphene.String()
    meeting_commune = graphene.ID()
    latitude = graphene.Float()
    longitude = graphene.Float()
    languages = graphene.List(graphene.NonNull(graphene.String))
    included = graphene.String()
    min_age = graphene.Int()
    capacity = graphene.Int(description="Places per slot.")
    booking_cutoff_minutes = graphene.Int(description="Bookings close this many minutes before the start.")
    cancellation_policy = graphene.List(graphene.NonNull(CancellationTierInput))
    participant_types = graphene.List(graphene.NonNull(ParticipantTypeInput), description="Replaces the list.")


class ScheduleInput(graphene.InputObjectType):
    weekdays = graphene.List(graphene.NonNull(graphene.Int), required=True, description="0 = Monday … 6 = Sunday.")
    start_times = graphene.List(graphene.NonNull(graphene.String), required=True, description='e.g. ["08:00"]')
    valid_from = graphene.Date(required=True)
    valid_until = graphene.Date()
    capacity = graphene.Int(description="Places per slot if not the experience's.")


def experience_data(value: Any) -> ExperienceData:
    commune = value.get("meeting_commune")
    policy = value.get("cancellation_policy")
    types = value.get("participant_types")
    return ExperienceData(
        duration_minutes=value.get("duration_minutes"),
        meeting_point=value.get("meeting_point"),
        meeting_commune_id=decode_id(commune, type_name="Commune", field="meetingCommune") if commune else None,
        latitude=value.get("latitude"),
        longitude=value.get("longitude"),
        languages=value.get("languages"),
        included=value.get("included"),
        min_age=value.get("min_age"),
        capacity=value.get("capacity"),
        booking_cutoff_minutes=value.get("booking_cutoff_minutes"),
        cancellation_policy=(
            [{"hours_before": t.hours_before, "refund_percent": t.refund_percent} for t in policy]
            if policy is not None
            else None
        ),
        participant_types=(
            [ParticipantTypeData(code=t.code, name=t.name, price=int(t.price)) for t in types]
            if types is not None
            else None
        ),
    )
