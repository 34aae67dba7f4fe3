"""Experience forms: booking places in a slot, the booking contact, and the operator's set-up
(details, participant prices, cancellation tiers, weekly schedules, blackout dates, slots, check-in)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from backend.experiences.selectors import Price

PARTICIPANT_PREFIX = "people-"


class BookingForm(forms.Form):
    """One number input per participant type of the experience (ids unique per slot on the page)."""

    slot = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, prices: Sequence[Price], slot_id: int | None = None, **kwargs: Any) -> None:
        if slot_id is not None:
            kwargs.setdefault("auto_id", f"id_s{slot_id}_%s")
            kwargs.setdefault("initial", {"slot": slot_id})
        super().__init__(*args, **kwargs)
        self.prices = list(prices)
        for price in self.prices:
            self.fields[PARTICIPANT_PREFIX + price.participant_type] = forms.IntegerField(
                label=price.name,
                min_value=0,
                max_value=settings.BOOKING_MAX_PARTICIPANTS,
                required=False,
                initial=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "people", "data-price": price.price}),
            )

    def people_fields(self) -> list[tuple[forms.BoundField, Price]]:
        return [(self[PARTICIPANT_PREFIX + p.participant_type], p) for p in self.prices]

    def participants(self) -> dict[str, int]:
        data = self.cleaned_data
        return {
            p.participant_type: data.get(PARTICIPANT_PREFIX + p.participant_type) or 0
            for p in self.prices
            if data.get(PARTICIPANT_PREFIX + p.participant_type)
        }


class ContactForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail (for the tickets)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "contact")
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["email"].widget.attrs["autocomplete"] = "email"


CONTACT_FIELDS = {"fullName": "full_name", "phone": "phone", "email": "email"}


# --- the operator's side ---------------------------------------------------------------------------


class ExperienceForm(forms.Form):
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=60 * 24 * 14)
    meeting_point = forms.CharField(label=_("Meeting point"), max_length=255, required=False)
    meeting_commune = forms.TypedChoiceField(
        label=_("Commune of the meeting point"), coerce=int, required=False, empty_value=None
    )
    languages = forms.CharField(label=_("Languages (codes, comma separated)"), max_length=100, required=False)
    included = forms.CharField(label=_("What is included"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    min_age = forms.IntegerField(label=_("Minimum age"), min_value=0, max_value=99)
    capacity = forms.IntegerField(label=_("Places per slot"), min_value=1, max_value=10000)
    booking_cutoff_minutes = forms.IntegerField(
        label=_("Bookings close (minutes before the start)"), min_value=0, max_value=60 * 24 * 7
    )

    def __init__(self, *args: Any, communes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting_commune"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Choose…")), *communes]

    def language_codes(self) -> list[str]:
        return [code.strip() for code in (self.cleaned_data.get("languages") or "").split(",") if code.strip()]


class ParticipantTypeRow(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=30, required=False)
    name = forms.CharField(label=_("Name"), max_length=60, required=False)
    price = forms.IntegerField(label=_("Price (đồng)"), min_value=0, required=False)


class PolicyTierRow(forms.Form):
    hours_before = forms.IntegerField(label=_("Hours before the start"), min_value=0, required=False)
    refund_percent = forms.IntegerField(label=_("Refund (%)"), min_value=0, max_value=100, required=False)


ParticipantTypeRows = forms.formset_factory(ParticipantTypeRow, extra=2, max_num=8)
PolicyTierRows = forms.formset_factory(PolicyTierRow, extra=2, max_num=6)

EXPERIENCE_FIELDS = {
    "durationMinutes": "duration_minutes",
    "meetingPoint": "meeting_point",
    "meetingCommune": "meeting_commune",
    "languages": "languages",
    "minAge": "min_age",
    "capacity": "capacity",
    "bookingCutoffMinutes": "booking_cutoff_minutes",
}

WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


class ScheduleForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    start_times = forms.CharField(label=_("Start times (e.g. 08:00, 13:30)"), max_length=200)
    valid_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    capacity = forms.IntegerField(label=_("Places per slot (optional)"), min_value=1, max_value=10000, required=False)

    def times(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["start_times"].replace(";", ",").split(",") if t.strip()]


SCHEDULE_FIELDS = {
    "weekdays": "weekdays",
    "startTimes": "start_times",
    "validUntil": "valid_until",
    "capacity": "capacity",
}


class BlackoutForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class SlotForm(forms.Form):
    """One dated slot outside the weekly schedules (local date and time)."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    capacity = forms.IntegerField(label=_("Places (optional)"), min_value=1, max_value=10000, required=False)


SLOT_FIELDS = {"startsAt": "date", "capacity": "capacity"}


class SlotCapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000)


class SlotCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=2000)


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Ticket code"), max_length=40)
    allow_other_day = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "autofocus": True}
        )
