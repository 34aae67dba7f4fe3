"""The published documents (operator, MoIT registration, rules, returns, privacy, ranking) and their versions."""

from __future__ import annotations

from typing import Any

import graphene
from django.conf import settings
from django.urls import reverse

from backend.legal.documents import DOCUMENTS, LegalDocument


class PublishedDocument(graphene.ObjectType):
    slug = graphene.String(required=True)
    title = graphene.String(required=True, description="Localized per Accept-Language.")
    version = graphene.String(required=True, description="The date the text took effect (ISO).")
    url = graphene.String(required=True)

    @staticmethod
    def resolve_title(root: LegalDocument, info: graphene.ResolveInfo) -> str:
        return str(root.title)

    @staticmethod
    def resolve_url(root: LegalDocument, info: graphene.ResolveInfo) -> str:
        return settings.PUBLIC_URL + reverse("legal:document", args=[root.slug])


class MarketplaceRegistration(graphene.ObjectType):
    operator_name = graphene.String(required=True)
    moit_registration_number = graphene.String(description="Null until registered with the MoIT.")
    moit_registration_url = graphene.String()


class LegalQueries(graphene.ObjectType):
    legal_documents = graphene.List(graphene.NonNull(PublishedDocument), required=True)
    marketplace_registration = graphene.Field(graphene.NonNull(MarketplaceRegistration))

    @staticmethod
    def resolve_legal_documents(root: Any, info: graphene.ResolveInfo) -> tuple[LegalDocument, ...]:
        return DOCUMENTS

    @staticmethod
    def resolve_marketplace_registration(root: Any, info: graphene.ResolveInfo) -> MarketplaceRegistration:
        return MarketplaceRegistration(
            operator_name=settings.PLATFORM_OPERATOR_NAME,
            moit_registration_number=settings.MOIT_REGISTRATION_NUMBER or None,
            moit_registration_url=settings.MOIT_REGISTRATION_URL or None,
        )
