"""Personal numbers at rest: Fernet-encrypted model fields and keyed blind indexes.

The fields come from `django-fernet-encrypted-fields` (jazzband); we only replace where their keys come
from. The library derives its key from SECRET_KEY, which would tie every stored ID number to the session
key; here the keys are `FIELD_ENCRYPTION_KEYS` (Fernet keys from the environment, the first encrypts,
all decrypt, so a key is rotated by putting the new one first). A Fernet token is random, so an
encrypted column cannot be filtered on: `blind_index` gives a keyed HMAC of the normalised number
(`FIELD_INDEX_KEY`) to look a number up or find duplicates without decrypting anything.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from encrypted_fields import fields as encrypted


def encryption_keys() -> list[bytes]:
    return [key.encode("ascii") for key in settings.FIELD_ENCRYPTION_KEYS]


class _SettingsKeys:
    @cached_property
    def keys(self) -> list[bytes]:
        return encryption_keys()

    @cached_property
    def f(self) -> Fernet | MultiFernet:
        return MultiFernet([Fernet(key) for key in self.keys])

    def get_prep_value(self, value: Any) -> Any:
        # The library stores an empty value as NULL, which a NOT NULL blank column refuses: keep ''.
        if value == "" and not getattr(self, "null", False):
            return ""
        return super().get_prep_value(value)  # type: ignore[misc]


if TYPE_CHECKING:  # to the type checker (django-stubs) they are the plain fields they read as

    class EncryptedCharField(models.CharField):
        pass

    class EncryptedTextField(models.TextField):
        pass

else:

    class EncryptedCharField(_SettingsKeys, encrypted.EncryptedCharField):
        """A CharField stored as a Fernet token (a text column); reads give the plain value back."""

    class EncryptedTextField(_SettingsKeys, encrypted.EncryptedTextField):
        """A TextField stored as a Fernet token."""


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of `purpose:value` under FIELD_INDEX_KEY, hex; '' for an empty value."""
    if not value:
        return ""
    key = settings.FIELD_INDEX_KEY.encode("utf-8")
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
