"""Personal data rights over GraphQL: consents, download my data, delete my account, overdue requests."""

from __future__ import annotations

import json
from typing import Any

import graphene
from django.utils import timezone

from backend.legal import services as legal
from backend.privacy import services
from storefront_api.core.auth import current_user, require_user
from storefront_api.core.mutations import BaseMutation, Payload


class Consent(graphene.ObjectType):
    purpose = graphene.String(required=True, description="ACCOUNT | ORDER_FULFILMENT | MARKETING")
    notice_version = graphene.String(required=True)
    channel = graphene.String(required=True)
    given_at = graphene.DateTime(required=True)
    withdrawn_at = graphene.DateTime()

    @staticmethod
    def resolve_given_at(root: Any, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.granted_at)

    @staticmethod
    def resolve_withdrawn_at(root: Any, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.withdrawn_at) if root.withdrawn_at else None


class DataRequest(graphene.ObjectType):
    kind = graphene.String(required=True, description="EXPORT | DELETE")
    status = graphene.String(required=True)
    requested_at = graphene.DateTime(required=True)
    due_at = graphene.DateTime(required=True)


class PrivacyQueries(graphene.ObjectType):
    my_consents = graphene.List(graphene.NonNull(Consent), required=True, description="Yours, newest first.")
    my_data = graphene.String(description="Everything held about you, as a JSON document (recorded).")
    overdue_data_requests = graphene.List(
        graphene.NonNull(DataRequest), description="Open requests past their deadline. Platform and province."
    )

    @staticmethod
    def resolve_my_consents(root: Any, info: graphene.ResolveInfo) -> list[Any]:
        return list(legal.consents_of(user=current_user(info)))

    @staticmethod
    def resolve_my_data(root: Any, info: graphene.ResolveInfo) -> str:
        return json.dumps(services.data_export(user=require_user(info)), ensure_ascii=False)

    @staticmethod
    def resolve_overdue_data_requests(root: Any, info: graphene.ResolveInfo) -> list[Any]:
        return list(services.data_requests_overdue(user=require_user(info)))


class ConsentPayload(Payload):
    consents = graphene.List(graphene.NonNull(Consent))


class ConsentGrant(BaseMutation):
    """Opt in to a purpose (MARKETING); consent is never implied."""

    class Arguments:
        purpose = graphene.String(required=True)

    class Meta:
        output = ConsentPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        legal.consent_grant(user=user, purpose=arguments["purpose"], channel="API")
        return {"consents": list(legal.consents_of(user=user))}


class ConsentWithdraw(BaseMutation):
    """Withdraw your consent to a purpose."""

    class Arguments:
        purpose = graphene.String(required=True)

    class Meta:
        output = ConsentPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        legal.consent_withdraw(user=user, purpose=arguments["purpose"])
        return {"consents": list(legal.consents_of(user=user))}


class AccountDeletePayload(Payload):
    deleted = graphene.Boolean()


class AccountDelete(BaseMutation):
    """Delete your account, confirmed with your password. Orders and money records stay, pseudonymised."""

    class Arguments:
        password = graphene.String(required=True)

    class Meta:
        output = AccountDeletePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        services.account_delete(user=require_user(info), password=arguments["password"])
        return {"deleted": True}


class PrivacyMutations(graphene.ObjectType):
    consent_grant = ConsentGrant.Field(required=True)
    consent_withdraw = ConsentWithdraw.Field(required=True)
    account_delete = AccountDelete.Field(required=True)
