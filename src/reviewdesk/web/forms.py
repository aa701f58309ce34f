"""Forms of the workbench: parse and shape the input; the services decide what is allowed.

Validation here is only about form shape (a known channel, a number). Domain rules (exact
appointment times, guards, limits) stay in the services, whose errors come back through
`web.errors.add_to_form`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reviewdesk.web.labels import ACTION_LABELS, OUTCOME_LABELS, choices
from reviewdesk.web.panels import CLOSE_OUTCOMES

_SECONDS = re.compile(r"^(\d{1,2}:\d{2}):00$")


class TriageCorrectForm(forms.Form):
    """An agent's correction of the case's cause and severity: stored as a training label."""

    cause = forms.ChoiceField(label=_("Cause"), choices=choices("cause"))
    severity = forms.ChoiceField(label=_("Severity"), choices=choices("severity"))


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=choices("channel"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=choices("contact_outcome"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": _("What was said, what was promised")}),
    )


class AppointmentForm(forms.Form):
    """Date + time inputs (or a typed time such as 今晚8:15); the service decides if it is exact."""

    date = forms.CharField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    time = forms.CharField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    text = forms.CharField(
        label=_("or as said"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "今晚8:15"}),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=choices("channel"), initial="phone")
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def when(self) -> str:
        """What the buyer and agent agreed, as text for appointment_schedule to parse."""
        data: dict[str, Any] = self.cleaned_data
        typed = str(data.get("text") or "").strip()
        if typed:
            return typed
        time = str(data.get("time") or "").strip()
        time = _SECONDS.sub(r"\1", time)  # browsers send 20:15:00 when seconds are shown
        return f"{str(data.get('date') or '').strip()} {time}".strip()


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=list(ACTION_LABELS.items()))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", "—")] + [(o.value, OUTCOME_LABELS[o.value]) for o in CLOSE_OUTCOMES],
    )


class CancelAppointmentForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class TargetWhatIfForm(forms.Form):
    target = forms.DecimalField(
        label=_("Target DSR"),
        min_value=Decimal(1),
        max_value=Decimal(5),
        decimal_places=5,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    by = forms.DateField(
        label=_("By"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    dimension = forms.ChoiceField(
        label=_("Dimension"),
        required=False,
        choices=[("", _("All three")), *choices("dimension")],
    )


class PromotionWhatIfForm(forms.Form):
    orders = forms.IntegerField(label=_("Promotion orders"), min_value=1, max_value=10_000_000)


class CalibrationForm(forms.Form):
    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    dimension = forms.ChoiceField(label=_("Dimension"), choices=choices("dimension"))
    shown_value = forms.DecimalField(
        label=_("Value the platform shows"),
        min_value=Decimal(1),
        max_value=Decimal(5),
        decimal_places=5,
        widget=forms.NumberInput(attrs={"step": "0.00001"}),
    )
