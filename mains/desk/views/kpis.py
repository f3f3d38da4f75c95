"""Service KPIs for a range of dates: tables, charts and an Excel export.

The figures come from mains.desk.kpis (their definitions are in its docstring); this
module reads the filters, scopes the orders to the user (a unit manager sees their
unit's orders) and presents them.
"""

from django import forms
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mains.desk import kpis as kpi
from mains.desk.access import orders_for
from mains.desk.models import WorkOrder
from mains.lib.fields import IdentifierField
from mains.lib.xlsx import Workbook, add_sheet, new_book, xlsx_response
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.roles import KPI_ROLES

PRESET_LABELS = {
    "this_month": gettext_lazy("This month"),
    "last_month": gettext_lazy("Last month"),
    "last_7_days": gettext_lazy("Last 7 days"),
}
GROUP_LABELS = {
    "unit": gettext_lazy("Unit"),
    "grid": gettext_lazy("Grid"),
    "specialist": gettext_lazy("Specialist"),
    "category": gettext_lazy("Category"),
}
SHEET_TITLES = {
    "unit": gettext_lazy("By unit"),
    "grid": gettext_lazy("By grid"),
    "specialist": gettext_lazy("By specialist"),
    "category": gettext_lazy("By category"),
}
RATE_LABELS = {
    "on_time_acceptance": gettext_lazy("On-time acceptance"),
    "timeliness": gettext_lazy("Timeliness"),
    "closure_rate": gettext_lazy("Closure rate"),
    "on_time_closure": gettext_lazy("On-time closure"),
    "callback_rate": gettext_lazy("Callback rate"),
    "satisfaction": gettext_lazy("Satisfaction"),
    "redo_rate": gettext_lazy("Re-do rate"),
}
RATE_HINTS = {
    "on_time_acceptance": gettext_lazy("Accepted by the deadline ÷ accepted"),
    "timeliness": gettext_lazy("On site by the deadline ÷ orders that needed a visit and got one"),
    "closure_rate": gettext_lazy("Resolved, called back or closed ÷ received less cancelled"),
    "on_time_closure": gettext_lazy("Resolved by the deadline ÷ resolved"),
    "callback_rate": gettext_lazy("Resolved orders with a valid callback ÷ resolved"),
    "satisfaction": gettext_lazy("(Satisfied + fairly satisfied) ÷ valid callbacks"),
    "redo_rate": gettext_lazy("Resolved orders re-done at least once ÷ resolved"),
}
COUNT_LABELS = {
    "received": gettext_lazy("Received"),
    "not_cancelled": gettext_lazy("Not cancelled"),
    "accepted": gettext_lazy("Accepted"),
    "accepted_on_time": gettext_lazy("Accepted on time"),
    "visited": gettext_lazy("Site visits"),
    "visited_on_time": gettext_lazy("On site on time"),
    "resolved": gettext_lazy("Resolved"),
    "resolved_on_time": gettext_lazy("Resolved on time"),
    "called_back": gettext_lazy("Called back"),
    "worked": gettext_lazy("Resolved at least once"),
    "redone": gettext_lazy("Re-done"),
    "answered_directly": gettext_lazy("Answered directly"),
    "callbacks": gettext_lazy("Valid callbacks"),
    "satisfied_callbacks": gettext_lazy("Satisfied callbacks"),
}
PERCENT_FORMAT = "0.0%"


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
        return group if group in kpi.GROUPINGS else "unit"

    def clean(self):
        data = super().clean()
        preset = data.get("period") or ""
        if preset in kpi.PRESETS:
            data.update(preset=preset, range=kpi.preset_period(preset))
        elif preset == "custom" or self.data.get("start") or self.data.get("end"):
            data["preset"] = ""
            if self.errors:
                return data
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                raise forms.ValidationError(_("Enter both dates, from and to."))
            if start > end:
                raise forms.ValidationError(_("The start date must not be after the end date."))
            if (end - start).days >= kpi.MAX_DAYS:
                raise forms.ValidationError(
                    _("Choose at most %(days)s days.") % {"days": kpi.MAX_DAYS}
                )
            data["range"] = kpi.Period(start, end)
        else:
            data.update(preset="this_month", range=kpi.preset_period("this_month"))
        return data


def percent(rate: float | None) -> str:
    """87.5% with one decimal, or a dash when there was nothing to count."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _with_cells(row: dict) -> dict:
    """Add the rates as shown (87.5%) with the counts behind each as a hint (7 / 8)."""
    row["cells"] = [
        {"text": percent(row[name]), "hint": f"{row[num]} / {row[den]}"}
        for name, (num, den) in kpi.RATES.items()
    ]
    return row


def _charts(daily: list[dict], per_category: list[dict], top: list[dict]) -> dict:
    def as_percent(rate: float | None) -> float | None:
        return None if rate is None else round(rate * 100, 1)

    return {
        "days": [f"{row['day']:%m-%d}" for row in daily],
        "categories": [{"name": s["category"], "data": s["counts"]} for s in per_category],
        "acceptance": [as_percent(row["on_time_acceptance"]) for row in daily],
        "closure": [as_percent(row["on_time_closure"]) for row in daily],
        "communities": [{"name": c["community"], "value": c["received"]} for c in top],
        "text": {
            "orders": _("Orders"),
            "acceptance": str(RATE_LABELS["on_time_acceptance"]),
            "closure": str(RATE_LABELS["on_time_closure"]),
        },
    }


def _per_category_rows(per_category: list[dict], period: kpi.Period) -> list[tuple]:
    """(day, [orders of each category on that day]) for each day of the period."""
    return [
        (day, [series["counts"][n] for series in per_category])
        for n, day in enumerate(period.days())
    ]


def _range_query(period: kpi.Period, preset: str) -> str:
    if preset:
        return f"period={preset}"
    return f"start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}"


@role_required(KPI_ROLES)
def kpis(request: AuthedRequest) -> HttpResponse:
    form = KpiFilterForm(request.GET)
    context: dict = {
        "form": form,
        "presets": PRESET_LABELS,
        "groupings": SHEET_TITLES,
        "rate_columns": [(RATE_LABELS[name], RATE_HINTS[name]) for name in kpi.RATES],
        "start": request.GET.get("start", ""),
        "end": request.GET.get("end", ""),
    }
    if not form.is_valid():
        context["group"] = form.cleaned_data.get("group") or "unit"
        return render(request, "desk/kpis.html", context)
    period: kpi.Period = form.cleaned_data["range"]
    group = form.cleaned_data["group"]
    scope = orders_for(request.user)
    rows = [_with_cells(row) for row in kpi.kpis_by(scope, period, group)]
    total = _with_cells(kpi.summed(rows))
    context.update(
        {
            "period": period,
            "preset": form.cleaned_data["preset"],
            "group": group,
            "start": f"{period.start:%Y-%m-%d}",
            "end": f"{period.end:%Y-%m-%d}",
            "range_query": _range_query(period, form.cleaned_data["preset"]),
            "total": total,
            "summary": [
                {"label": RATE_LABELS[name], "definition": RATE_HINTS[name], **cell}
                for name, cell in zip(kpi.RATES, total["cells"], strict=True)
            ],
        }
    )
    if total["received"]:
        daily = [_with_cells(row) for row in kpi.kpis_by_day(scope, period)]
        per_category = kpi.orders_per_day_by_category(scope, period)
        top = kpi.top_communities(scope, period)
        context.update(
            {
                "rows": rows,
                "group_label": GROUP_LABELS[group],
                "daily": daily,
                "per_category": per_category,
                "per_category_rows": _per_category_rows(per_category, period),
                "top": top,
                "charts": _charts(daily, per_category, top),
            }
        )
    return render(request, "desk/kpis.html", context)


@role_required(KPI_ROLES)
def kpis_export(request: AuthedRequest) -> HttpResponse:
    """Every table of the page, for the same filters, as an Excel workbook."""
    form = KpiFilterForm(request.GET)
    if not form.is_valid():
        return redirect(f"{reverse('desk:kpis')}?{request.GET.urlencode()}")
    period: kpi.Period = form.cleaned_data["range"]
    book = kpi_workbook(orders_for(request.user), period)
    return xlsx_response(book, f"kpis-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx")


def _figures(row: dict) -> list:
    rates = [percent(row[name]) if row[name] is None else row[name] for name in kpi.RATES]
    return [row[name] for name in kpi.COUNTS] + rates


def _format_rates(book: Workbook, title: str, first_column: int) -> None:
    sheet = book[title[:31]]
    for column in sheet.iter_cols(min_col=first_column, min_row=2):
        for cell in column:
            cell.number_format = PERCENT_FORMAT


def kpi_workbook(scope: QuerySet[WorkOrder], period: kpi.Period) -> Workbook:
    """One sheet per grouping, the daily series, orders per day by category, top communities."""
    book = new_book()
    figures_header = [str(COUNT_LABELS[name]) for name in kpi.COUNTS] + [
        str(RATE_LABELS[name]) for name in kpi.RATES
    ]
    first_rate_column = 2 + len(kpi.COUNTS)
    for grouping, title in SHEET_TITLES.items():
        rows = kpi.kpis_by(scope, period, grouping)
        add_sheet(
            book,
            str(title),
            [str(GROUP_LABELS[grouping]), *figures_header],
            [
                *([row["label"] or _("Not assigned"), *_figures(row)] for row in rows),
                [_("Total"), *_figures(kpi.summed(rows))],
            ],
        )
        _format_rates(book, str(title), first_rate_column)
    daily = kpi.kpis_by_day(scope, period)
    total = kpi.summed(daily)
    add_sheet(
        book,
        _("Daily"),
        [_("Date"), *figures_header],
        [
            *([row["day"], *_figures(row)] for row in daily),
            [_("Total"), *_figures(total)],
        ],
    )
    _format_rates(book, _("Daily"), first_rate_column)
    per_category = kpi.orders_per_day_by_category(scope, period)
    add_sheet(
        book,
        _("Orders per day by category"),
        [_("Date"), *[s["category"] for s in per_category]],
        [[day, *counts] for day, counts in _per_category_rows(per_category, period)],
    )
    received = total["received"]
    add_sheet(
        book,
        _("Top communities"),
        [_("Rank"), _("Community"), _("Orders"), _("Share of orders")],
        [
            [rank, c["community"], c["received"], c["received"] / received if received else "—"]
            for rank, c in enumerate(kpi.top_communities(scope, period), start=1)
        ],
    )
    _format_rates(book, _("Top communities"), 4)
    for name in (_("Daily"), _("Orders per day by category")):
        for cell in book[name[:31]]["A"][1:]:
            cell.number_format = "yyyy-mm-dd"
    return book
