"""Service KPIs for a range of dates: tables, charts and an Excel export.

The figures come from mains.desk.kpis (their definitions are in its docstring); this
module reads the filters, scopes the orders to the user (a unit manager sees their
unit's orders) and presents them (mains.desk.views.kpi_figures): each beside the
previous period and its target, each a link to the orders behind it.
"""

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mains.desk import kpi_counts
from mains.desk import kpis as kpi
from mains.desk.access import orders_for
from mains.desk.kpi_orders import unsatisfied_orders
from mains.desk.kpi_targets import targets as kpi_targets
from mains.desk.views import kpi_figures as fig
from mains.desk.views import kpi_periods as periods
from mains.desk.views.kpi_export import kpi_workbook
from mains.desk.views.kpi_figures import GROUP_LABELS, PRESET_LABELS, percent  # noqa: F401
from mains.lib.fields import IdentifierField
from mains.lib.xlsx import xlsx_response
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.roles import KPI_ROLES, Role


class KpiFilterForm(forms.Form):
    period = IdentifierField(required=False)
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        error_messages={"invalid": gettext_lazy("Enter the start date as 2026-11-01.")},
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        error_messages={"invalid": gettext_lazy("Enter the end date as 2026-11-30.")},
    )
    group = IdentifierField(required=False)

    def clean_group(self) -> str:
        group = self.cleaned_data.get("group")
        return group if group in kpi_counts.GROUPINGS else "unit"

    def clean(self):
        data = super().clean()
        preset = data.get("period") or ""
        data["by_default"] = False
        if preset in kpi_counts.PRESETS:
            data.update(preset=preset, range=kpi_counts.preset_period(preset))
        elif preset == "custom" or self.data.get("start") or self.data.get("end"):
            data["preset"] = ""
            if self.errors:
                return data
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                raise forms.ValidationError(_("Enter both dates, from and to."))
            if start > end:
                raise forms.ValidationError(_("The start date must not be after the end date."))
            if (end - start).days >= kpi_counts.MAX_DAYS:
                raise forms.ValidationError(
                    _("Choose at most %(days)s days.") % {"days": kpi_counts.MAX_DAYS}
                )
            data["range"] = kpi_counts.Period(start, end)
        else:
            today = timezone.localdate(timezone=timezone.get_default_timezone())
            preset = fig.default_preset(today)
            data.update(
                preset=preset, range=kpi_counts.preset_period(preset, today), by_default=True
            )
        return data


def _range_query(period: kpi_counts.Period, preset: str) -> str:
    if preset:
        return f"period={preset}"
    return f"start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}"


def _default_note(preset: str) -> str:
    if preset == "last_month":
        today = timezone.localdate(timezone=timezone.get_default_timezone())
        return _(
            "Shown by default: this month is only %(days)s days old, so the last complete month."
        ) % {"days": today.day}
    return _("Shown by default: this month so far.")


def _grouped(rows: list[dict], group: str, previous_rows: list[dict], targets, period) -> list:
    before = {row["key"]: row for row in previous_rows}
    return [
        fig.with_cells(row, targets, period, {group: row["key"]}, before.get(row["key"]))
        for row in rows
    ]


@role_required(KPI_ROLES)
def kpis(request: AuthedRequest) -> HttpResponse:
    form = KpiFilterForm(request.GET)
    context: dict = {
        "form": form,
        "presets": PRESET_LABELS,
        "groupings": fig.SHEET_TITLES,
        "rate_columns": [
            (fig.RATE_LABELS[name], fig.RATE_HINTS[name]) for name in kpi_counts.RATES
        ],
        "start": request.GET.get("start", ""),
        "end": request.GET.get("end", ""),
        "edits_targets": request.user.role == Role.ADMIN,
    }
    if not form.is_valid():
        context["group"] = form.cleaned_data.get("group") or "unit"
        return render(request, "desk/kpis.html", context)
    period: kpi_counts.Period = form.cleaned_data["range"]
    preset, group = form.cleaned_data["preset"], form.cleaned_data["group"]
    previous = fig.previous_period(period)
    scope = orders_for(request.user)
    targets = kpi_targets()
    previous_rows = kpi.kpis_by(scope, previous, group)
    previous_total = kpi.summed(previous_rows)
    rows = kpi.kpis_by(scope, period, group)
    total = fig.with_cells(kpi.summed(rows), targets, period, previous=previous_total)
    context.update(
        {
            "period": period,
            "previous": previous,
            "preset": preset,
            "preset_label": PRESET_LABELS.get(preset, _("Chosen dates")),
            "default_note": _default_note(preset) if form.cleaned_data["by_default"] else "",
            "group": group,
            "start": f"{period.start:%Y-%m-%d}",
            "end": f"{period.end:%Y-%m-%d}",
            "range_query": _range_query(period, preset),
            "total": total,
            "previous_total": previous_total,
            "received_change": _count_change(total["received"], previous_total["received"]),
            "has_targets": bool(targets),
        }
    )
    if total["received"]:
        unsatisfied = unsatisfied_orders(scope, period)
        daily = kpi.kpis_by_day(scope, period)
        weekly = periods.by_week(period)
        if weekly:
            table = [
                fig.with_cells(row, targets, week) for week, row in periods.weekly(daily, period)
            ]
        else:
            table = [
                fig.with_cells(row, targets, kpi_counts.Period(row["day"], row["day"]))
                for row in daily
            ]
        per_category = kpi.orders_per_day_by_category(scope, period)
        top = kpi.top_communities(scope, period)
        context.update(
            {
                "summary": fig.summary(total, previous_total, unsatisfied),
                "rows": _grouped(rows, group, previous_rows, targets, period),
                "group_label": GROUP_LABELS[group],
                "daily": table,
                "weekly": weekly,
                "per_category": per_category,
                "per_category_rows": periods.per_category_table(per_category, period),
                "top": top,
                "charts": fig.charts(daily, per_category, top),
            }
        )
    return render(request, "desk/kpis.html", context)


def _count_change(now: int, before: int) -> str:
    if not before:
        return ""
    return _("%(change)+d (%(percent)+.1f%%)") % {
        "change": now - before,
        "percent": (now - before) / before * 100,
    }


@role_required(KPI_ROLES)
def kpis_export(request: AuthedRequest) -> HttpResponse:
    """Every table of the page, for the same filters, as an Excel workbook."""
    form = KpiFilterForm(request.GET)
    if not form.is_valid():
        return redirect(f"{reverse('desk:kpis')}?{request.GET.urlencode()}")
    period: kpi_counts.Period = form.cleaned_data["range"]
    book = kpi_workbook(orders_for(request.user), period, kpi_targets())
    return xlsx_response(book, f"kpis-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx")
