"""An alarm's evidence (its ``detail`` JSON) put into words, figures and tables for the page.

Each detector writes its own keys; the summary sentence is per kind (its entry in
``registry``), the figures and tables come from the keys themselves: labels for the known
ones, units from the name (``_m3h``, ``_mpa``, ``_litres``, ``_hours``), times from ISO
strings.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from mains.telemetry.alarms import registry

LABELS = {
    "onset": gettext_lazy("Onset"),
    "reference_flow_m3h": gettext_lazy("Reference flow"),
    "reference_pressure_mpa": gettext_lazy("Reference pressure"),
    "flow_threshold_m3h": gettext_lazy("Flow threshold"),
    "pressure_threshold_mpa": gettext_lazy("Pressure threshold"),
    "readings": gettext_lazy("Readings"),
    "ts": gettext_lazy("Time"),
    "flow_m3h": gettext_lazy("Flow"),
    "pressure_mpa": gettext_lazy("Pressure"),
    "service_pressure_mpa": gettext_lazy("Service pressure"),
    "window_hours": gettext_lazy("Window looked at"),
    "share_threshold": gettext_lazy("Share that raises the alarm"),
    "window_start": gettext_lazy("Window from"),
    "first_low_at": gettext_lazy("First low reading"),
    "low_readings": gettext_lazy("Low readings"),
    "low_share": gettext_lazy("Share of low readings"),
    "min_pressure_mpa": gettext_lazy("Lowest pressure"),
    "peak_hours": gettext_lazy("Peak hours"),
    "window": gettext_lazy("In the window that raised the alarm"),
    "episode": gettext_lazy("Over the whole episode"),
    "peak": gettext_lazy("Peak hours"),
    "off_peak": gettext_lazy("Other hours"),
    "direction": gettext_lazy("Direction"),
    "low_litres": gettext_lazy("Low threshold"),
    "high_litres": gettext_lazy("High threshold"),
    "days": gettext_lazy("Days"),
    "day": gettext_lazy("Day"),
    "litres": gettext_lazy("Volume"),
    "hours_covered": gettext_lazy("Hours covered"),
    "recovered_day": gettext_lazy("Back to normal on"),
    "baseline_m3h": gettext_lazy("Baseline night flow"),
    "night_flow_m3h": pgettext_lazy("evidence", "Night flow"),
    "threshold_m3h": gettext_lazy("Threshold"),
    "rise_ratio": gettext_lazy("Rise"),
    "nights": gettext_lazy("Nights"),
    "night": gettext_lazy("Night"),
    "night_end": gettext_lazy("Night ending"),
    "min_night_flow_m3h": gettext_lazy("Minimum night flow"),
    "usual_night_share": gettext_lazy("Usual night share of the day's use"),
    "expected_min_night_flow_m3h": gettext_lazy("Expected minimum night flow"),
    "added_flow_limit_m3h": gettext_lazy("Added flow that raises the alarm"),
    "expected_m3h": gettext_lazy("Expected"),
    "added_flow_m3h": gettext_lazy("Added flow"),
    "confirmed_at": gettext_lazy("Confirmed at"),
    "resident_id": gettext_lazy("Special-group resident (number)"),
    "method": gettext_lazy("Method"),
    "judged_by": gettext_lazy("Judged by"),
    "flow_rise_m3h": gettext_lazy("Flow rise"),
    "flow_z": gettext_lazy("Flow rise in noise units"),
    "pressure_drop_mpa": gettext_lazy("Pressure drop"),
    "pressure_z": gettext_lazy("Pressure drop in noise units"),
}
METHODS = {
    "ratio": gettext_lazy("against the hour before (a meter with little history)"),
    "statistical": gettext_lazy("against the meter's usual flow at that time of day"),
    "floor": gettext_lazy("a rise of a quarter or more over the usual flow at that hour"),
}
NIGHT_JUDGEMENTS = {
    "share": gettext_lazy("the night's usual share of the day's use"),
    "level": gettext_lazy("the usual minimum night flow (the night is hardly lower than the day)"),
}
UNITS = (("_m3h", "m³/h"), ("_mpa", "MPa"), ("_litres", "L"), ("litres", "L"), ("_hours", "h"))


@dataclass
class Table:
    label: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Evidence:
    summary: str
    figures: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def label(key: str) -> str:
    return str(LABELS.get(key, key.replace("_", " ")))


def _time(raw: str) -> str | None:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


def show(key: str, value) -> str:
    """One value as the page shows it: with its unit, times on the local clock."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return _time(value) or value
    if isinstance(value, int | float):
        if "share" in key or key == "rise_ratio":
            return f"{value * 100:.0f} %"
        rounded = float(f"{value:.4g}") if isinstance(value, float) else value
        whole = isinstance(rounded, int) or rounded.is_integer()
        number = formats.number_format(int(rounded) if whole else rounded, force_grouping=True)
        unit = next((u for suffix, u in UNITS if key.endswith(suffix)), "")
        return f"{number} {unit}".strip()
    if isinstance(value, list) and all(isinstance(v, list) for v in value):
        return ", ".join("–".join(f"{x:g}" for x in pair) for pair in value)
    return ", ".join(show(key, v) for v in value) if isinstance(value, list) else str(value)


def _table(key: str, rows: list[dict]) -> Table:
    keys: list[str] = []
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    return Table(
        label(key),
        [label(k) for k in keys],
        [[show(k, row.get(k)) for k in keys] for row in rows],
    )


def _split_table(key: str, parts: dict) -> Table:
    """{"peak": {...}, "off_peak": {...}} → one row per part."""
    keys: list[str] = []
    for part in parts.values():
        keys.extend(k for k in part if k not in keys)
    return Table(
        label(key),
        ["", *[label(k) for k in keys]],
        [[label(name), *[show(k, part.get(k)) for k in keys]] for name, part in parts.items()],
    )


def as_recorded(key: str, value) -> str:
    """One value as the detector recorded it, with its unit, times on the local clock, no
    figure rounded away (a work order's text uses `for_order`)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "share" in key or key == "rise_ratio":
            return f"{value * 100:.0f} %"
        unit = next((u for suffix, u in UNITS if key.endswith(suffix)), "")
        return f"{value} {unit}".strip()
    return show(key, value)


# An order's figures as a person reads them on a phone: a flow to 0.1 m³/h, a pressure to
# 0.01 MPa, a volume to 0.1 L. The exact figures stay in the alarm's evidence and its CSV.
ORDER_DECIMALS = (("_m3h", 1), ("_mpa", 2), ("litres", 1), ("_hours", 1))


def for_order(key: str, value) -> str:
    """One value as a work order's text says it: rounded for reading, with its unit, times
    on the local clock (95.6907 m³/h → 95.7 m³/h)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "share" in key or key == "rise_ratio":
            return f"{value * 100:.0f} %"
        unit = next((u for suffix, u in UNITS if key.endswith(suffix)), "")
        places = next((n for suffix, n in ORDER_DECIMALS if key.endswith(suffix)), None)
        number = f"{value:.{places}f}" if places is not None else f"{value:g}"
        return f"{number} {unit}".strip()
    return show(key, value)


def summary(kind: str, d: dict, show: Callable[[str, Any], str] = show) -> str | None:
    """The detector's evidence in one sentence (its kind's summary in the registry); None
    when the detail lacks the keys of its kind. ``show`` writes each value (``for_order``
    for an order's text)."""
    found = registry.entry(kind)
    if found is None:
        return None
    try:
        return found.summary(d, show)
    except (KeyError, IndexError, TypeError):
        return None


def evidence(kind: str, detail: dict) -> Evidence:
    result = Evidence(summary(kind, detail) or _("The detector recorded the figures below."))
    for key, value in detail.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            result.tables.append(_table(key, value))
        elif isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            result.tables.append(_split_table(key, value))
        elif isinstance(value, dict):
            result.tables.append(_table(key, [value]))
        else:
            if key == "direction":
                value = _("too little") if value == "low" else _("too much")
            elif key == "method":
                value = str(METHODS.get(value, value))
            elif key == "judged_by":
                value = str(NIGHT_JUDGEMENTS.get(value, value))
            result.figures.append((label(key), show(key, value)))
    return result
