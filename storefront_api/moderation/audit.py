"""The audit log over GraphQL: `auditLog(target, first, after)` for admins."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils import timezone
from django.utils.translation import gettext as _
from graphql import GraphQLError
from graphql_relay import from_global_id

from backend.core.errors import ValidationFailed
from backend.moderation.models import AuditEntry as AuditEntryModel
from backend.moderation.selectors import audit_entries_for, can_read_audit_log
from storefront_api.core.auth import current_user
from storefront_api.core.connection import Page, connection_field, paginate
from storefront_api.core.ids import decode_id, global_id

# GraphQL type name ↔ AuditEntry.target_type (the model name).
TARGET_TYPES = {"Seller": "seller", "Product": "product", "ListingReport": "listingreport"}
_TYPE_NAMES = {value: key for key, value in TARGET_TYPES.items()}


class AuditEntry(graphene.ObjectType):
    """One moderation act: who did what to which object, why, and the status change."""

    id = graphene.ID(required=True)
    action = graphene.String(required=True, description='e.g. "seller.approve", "seller.suspend".')
    actor_email = graphene.String(description="Null when the actor's account is gone or it was the system.")
    target_type = graphene.String(required=True, description="seller | product | listingreport")
    target_id = graphene.ID(required=True, description="Global ID of the target.")
    target_name = graphene.String(required=True)
    reason = graphene.String(required=True)
    status_before = graphene.String(required=True)
    status_after = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_id(root: AuditEntryModel, info: graphene.ResolveInfo) -> str:
        return global_id("AuditEntry", root.pk)

    @staticmethod
    def resolve_actor_email(root: AuditEntryModel, info: graphene.ResolveInfo) -> str | None:
        return root.actor.email if root.actor is not None else None

    @staticmethod
    def resolve_target_id(root: AuditEntryModel, info: graphene.ResolveInfo) -> str:
        return global_id(_TYPE_NAMES.get(root.target_type, root.target_type), root.target_id)

    @staticmethod
    def resolve_target_name(root: AuditEntryModel, info: graphene.ResolveInfo) -> str:
        return root.target_repr

    @staticmethod
    def resolve_created_at(root: AuditEntryModel, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.created_at)


def _target(value: str) -> tuple[str, int]:
    try:
        pk = decode_id(value, type_name=tuple(TARGET_TYPES), field="target")
    except ValidationFailed as exc:
        raise GraphQLError(str(exc.details[0].message), extensions={"code": "INVALID", "field": "target"}) from None
    return TARGET_TYPES[from_global_id(value)[0]], pk


class AuditQueries(graphene.ObjectType):
    audit_log = connection_field(
        AuditEntry,
        target=graphene.ID(description="Only entries about this Seller, Product or ListingReport."),
        description="Moderation history, newest first. Province admins see their scope; superusers everything.",
    )

    @staticmethod
    def resolve_audit_log(
        root: Any,
        info: graphene.ResolveInfo,
        first: int | None = None,
        after: str | None = None,
        target: str | None = None,
    ) -> Page:
        user = current_user(info)
        if not can_read_audit_log(user=user):
            raise GraphQLError(_("You do not have permission to do this."), extensions={"code": "PERMISSION_DENIED"})
        target_type, target_id = _target(target) if target else (None, None)
        entries = audit_entries_for(user=user, target_type=target_type, target_id=target_id)
        return paginate(entries, first=first, after=after)
