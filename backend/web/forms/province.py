"""Province console forms: moderation decisions and the queue filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.sellers.models import SellerKind, SellerStatus


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *SellerStatus.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *SellerKind.choices])
    search = forms.CharField(label=_("Name"), required=False, max_length=100)


REASON_REQUIRED = {"reject", "suspend"}  # the services refuse these without one; asked before confirming


class ReasonForm(forms.Form):
    """A decision's reason (required for reject, suspend and hide; the services say so)."""

    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, action: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.action = action
        if action in REASON_REQUIRED:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _("Give the seller a reason.")


DECISION_FIELDS = {"reason": "reason", "note": "reason"}
