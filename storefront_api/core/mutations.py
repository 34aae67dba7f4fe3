"""BaseMutation: domain errors become `errors { field code message }` data."""

from __future__ import annotations

import logging
from typing import Any

import graphene
from django.core.exceptions import ValidationError as DjangoValidationError

from backend.core.errors import DomainError, ErrorDetail
from storefront_api.core.types import Error

logger = logging.getLogger(__name__)


class Payload(graphene.ObjectType):
    """Base of every mutation payload: `errors` is empty on success."""

    class Meta:
        abstract = True

    errors = graphene.List(graphene.NonNull(Error), required=True)


def _camel(name: str | None) -> str | None:
    if not name or name == "__all__":
        return None
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def django_validation_details(exc: DjangoValidationError) -> list[ErrorDetail]:
    details: list[ErrorDetail] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                message = error.message % error.params if error.params else error.message
                code = "UNIQUE" if error.code == "unique" else "INVALID"
                details.append(ErrorDetail(code=code, message=message, field=_camel(field)))
    else:
        for error in exc.error_list:
            message = error.message % error.params if error.params else error.message
            details.append(ErrorDetail(code="INVALID", message=message))
    return details


class BaseMutation(graphene.Mutation):
    """Subclasses set `Meta.output` to a `Payload` and implement `perform`.

    `perform(info, **arguments)` returns a dict of payload fields. A
    `DomainError` (or Django `ValidationError`) raised inside becomes
    `errors`; anything else propagates to the view, which logs it with the
    request id and answers a generic error.
    """

    class Meta:
        abstract = True

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def mutate(cls, root: Any, info: graphene.ResolveInfo, **arguments: Any) -> Any:
        output = cls._meta.output
        try:
            fields = cls.perform(info, **arguments)
        except DomainError as exc:
            return output(errors=[_error(detail) for detail in exc.details])
        except DjangoValidationError as exc:
            return output(errors=[_error(detail) for detail in django_validation_details(exc)])
        return output(errors=[], **fields)


def _error(detail: ErrorDetail) -> Error:
    return Error(field=detail.field, code=detail.code, message=detail.message)
