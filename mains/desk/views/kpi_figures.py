"""How the KPI page presents the figures of mains.desk.kpis: the labels, the default and
the previous period, each figure with its previous value, its target and its drill-down
link to the order list, and the charts' data.

The previous period is as long as the one shown and ends the day before it starts; a
period of whole calendar months is compared with as many whole months before it
(November with October, not with the 30 days from 2 to 31 October).
"""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mains.desk import kpi_counts
from mains.desk.kpi_orders import MISSES, NONE, OUT_OF, misses
from mains.desk.kpi_targets import Direction, direction_of
from mains.desk.models import KpiTarget

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
# A month this many days old or younger is shown as the last complete month by default.
YOUNG_MONTH_DAYS = 7
TOP_CATEGORIES = 6


def percent(rate: float | None) -> str:
    """87.5% with one decimal, or a dash when there was nothing to count."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def default_preset(today: date) -> str:
    """The last complete month while this one is under a week old, else this month."""
    return "last_month" if today.day <= YOUNG_MONTH_DAYS else "this_month"


def _month_start(day: date, months_back: int) -> date:
    month = day.year * 12 + day.month - 1 - months_back
    return date(month // 12, month % 12 + 1, 1)


def whole_months(period: kpi_counts.Period) -> int:
    """How many calendar months the period covers, or 0 if it is not whole months."""
    if period.start.day != 1 or (period.end + timedelta(days=1)).day != 1:
        return 0
    after = period.end + timedelta(days=1)
    return (after.year - period.start.year) * 12 + after.month - period.start.month


def previous_period(period: kpi_counts.Period) -> kpi_counts.Period:
    months = whole_months(period)
    if months:
        return kpi_counts.Period(
            _month_start(period.start, months), period.start - timedelta(days=1)
        )
    length = period.end - period.start + timedelta(days=1)
    return kpi_counts.Period(period.start - length, period.start - timedelta(days=1))


def orders_url(period: kpi_counts.Period, condition: str, base: str, **group) -> str:
    """The order list (at `base`, reversed once per row), filtered to the orders a figure
    counts."""
    params = {"received_from": f"{period.start:%Y-%m-%d}", "received_to": f"{period.end:%Y-%m-%d}"}
    params.update({name: NONE if value is None else value for name, value in group.items()})
    if condition:
        params["kpi"] = condition
    return f"{base}?{urlencode(params)}"


def target_text(target: KpiTarget | None) -> str:
    if target is None:
        return ""
    sign = "≥" if target.direction == Direction.HIGHER else "≤"
    return _("Target %(sign)s %(value)s%%") % {"sign": sign, "value": f"{target.target:.1f}"}


def change(key: str, now: float | None, before: float | None, target: KpiTarget | None) -> dict:
    """The change from the previous period in percentage points, and whether it is better."""
    if now is None or before is None:
        return {"text": "", "better": None}
    points = round((now - before) * 100, 1)
    if points == 0:
        return {"text": _("no change"), "better": None}
    higher = direction_of(key, target) == Direction.HIGHER
    return {
        "text": _("%(points)+.1f pts") % {"points": points},
        "better": (points > 0) == higher,
    }


def with_cells(
    row: dict,
    targets: dict[str, KpiTarget],
    period: kpi_counts.Period,
    group: dict | None = None,
    previous: dict | None = None,
) -> dict:
    """Add each rate as shown (87.5%), its counts (7 / 8), target, change and drill-down.

    `group` names the row's group for the drill-down ({"unit": 3}, {"grid": None}),
    `period` is the row's own (a day for the daily table), `previous` the same row of
    the previous period when there is one.
    """
    group = group or {}
    base = reverse("desk:orders")
    row["orders_url"] = orders_url(period, "", base, **group)
    row["cells"] = []
    for name, (numerator, denominator) in kpi_counts.RATES.items():
        target = targets.get(name)
        before = previous.get(name) if previous else None
        row["cells"].append(
            {
                "key": name,
                "text": percent(row[name]),
                "hint": f"{row[numerator]} / {row[denominator]}",
                "target": target_text(target),
                "missed": bool(target and target.missed_by(row[name])),
                "previous": percent(before) if previous else "",
                "change": change(name, row[name], before, target),
                "misses": misses(row, name),
                "url": orders_url(period, MISSES[name], base, **group) if row[denominator] else "",
                "out_of_url": (
                    orders_url(period, OUT_OF[name], base, **group) if name in OUT_OF else ""
                ),
            }
        )
    return row


def summary(total: dict, previous: dict, unsatisfied_orders: int) -> list[dict]:
    """The cards at the top: each rate of the period's totals with what lies behind it."""
    cards = []
    for cell in total["cells"]:
        name = cell["key"]
        card = {**cell, "label": RATE_LABELS[name], "definition": RATE_HINTS[name]}
        card["misses_label"] = MISS_LABELS[name]
        if name == "satisfaction":
            card["misses"] = unsatisfied_orders
        card["previous_hint"] = (
            f"{previous[kpi_counts.RATES[name][0]]} / {previous[kpi_counts.RATES[name][1]]}"
        )
        cards.append(card)
    return cards


MISS_LABELS = {
    "on_time_acceptance": gettext_lazy("accepted late"),
    "timeliness": gettext_lazy("on site late"),
    "closure_rate": gettext_lazy("not resolved"),
    "on_time_closure": gettext_lazy("resolved late"),
    "callback_rate": gettext_lazy("not called back"),
    "satisfaction": gettext_lazy("with an unsatisfied callback"),
    "redo_rate": gettext_lazy("re-done"),
}


def trend_floor(series: list[list[float | None]]) -> int:
    """The lowest value of the SLA trend's axis: 5 points under the lowest value, in fives."""
    values = [v for values in series for v in values if v is not None]
    if not values:
        return 0
    return max(0, int((min(values) - 5) // 5 * 5))


def top_categories(per_category: list[dict], days: int) -> list[dict]:
    """The busiest categories by orders, each with its daily counts, the rest as "Other"."""
    ranked = sorted(per_category, key=lambda s: (-sum(s["counts"]), s["category"]))
    keep = TOP_CATEGORIES + 1 if len(ranked) == TOP_CATEGORIES + 1 else TOP_CATEGORIES
    shown = [{"name": s["category"], "data": s["counts"], "other": False} for s in ranked[:keep]]
    rest = ranked[keep:]
    if rest:
        other = [sum(s["counts"][n] for s in rest) for n in range(days)]
        name = _("Other (%(n)s categories)") % {"n": len(rest)}
        shown.append({"name": name, "data": other, "other": True})
    return shown


def charts(daily: list[dict], per_category: list[dict], top: list[dict]) -> dict:
    def as_percent(rate: float | None) -> float | None:
        return None if rate is None else round(rate * 100, 1)

    acceptance = [as_percent(row["on_time_acceptance"]) for row in daily]
    closure = [as_percent(row["on_time_closure"]) for row in daily]
    return {
        "days": [f"{row['day']:%m-%d}" for row in daily],
        "categories": top_categories(per_category, len(daily)),
        "acceptance": acceptance,
        "closure": closure,
        "sla_min": trend_floor([acceptance, closure]),
        "communities": [{"name": c["community"], "value": c["received"]} for c in top],
        "text": {
            "orders": _("Orders"),
            "acceptance": str(RATE_LABELS["on_time_acceptance"]),
            "closure": str(RATE_LABELS["on_time_closure"]),
        },
    }
