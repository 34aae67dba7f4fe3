"""Users log in by e-mail (case-insensitive) and password, or by a verified Vietnamese phone and a
one-time code (`backend.accounts.otp`). E-mail is optional (NULL, never "") once a phone is verified;
a verified phone belongs to one account at most. Roles (see docs/permissions.md):

- buyer: any user;
- seller staff: membership in a seller (sellers app);
- province admin: a `ProvinceAdminScope` (one province, optionally some communes);
- platform staff: `is_platform_staff`, the marketplace's operators (money: carrier cash,
  remittance, settlement, payouts, commissions);
- superuser.

`is_staff` only opens the Django admin; it grants no role.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str | None, password: str | None, **extra: Any) -> User:
        if not email and not extra.get("phone_verified"):
            raise ValueError("E-mail (or a verified phone) is required.")
        user = self.model(email=self.normalize_email(email).lower() if email else None, **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"], validate_unique=False)
        user.save(using=self._db)
        return user

    def create_user(self, email: str | None, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=(username or "").strip())


class User(AbstractBaseUser, PermissionsMixin):
    class Language(models.TextChoices):
        VI = "vi", "Tiếng Việt"
        EN = "en", "English"

    email = models.EmailField(_("e-mail"), max_length=254, unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True, help_text=_("E.164, e.g. +84903123456"))
    phone_verified = models.BooleanField(
        _("phone verified"), default=False, help_text=_("The owner proved the phone with a one-time code.")
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.VI
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Opens the Django admin; grants no role by itself.")
    )
    is_platform_staff = models.BooleanField(
        _("platform staff"),
        default=False,
        help_text=_("Marketplace operator: records carrier cash, remittances, settlements, payouts and commissions."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Bumped on password change: every JWT issued before carries the old value
    # and is refused from then on.
    token_version = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(
                fields=["phone"], condition=models.Q(phone_verified=True), name="user_verified_phone_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.email or self.phone or f"#{self.pk}"

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        if self.pk is not None:
            self.token_version += 1

    def check_password(self, raw_password: str) -> bool:
        def rehash(raw: str) -> None:
            # Django upgrades old hashes on login: same password, so keep tokens valid.
            AbstractBaseUser.set_password(self, raw)
            self._password = None
            self.save(update_fields=["password"])

        return check_password(raw_password, self.password, rehash)

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower() if self.email else None

    @property
    def login_key(self) -> str:
        """What identifies the account to the sign-in throttles: its e-mail, else its phone."""
        return self.email or self.phone

    @property
    def is_province_admin(self) -> bool:
        return self.is_superuser or hasattr(self, "province_scope")


class ProvinceAdminScope(models.Model):
    """Makes a user a province admin: one province, optionally only some communes."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="province_scope")
    province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="admin_scopes")
    communes = models.ManyToManyField(
        "regions.Commune",
        blank=True,
        related_name="admin_scopes",
        help_text=_("Leave empty to cover the whole province."),
    )

    class Meta:
        verbose_name = _("province admin scope")
        verbose_name_plural = _("province admin scopes")

    def __str__(self) -> str:
        return f"{self.user} @ {self.province}"


class CodePurpose(models.TextChoices):
    SIGN_IN = "SIGN_IN", _("Sign in or register")
    PASSWORD_RESET = "PASSWORD_RESET", _("Password reset")
    VERIFY_PHONE = "VERIFY_PHONE", _("Verify a phone")
    HELPER_CONSENT = "HELPER_CONSENT", _("Consent to a commune helper")


class PhoneCode(models.Model):
    """A one-time code sent to a phone. Only a keyed hash of the code is kept (`backend.accounts.otp`);
    a code works once, until `expires_at`, and dies after OTP_MAX_ATTEMPTS wrong guesses."""

    phone = models.CharField(_("phone"), max_length=16)
    purpose = models.CharField(_("purpose"), max_length=20, choices=CodePurpose.choices)
    code_hash = models.CharField(max_length=64, editable=False)
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"], name="phonecode_latest")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.phone[:-3]}***"
