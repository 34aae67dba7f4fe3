"""Domain errors. Services raise these; the API turns them into `errors` data.

Each error carries a machine code (the GraphQL ErrorCode enum), an optional
field name and a translatable message. Domain code never imports GraphQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ErrorDetail:
    code: str
    message: str | Promise
    field: str | None = None


class DomainError(Exception):
    """One or more business failures (e.g. several invalid input fields)."""

    default_code = "INVALID"
    default_message: str | Promise = _("The request is not valid.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        details: Iterable[ErrorDetail] = (),
    ) -> None:
        self.details = list(details)
        if message is not None or code is not None or field is not None:
            self.details.insert(
                0,
                ErrorDetail(code=code or self.default_code, message=message or self.default_message, field=field),
            )
        if not self.details:
            self.details = [ErrorDetail(code=self.default_code, message=self.default_message)]
        super().__init__(str(self.details[0].message))

    @property
    def code(self) -> str:
        return self.details[0].code


class ValidationFailed(DomainError):
    default_code = "INVALID"


class NotFound(DomainError):
    default_code = "NOT_FOUND"
    default_message = _("Not found.")


class PermissionDenied(DomainError):
    default_code = "PERMISSION_DENIED"
    default_message = _("You do not have permission to do this.")


class InvalidTransition(DomainError):
    default_code = "INVALID_TRANSITION"
    default_message = _("This change of status is not allowed.")


class Throttled(DomainError):
    default_code = "THROTTLED"
    default_message = _("Too many attempts. Please wait a few minutes and try again.")
