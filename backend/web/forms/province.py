"""Province console forms: moderation decisions and the queue filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.sellers.models import SellerKind, SellerStatus


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *SellerStatus.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *SellerKind.choices])
    search = forms.CharField(label=_("Name"), required=False, max_length=100)


class ReasonForm(forms.Form):
    """A decision's reason (required for reject, suspend and hide; the services say so)."""

    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


DECISION_FIELDS = {"reason": "reason", "note": "reason"}
