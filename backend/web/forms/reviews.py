"""Forms of the review pages: write or edit, reply, hide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.reviews.models import HideReason

STAR_CHOICES = [(n, "★" * n) for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    stars = forms.TypedChoiceField(label=_("Stars"), coerce=int, choices=STAR_CHOICES, initial=5)
    text = forms.CharField(label=_("Your review"), required=False, max_length=4000, widget=forms.Textarea)


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your public reply"), max_length=2000, widget=forms.Textarea)


class HideForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for hiding"), choices=HideReason.choices)
    note = forms.CharField(label=_("Note for the audit log"), required=False, max_length=500)
