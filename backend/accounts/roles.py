"""Granting roles from the command line: province admins and platform staff (idempotent).

Each use case answers with the list of what it changed, in plain words, so operators (and the
acceptance checks) see what happened; running it again with the same arguments changes nothing.
Without a password, a new account has none usable: its owner sets one with "Forgot your password?".
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from backend.accounts.models import ProvinceAdminScope, User
from backend.accounts.validation import email_errors, normalize_email, password_errors
from backend.core.errors import ValidationFailed
from backend.regions.models import Commune, Province


def _account(email: str, password: str | None, changes: list[str]) -> User:
    email = normalize_email(email)
    details = email_errors(email)
    if details:
        raise ValidationFailed(details=details)
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    if user is None:
        user = User(email=email)
        if password is None:
            user.set_unusable_password()
        changes.append(f"created the account {email}" + ("" if password else " (no password yet)"))
    if password is not None:
        problems = password_errors(password, user=user, field="password")
        if problems:
            raise ValidationFailed(details=problems)
        if not user.has_usable_password() or not user.check_password(password):
            user.set_password(password)
            if user.pk is not None:
                changes.append(f"set a new password for {email}")
    if user.pk is not None and not user.is_active:
        changes.append(f"reactivated {email}")
    if user.pk is not None and not user.is_staff:
        changes.append(f"opened the Django admin to {email}")
    user.is_active = user.is_staff = True  # is_staff: the Django admin, where both roles work too
    user.save()
    return user


@transaction.atomic
def make_province_admin(
    *, email: str, province: Province, communes: Sequence[Commune] = (), password: str | None = None
) -> list[str]:
    """Make `email` an admin of `province` (all of it, or only `communes`); what changed."""
    outside = [c.code for c in communes if c.province_id != province.pk]
    if outside:
        raise ValidationFailed(f"Communes outside {province.name}: {', '.join(outside)}.", field="commune")
    changes: list[str] = []
    user = _account(email, password, changes)
    scope = ProvinceAdminScope.objects.select_for_update().filter(user=user).first()
    if scope is None:
        scope = ProvinceAdminScope.objects.create(user=user, province=province)
        changes.append(f"made {user.email} a province admin of {province.name}")
    elif scope.province_id != province.pk:
        changes.append(f"moved {user.email} from {scope.province.name} to {province.name}")
        scope.province = province
        scope.save(update_fields=["province"])
    wanted = {c.pk for c in communes}
    if wanted != set(scope.communes.values_list("pk", flat=True)):
        scope.communes.set(communes)
        names = ", ".join(sorted(c.name for c in communes)) or f"the whole of {province.name}"
        changes.append(f"scope of {user.email}: {names}")
    return changes


@transaction.atomic
def make_platform_staff(*, email: str, password: str | None = None) -> list[str]:
    """Make `email` platform staff (the marketplace's operators); what changed."""
    changes: list[str] = []
    user = _account(email, password, changes)
    if not user.is_platform_staff:
        user.is_platform_staff = True
        user.save(update_fields=["is_platform_staff"])
        changes.append(f"made {user.email} platform staff")
    return changes
