"""Storefront forms: cart lines, shipping address (with the old-address helper), payment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from payments.registry import label_of


def gateway_label(gateway_id: str) -> str:
    """The gateway's own display label (`payments/`), in the reader's language."""
    return gettext(label_of(gateway_id))


class AddToCartForm(forms.Form):
    variant = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=999, initial=1)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.IntegerField(required=False, widget=forms.HiddenInput)
    commune = forms.IntegerField(required=False, widget=forms.HiddenInput)
    province = forms.SlugField(required=False, widget=forms.HiddenInput)
    price_min = forms.IntegerField(label=_("Price from (đ)"), required=False, min_value=0)
    price_max = forms.IntegerField(label=_("Price to (đ)"), required=False, min_value=0)
    ocop = forms.TypedChoiceField(
        label=_("OCOP stars"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), ("3", "3+ ★"), ("4", "4+ ★"), ("5", "5 ★")],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Most relevant")),
            ("price_asc", _("Price: low to high")),
            ("price_desc", _("Price: high to low")),
            ("newest", _("Newest")),
            ("ocop", _("OCOP stars")),
        ],
    )


class AddressForm(forms.Form):
    full_name = forms.CharField(label=_("Receiver's name"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    street = forms.CharField(label=_("Street address"), max_length=255, required=False)
    commune_search = forms.CharField(label=_("Find your commune"), required=False, max_length=100)
    commune = forms.TypedChoiceField(
        label=_("Commune / ward (since July 2025)"), coerce=int, required=False, empty_value=None
    )
    use_legacy = forms.BooleanField(label=_("My address is the old one (before July 2025)"), required=False)
    legacy_ward = forms.CharField(label=_("Old ward / commune"), required=False, max_length=100)
    legacy_district = forms.CharField(label=_("Old district"), required=False, max_length=100)
    legacy_province = forms.CharField(label=_("Old province"), required=False, max_length=100)

    def __init__(self, *args: Any, communes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["commune"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Choose…")), *communes]
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["street"].widget.attrs["autocomplete"] = "street-address"
        # With JavaScript the commune list follows the search box as the buyer types.
        self.fields["commune_search"].widget.attrs.update(
            {
                "hx-get": reverse("web:communes"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#id_commune",
                "autocomplete": "off",
            }
        )


ADDRESS_FIELDS = {
    "address.fullName": "full_name",
    "address.phone": "phone",
    "address.street": "street",
    "address.commune": "commune",
    "address.legacy.ward": "legacy_ward",
    "address.legacy.district": "legacy_district",
    "address.legacy.province": "legacy_province",
}


class PaymentForm(forms.Form):
    gateway = forms.ChoiceField(label=_("Payment method"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, gateways: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["gateway"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(g, gateway_label(g)) for g in gateways]
        if gateways:
            self.fields["gateway"].initial = gateways[0]


class OrderLookupForm(forms.Form):
    number = forms.CharField(
        label=_("Order number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}),
    )
    contact = forms.CharField(
        label=_("E-mail or phone used for the order"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )
