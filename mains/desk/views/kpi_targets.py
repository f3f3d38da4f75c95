"""The KPI targets page: an administrator sets the goal of each KPI (also in the admin)."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mains.desk import kpi_targets
from mains.desk.models import KpiTarget
from mains.desk.views.kpi_figures import RATE_HINTS, RATE_LABELS
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.roles import Role


class KpiTargetsForm(forms.Form):
    """A target in percent (blank: none) and a direction for each KPI."""

    def __init__(self, *args, current: dict[str, KpiTarget], **kwargs):
        super().__init__(*args, **kwargs)
        for key in KpiTarget.Key.values:
            target = current.get(key)
            self.fields[f"{key}_target"] = forms.DecimalField(
                label=RATE_LABELS[key],
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                max_digits=4,
                decimal_places=1,
                initial=target.target if target else None,
                error_messages={
                    "invalid": gettext_lazy("Enter a percentage such as 95 or 97.5."),
                    "min_value": gettext_lazy("A target is a percentage between 0 and 100."),
                    "max_value": gettext_lazy("A target is a percentage between 0 and 100."),
                    "max_decimal_places": gettext_lazy("Use at most one decimal, as 97.5."),
                    "max_digits": gettext_lazy("A target is a percentage between 0 and 100."),
                },
            )
            self.fields[f"{key}_direction"] = forms.ChoiceField(
                label=_("Which way is better"),
                choices=KpiTarget.Direction.choices,
                initial=kpi_targets.direction_of(key, target),
            )

    def rows(self) -> list[dict]:
        return [
            {
                "key": key,
                "label": RATE_LABELS[key],
                "hint": RATE_HINTS[key],
                "target": self[f"{key}_target"],
                "direction": self[f"{key}_direction"],
            }
            for key in KpiTarget.Key.values
        ]

    def wanted(self) -> dict[str, tuple]:
        data = self.cleaned_data
        return {
            key: (data[f"{key}_target"], data[f"{key}_direction"]) for key in KpiTarget.Key.values
        }


@role_required({Role.ADMIN})
def kpi_targets_page(request: AuthedRequest) -> HttpResponse:
    current = kpi_targets.targets()
    if request.method == "POST":
        form = KpiTargetsForm(request.POST, current=current)
        if form.is_valid():
            kpi_targets.do_set_kpi_targets(request.user, form.wanted())
            messages.success(request, _("KPI targets saved."))
            return redirect("desk:kpis")
        status = 400
    else:
        form = KpiTargetsForm(current=current)
        status = 200
    return render(request, "desk/kpis_targets.html", {"form": form}, status=status)
