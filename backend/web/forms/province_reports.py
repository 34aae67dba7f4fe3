"""Province console forms for the analytics pages: the dashboard's date range and the import upload."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_DAYS = 30


def default_range(today: date | None = None) -> tuple[date, date]:
    """The last 30 local days, today included."""
    today = today or timezone.localdate()
    return today - timedelta(days=DEFAULT_DAYS - 1), today


class DashboardForm(forms.Form):
    """The range of local dates (inclusive); the selector checks its length and order again."""

    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        _start, end = default_range()
        date_to = data.get("date_to") or end
        date_from = data.get("date_from") or (date_to - timedelta(days=DEFAULT_DAYS - 1))
        data["date_from"], data["date_to"] = date_from, date_to
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    commit = forms.BooleanField(
        label=_("Write the valid rows"),
        required=False,
        help_text=_("Leave unticked for a dry run: the report only, nothing written."),
    )


IMPORT_FIELDS = {"file": "file"}
