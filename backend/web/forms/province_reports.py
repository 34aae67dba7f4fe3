"""Province console forms for the analytics pages: the dashboard's date range and the import upload."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_DAYS = 30


def default_range(today: date | None = None) -> tuple[date, date]:
    """The last 30 local days, today included."""
    today = today or timezone.localdate()
    return today - timedelta(days=DEFAULT_DAYS - 1), today


DATE_FORMAT = "%d/%m/%Y"  # how Vietnamese write dates, whatever the browser's locale
DATE_INPUTS = [DATE_FORMAT, "%d-%m-%Y", "%Y-%m-%d"]


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(
            format=DATE_FORMAT,
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "pattern": r"\d{1,2}/\d{1,2}/\d{4}"},
        ),
    )


class DashboardForm(forms.Form):
    """The range of local dates (inclusive), typed dd/mm/yyyy (ISO dates in links work too); the
    selector checks its length and order again. Without dates it shows, filled in, the last 30 days."""

    date_from = _date_field(_("From (dd/mm/yyyy)"))
    date_to = _date_field(_("To (dd/mm/yyyy)"))

    def __init__(self, data: object = None, **kwargs: object) -> None:
        if not data or not any(data.get(name) for name in ("date_from", "date_to")):  # type: ignore[attr-defined]
            start, end = default_range()
            data = {"date_from": start.strftime(DATE_FORMAT), "date_to": end.strftime(DATE_FORMAT)}
        super().__init__(data, **kwargs)  # type: ignore[arg-type]

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
