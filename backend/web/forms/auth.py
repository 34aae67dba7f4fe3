"""Sign-in and sign-up forms (the accounts services check the credentials and the rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    email = forms.CharField(label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label=_("Password"), max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class SignupForm(forms.Form):
    email = forms.CharField(label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    password = forms.CharField(
        label=_("Password"), max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


SIGNUP_FIELDS = {"email": "email", "password": "password", "fullName": "full_name", "phone": "phone"}


class PasswordForgotForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail"), max_length=254, required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=_("or phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


class NewPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"), max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_again = forms.CharField(
        label=_("New password again"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


PASSWORD_FORGOT_FIELDS = {"email": "email", "phone": "phone"}
NEW_PASSWORD_FIELDS = {"password": "password"}


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "0903 123 456"}),
    )


class PhoneCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}),
    )
    full_name = forms.CharField(
        label=_("Full name (new accounts)"), max_length=150, required=False, widget=forms.TextInput()
    )


class PhoneResetForm(NewPasswordForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}),
    )
    field_order = ["code", "password", "password_again"]


PHONE_FIELDS = {"phone": "phone", "code": "code", "fullName": "full_name", "password": "password"}
