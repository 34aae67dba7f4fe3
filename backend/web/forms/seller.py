"""Seller portal forms: applying, products, variants, photos, orders, staff."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.catalog.models import Category, TaxCategory
from backend.orders.models import COD_SELLER_EVENTS, CodStatus
from backend.sellers.models import SellerKind

MONTHS = [(m, str(m)) for m in range(1, 13)]


class ApplyForm(forms.Form):
    name = forms.CharField(label=_("Seller name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=SellerKind.choices)
    commune = forms.TypedChoiceField(label=_("Commune"), coerce=int)
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    tax_code = forms.CharField(label=_("Tax code (MST), if any"), max_length=20, required=False)
    address = forms.CharField(label=_("Street address"), max_length=255, required=False)
    email = forms.CharField(label=_("Contact e-mail"), max_length=254, required=False)
    description = forms.CharField(label=_("About you"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, communes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["commune"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = communes


APPLY_FIELDS = {"name": "name", "kind": "kind", "phone": "phone", "taxCode": "tax_code", "email": "email"}


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Product name"), max_length=200, required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    ocop_stars = forms.TypedChoiceField(
        label=_("OCOP stars"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Not certified")), ("3", "3 ★"), ("4", "4 ★"), ("5", "5 ★")],
    )
    ocop_certificate_no = forms.CharField(label=_("OCOP certificate number"), max_length=50, required=False)
    harvest_months = forms.TypedMultipleChoiceField(
        label=_("Harvest months"), required=False, coerce=int, choices=MONTHS, widget=forms.CheckboxSelectMultiple
    )
    storage_notes = forms.CharField(label=_("Storage notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    shipping_notes = forms.CharField(
        label=_("Shipping notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    tax_category = forms.ChoiceField(
        label=_("Tax category"),
        required=False,
        choices=[("", _("From the product kind")), *TaxCategory.choices],
        help_text=_("For the tax the platform withholds for households (Decree 117/2025)."),
    )

    def __init__(self, *args: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = categories


PRODUCT_FIELDS = {
    "name": "name",
    "category": "category",
    "ocopStars": "ocop_stars",
    "ocopCertificateNo": "ocop_certificate_no",
    "harvestMonths": "harvest_months",
    "taxCategory": "tax_category",
}


class VariantForm(forms.Form):
    sku = forms.CharField(
        label=_("SKU (your own code, optional)"),
        max_length=64,
        required=False,
        help_text=_("Leave empty and one is made for you."),
    )
    variant_name = forms.CharField(label=_("Pack or size"), max_length=120, required=False)
    price = forms.IntegerField(
        label=_("Price (đ)"), min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    stock = forms.IntegerField(label=_("Stock"), min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    weight_grams = forms.IntegerField(label=_("Weight (grams)"), min_value=0, required=False)
    unit = forms.CharField(label=_("Unit (kg, box…)"), max_length=30, required=False)


VARIANT_FIELDS = {
    "sku": "sku",
    "name": "variant_name",
    "price": "price",
    "stock": "stock",
    "weightGrams": "weight_grams",
    "unit": "unit",
}


MAX_PHOTOS = 8


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern): cleans to a list."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        single = super().clean
        cleaned = [single(item, initial) for item in files if item]
        if len(cleaned) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS})
        return cleaned


class PhotoForm(forms.Form):
    photo = MultipleFileField(
        label=_("Choose photos (camera or gallery)"),
        required=False,
        help_text=_("One or several; the first is the main photo. You can change the order later."),
        # `capture` opens the phone's camera straight away; desktops show a file picker.
        widget=MultipleFileInput(
            attrs={"accept": "image/*", "capture": "environment", "multiple": True, "data-preview": "photo-preview"}
        ),
    )
    alt = forms.CharField(label=_("What the photos show"), max_length=200, required=False)


PHOTO_FIELDS = {"image": "photo", "alt": "alt"}


class FulfilForm(forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number (optional)"), max_length=60, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=2000, required=False)


class CodForm(forms.Form):
    """One cash-on-delivery event; the page offers only those valid next (`seller_order_actions`)."""

    status = forms.ChoiceField(
        label=_("Cash on delivery"),
        choices=[(s.value, s.label) for s in CodStatus if s in COD_SELLER_EVENTS],
    )


class InviteForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail of the person to invite"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class AcceptInvitationForm(forms.Form):
    token = forms.CharField(label=_("Invitation code"), max_length=200)
