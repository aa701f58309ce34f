"""Forms of the shop settings pages and the manual DSR entry (views/shop_settings.py).

Forms only parse what was typed (numbers, times, shop-local datetimes, 64-bit ids); the rules
(ranges, overlaps, who may) are the services' and come back as errors on the named field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from reviewdesk.cases.services.settings import SLA_BOUNDS
from reviewdesk.core.ids import PlatformIdError, parse_platform_id
from reviewdesk.shops.models import Membership, ProductCategory
from reviewdesk.web.labels import choices

WEEKDAY_LABELS = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ShopDateTimeField(forms.DateTimeField):
    """A wall-clock time typed in the shop's time zone (not the browser's, not UTC)."""

    def __init__(self, *, tz: str = "Asia/Shanghai", **kwargs: Any) -> None:
        kwargs.setdefault("widget", DATETIME_WIDGET)
        super().__init__(input_formats=DATETIME_FORMATS, **kwargs)
        self.tz = ZoneInfo(tz)

    def to_python(self, value: Any) -> dt.datetime | None:
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=self.tz)
        if value in self.empty_values:
            return None
        text = str(value).strip()
        for fmt in DATETIME_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).replace(tzinfo=self.tz)
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(self.tz).replace(tzinfo=None)
        return value


def _agent_choices(agents: list[Membership]) -> list[tuple[str, str]]:
    return [(str(m.pk), m.user.get_full_name() or m.user.get_username()) for m in agents]


class AgentFormMixin(forms.Form):
    membership = forms.ChoiceField(label=_("Agent"))

    def __init__(self, *args: Any, agents: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = _agent_choices(agents)  # type: ignore[attr-defined]


class RoutingPolicyForm(forms.Form):
    max_open_cases = forms.IntegerField(label=_("Maximum open cases per agent"))
    high_risk_to_supervisor = forms.BooleanField(
        label=_("Send high-risk cases to a supervisor"), required=False
    )
    follow_shifts = forms.BooleanField(label=_("Prefer agents on shift"), required=False)


class ProductCategoryForm(forms.Form):
    product_category = forms.ChoiceField(
        label=_("Main product category"),
        required=False,
        choices=[("", _("Estimate from each review")), *ProductCategory.choices],
    )


class AgentSkillForm(AgentFormMixin):
    cause = forms.ChoiceField(label=_("Cause"), required=False)
    kind = forms.ChoiceField(label=_("Case kind"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["cause"].choices = anything + choices("cause")  # type: ignore[attr-defined]
        self.fields["kind"].choices = anything + choices("kind")  # type: ignore[attr-defined]


class ShiftForm(AgentFormMixin):
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), coerce=int, choices=list(enumerate(WEEKDAY_LABELS))
    )
    starts = forms.TimeField(label=_("Starts"), widget=TIME_WIDGET)
    ends = forms.TimeField(
        label=_("Ends"), widget=TIME_WIDGET, help_text=_("Before the start: runs past midnight")
    )


class LeaveForm(AgentFormMixin):
    starts_at = ShopDateTimeField(label=_("From"), required=False)
    ends_at = ShopDateTimeField(label=_("Until"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)
    reassign_now = forms.BooleanField(
        label=_("Reassign this agent's open cases now"), required=False, initial=True
    )

    def __init__(self, *args: Any, tz: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].tz = ZoneInfo(tz)  # type: ignore[attr-defined]


class BusinessHoursForm(forms.Form):
    """One row per weekday: open or closed, and the hours (closes 00:00 = midnight)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, name in enumerate(WEEKDAY_LABELS):
            self.fields[f"day{day}_open"] = forms.BooleanField(label=name, required=False)
            self.fields[f"day{day}_opens"] = forms.TimeField(
                label=_("Opens"), required=False, widget=TIME_WIDGET
            )
            self.fields[f"day{day}_closes"] = forms.TimeField(
                label=_("Closes"), required=False, widget=TIME_WIDGET
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day in range(7):
            if not data.get(f"day{day}_open"):
                continue
            for part in ("opens", "closes"):
                if data.get(f"day{day}_{part}") is None and f"day{day}_{part}" not in self.errors:
                    self.add_error(f"day{day}_{part}", _("Give the time for an open day."))
        return data

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "name": name,
                "open": self[f"day{day}_open"],
                "opens": self[f"day{day}_opens"],
                "closes": self[f"day{day}_closes"],
            }
            for day, name in enumerate(WEEKDAY_LABELS)
        ]

    def week(self) -> dict[int, list[tuple[dt.time, dt.time]]]:
        data = self.cleaned_data
        return {
            day: [(data[f"day{day}_opens"], data[f"day{day}_closes"])]
            if data.get(f"day{day}_open")
            else []
            for day in range(7)
        }


class ShopDayForm(forms.Form):
    HOLIDAY = "holiday"
    WORKDAY = "workday"

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("Name"), required=False, max_length=60)
    day_kind = forms.ChoiceField(
        label=_("Type"),
        choices=[(HOLIDAY, _("Holiday (closed)")), (WORKDAY, _("Make-up working day (调休)"))],
    )
    opens = forms.TimeField(label=_("Opens"), required=False, widget=TIME_WIDGET)
    closes = forms.TimeField(label=_("Closes"), required=False, widget=TIME_WIDGET)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day_kind") == self.WORKDAY:
            for part in ("opens", "closes"):
                if data.get(part) is None and part not in self.errors:
                    self.add_error(part, _("A working day needs its hours."))
        else:
            data["opens"] = data["closes"] = None
        return data


SLA_LABELS = {
    "first_contact_minutes": _("First contact, minor issue (working minutes)"),
    "cool_down_hours": _("Cool-down before contacting an angry buyer (hours)"),
    "after_cool_down_minutes": _("First contact after the cool-down (working minutes)"),
    "over_one_month_minutes": _("First contact, review older than 30 days (working minutes)"),
    "over_six_months_minutes": _("First contact, review older than 180 days (working minutes)"),
    "resolution_minutes": _("Resolution (working minutes)"),
    "warning_percent": _("Warn at this share of the allowance (%)"),
    "appointment_reminder_minutes": _("Appointment reminder, minutes before"),
}


class SlaPolicyForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (low, high) in SLA_BOUNDS.items():
            self.fields[name] = forms.IntegerField(
                label=SLA_LABELS[name], help_text=f"{low}–{high}"
            )


class LogisticsPolicyForm(forms.Form):
    """When a quiet parcel becomes a case (logistics.services.POLICY_BOUNDS)."""

    no_trace_hours = forms.IntegerField(label=_("Waybill without any trace (hours)"))
    collect_hours = forms.IntegerField(label=_("Shipped but not collected by the courier (hours)"))
    stall_hours = forms.IntegerField(label=_("No new trace event in transit (hours)"))


class CompliancePracticeForm(forms.Form):
    practice = forms.CharField(widget=forms.HiddenInput)
    acknowledged = forms.BooleanField(
        label=_("I have read the rules this conflicts with and turn it on anyway"),
        required=False,
    )


STAR_CHOICES = [("", "—"), *[(str(n), "★" * n) for n in range(5, 0, -1)]]


class ScoredTradeForm(forms.Form):
    """One trade's DSR stars as the seller centre shows them (PLATFORM §4.5: no API for them)."""

    tid = forms.CharField(label=_("Order number (tid)"), max_length=40)
    buyer_nick = forms.CharField(label=_("Buyer nick"), max_length=128)
    trade_created = ShopDateTimeField(label=_("Order created"))
    rated_at = ShopDateTimeField(label=_("Rated at"))
    desc = forms.TypedChoiceField(
        label=_("Item as described"),
        choices=STAR_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    service = forms.TypedChoiceField(
        label=_("Seller service"),
        choices=STAR_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    logistics = forms.TypedChoiceField(
        label=_("Logistics"), choices=STAR_CHOICES, coerce=int, empty_value=None, required=False
    )
    alipay = forms.BooleanField(label=_("Paid through Alipay"), required=False, initial=True)
    is_default = forms.BooleanField(label=_("System default rating"), required=False)

    def __init__(self, *args: Any, tz: str, now: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now
        for name in ("trade_created", "rated_at"):
            self.fields[name].tz = ZoneInfo(tz)  # type: ignore[attr-defined]

    def clean_tid(self) -> int:
        try:
            return parse_platform_id(self.cleaned_data["tid"])
        except PlatformIdError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        created, rated = data.get("trade_created"), data.get("rated_at")
        if created and rated:
            if rated < created:
                self.add_error("rated_at", _("A trade cannot be rated before it was created."))
            elif rated > self.now:
                self.add_error("rated_at", _("This time is in the future."))
        if not any(data.get(d) for d in ("desc", "service", "logistics")):
            self.add_error("desc", _("Enter at least one of the three stars."))
        return data
