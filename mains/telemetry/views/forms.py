"""Forms of the telemetry pages."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mains.telemetry.models import Alarm
from mains.telemetry.views.queries import MAX_WINDOW_DAYS, WINDOW_HOURS


class WindowForm(forms.Form):
    """The period a meter's chart shows: one of the presets, or from one day to another."""

    hours = forms.TypedChoiceField(
        label=_("Period shown"),
        choices=[(h, h) for h in WINDOW_HOURS],
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the windows offered.")},
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Write the first day as YYYY-MM-DD.")},
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Write the last day as YYYY-MM-DD.")},
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if self.errors:
            return data
        if last and not first:
            raise forms.ValidationError(_("Give the first day as well as the last."))
        if first and last is None:
            data["date_to"] = last = first
        if first and last:
            if last < first:
                raise forms.ValidationError(_("The last day comes before the first."))
            if (last - first).days + 1 > MAX_WINDOW_DAYS:
                raise forms.ValidationError(
                    _("Choose at most %(days)d days.") % {"days": MAX_WINDOW_DAYS}
                )
        return data

    def dates_chosen(self) -> bool:
        return bool(self.cleaned_data.get("date_from"))

    def window(self) -> tuple[datetime, datetime]:
        """From the first day's local midnight to the midnight after the last day."""
        first = self.cleaned_data["date_from"]
        last = self.cleaned_data["date_to"]
        start = timezone.make_aware(datetime.combine(first, time()))
        end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time()))
        return start, end


class KindFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Alarm.Kind.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the kinds offered.")},
    )
