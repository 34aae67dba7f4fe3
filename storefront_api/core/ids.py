"""Relay global IDs: base64("TypeName:pk")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from graphql_relay import from_global_id, to_global_id

from backend.core.errors import ValidationFailed


def global_id(type_name: str, pk: object) -> str:
    return to_global_id(type_name, str(pk))


def decode_id(value: str, *, type_name: str | tuple[str, ...], field: str = "id") -> int:
    """The database pk of a global ID of the expected type, or a clear INVALID error."""
    expected = (type_name,) if isinstance(type_name, str) else type_name
    try:
        decoded_type, raw_pk = from_global_id(value)
        pk = int(raw_pk)
    except (TypeError, ValueError, UnicodeDecodeError):
        raise ValidationFailed(_("This is not a valid ID."), field=field) from None
    if decoded_type not in expected or pk <= 0:
        raise ValidationFailed(_("This ID does not belong to the expected kind of object."), field=field)
    return pk
