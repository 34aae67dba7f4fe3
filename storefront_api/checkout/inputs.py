"""Input types of checkout mutations and their conversion to service inputs."""

from __future__ import annotations

from typing import Any

import graphene

from backend.checkout.services import AddressData, LegacyAddress, LineInput, ParticipantCount
from storefront_api.core.ids import decode_id


class CheckoutLineInput(graphene.InputObjectType):
    variant = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class ParticipantInput(graphene.InputObjectType):
    participant_type = graphene.String(required=True, description='e.g. "adult", "child"')
    quantity = graphene.Int(required=True)


def participant_inputs(items: list[dict[str, Any]]) -> list[ParticipantCount]:
    return [
        ParticipantCount(participant_type=item["participant_type"], quantity=int(item["quantity"])) for item in items
    ]


class LegacyAddressInput(graphene.InputObjectType):
    """A pre-2025 address: old ward/commune, district and province names."""

    ward = graphene.String(required=True)
    district = graphene.String(required=True)
    province = graphene.String(required=True)


class AddressInput(graphene.InputObjectType):
    full_name = graphene.String(required=True)
    phone = graphene.String(required=True, description="A Vietnamese number; stored as E.164.")
    street = graphene.String(required=True)
    commune = graphene.ID(required=True, description="A post-2025 commune.")
    legacy = graphene.Field(
        LegacyAddressInput,
        description="A pre-2025 address: when given, its conversion decides the commune instead of `commune`.",
    )


def line_inputs(lines: list[dict[str, Any]]) -> list[LineInput]:
    return [
        LineInput(
            variant_id=decode_id(line["variant"], type_name="ProductVariant", field=f"lines.{index}.variant"),
            quantity=int(line["quantity"]),
        )
        for index, line in enumerate(lines)
    ]


def address_data(address: dict[str, Any]) -> AddressData:
    legacy = address.get("legacy")
    commune_id = None
    if legacy is None:
        commune_id = decode_id(address["commune"], type_name="Commune", field="address.commune")
    return AddressData(
        full_name=address.get("full_name") or "",
        phone=address.get("phone") or "",
        street=address.get("street") or "",
        commune_id=commune_id,
        legacy=LegacyAddress(ward=legacy["ward"], district=legacy["district"], province=legacy["province"])
        if legacy is not None
        else None,
    )
