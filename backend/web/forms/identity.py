"""Forms of the identity pages: the owner's request and the officer's review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.sellers.identity import REASON_MESSAGES

DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]
VERIFY_FIELDS = {
    "provider": "provider",
    "fullName": "full_name",
    "birthDate": "birth_date",
    "idNumber": "id_number",
    "frontPhoto": "front_photo",
    "backPhoto": "back_photo",
}


class IdentityVerifyForm(forms.Form):
    provider = forms.ChoiceField(label=_("How to verify"), widget=forms.RadioSelect)
    full_name = forms.CharField(label=_("Full name as on the card"), max_length=200)
    birth_date = forms.DateField(label=_("Date of birth (dd/mm/yyyy)"), input_formats=DATE_INPUTS)
    id_number = forms.CharField(label=_("CCCD number (12 digits)"), max_length=20)
    front_photo = forms.FileField(label=_("Photo of the card's front"), required=False)
    back_photo = forms.FileField(label=_("Photo of the card's back"), required=False)

    def __init__(self, *args: Any, providers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider = self.fields["provider"]
        assert isinstance(provider, forms.ChoiceField)
        provider.choices = providers
        if len(providers) == 1:
            self.fields["provider"].initial = providers[0][0]
        for name in ("front_photo", "back_photo"):
            self.fields[name].widget.attrs.update({"accept": "image/jpeg,image/png", "capture": "environment"})


class IdentityReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Verified")), ("reject", _("Refused"))], widget=forms.RadioSelect
    )
    front_photo_genuine = forms.BooleanField(label=_("The front is a genuine, legible CCCD card"), required=False)
    back_photo_genuine = forms.BooleanField(label=_("The back agrees with the front (chip, MRZ)"), required=False)
    face_matches = forms.BooleanField(label=_("The applicant is the person on the card"), required=False)
    card_valid = forms.BooleanField(label=_("The card has not expired"), required=False)
    read_full_name = forms.CharField(label=_("Full name read on the card"), max_length=200, required=False)
    read_birth_date = forms.DateField(
        label=_("Date of birth read on the card (dd/mm/yyyy)"), input_formats=DATE_INPUTS, required=False
    )
    read_id_number = forms.CharField(label=_("Number read on the card"), max_length=20, required=False)
    reason = forms.ChoiceField(label=_("Reason for a refusal"), required=False)
    note = forms.CharField(label=_("Note (never the ID number)"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        assert isinstance(reason, forms.ChoiceField)
        reason.choices = [("", "—"), *((code, message) for code, message in REASON_MESSAGES.items())]
