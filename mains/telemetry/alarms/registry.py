"""The alarm kinds of the network watch: one entry per kind, all that differs between them.

An entry names its detector (a module of ``mains.telemetry.detect``: ``KIND``,
``METER_KINDS``, ``HISTORY_DAYS``, ``DEFAULTS``, ``find``), the work-order category its
alarms open, how long before an alarm its readings are attached to the order, the sentence
that sums its evidence up, what an order's text adds to that sentence, and whether it is
about a special-group resident. Live detection, the actions, the evidence and the pages
look the entry up instead of asking which kind an alarm is. ``Alarm.Kind`` (the database's
choices) holds the same kinds; a test keeps the two equal.

A summary takes the alarm's ``detail`` and ``show(key, value)`` (how a value is written:
``evidence.show`` on the page, ``evidence.for_order`` in an order's text) and may raise
KeyError, IndexError or TypeError when the detail lacks its keys (``evidence.summary``
answers None then).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from types import ModuleType
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mains.desk.models import Visibility
from mains.telemetry.detect import burst, household, low_pressure, night_flow

Show = Callable[[str, Any], str]

# The readings attached to an alarm's order end this long after it was raised.
EVIDENCE_AFTER = timedelta(hours=1)

# Welfare visits to special-group residents whose household meter looks wrong; the desk's
# defaults do not have it, so it is created (once) when the first such alarm is raised.
WELFARE_CATEGORY = "W-WELFARE"
WELFARE_DEFAULTS = {
    "utility": "water",
    "name": "特殊群体用水异常关怀走访",
    "priority": 2,
    "accept_minutes": 30,
    "arrive_minutes": 240,
    "resolve_minutes": 480,
    "callback_minutes": 1440,
    "needs_visit": True,
    # Staff only; its orders' details only for those who visit, route or manage them.
    "visibility": Visibility.SPECIAL_GROUP,
}


def _no_lines(detail: dict, show: Show) -> list[str]:
    return []


@dataclass(frozen=True)
class AlarmKind:
    kind: str  # the value of Alarm.Kind and of the detector's KIND
    detector: ModuleType  # mains.telemetry.detect.<module>
    category: str  # code of the work-order category its alarms open
    # Readings from this long before the alarm (to EVIDENCE_AFTER after it) go on the order
    # as a CSV file; None: none (a household's readings tell how one resident lives).
    evidence_before: timedelta | None
    summary: Callable[[dict, Show], str]  # the evidence in one sentence
    order_lines: Callable[[dict, Show], list[str]] = _no_lines  # an order says this as well
    # Fields of a category created when it does not exist yet (None: it must exist).
    category_defaults: dict | None = None
    # The meter is a special-group resident's: the order goes to the resident's address and
    # the alarm's evidence keeps the resident's id (no name or phone in any text).
    about_resident: bool = False
    defaults: dict = field(init=False)  # the detector's settings and thresholds, by name

    def __post_init__(self) -> None:
        object.__setattr__(self, "defaults", dict(self.detector.DEFAULTS))


# --- burst ---------------------------------------------------------------------------------


def _burst_summary(d: dict, show: Show) -> str:
    if "held_minutes" in d and d.get("flow_rise_share") is not None:
        return _what_was_seen(d, show)
    last = d["readings"][-1]
    values = {
        "flow_ref": show("_m3h", d["reference_flow_m3h"]),
        "flow": show("_m3h", last["flow_m3h"]),
        "onset": show("onset", d["onset"]),
    }
    if d.get("reference_pressure_mpa") is None or last.get("pressure_mpa") is None:
        return _("Flow rose from %(flow_ref)s to %(flow)s from %(onset)s on.") % values
    return _(
        "Flow rose from %(flow_ref)s to %(flow)s while pressure fell from "
        "%(pressure_ref)s to %(pressure)s, from %(onset)s on."
    ) % {
        **values,
        "pressure_ref": show("_mpa", d["reference_pressure_mpa"]),
        "pressure": show("_mpa", last["pressure_mpa"]),
    }


def _what_was_seen(d: dict, show: Show) -> str:
    """As an engineer would say it: 18:45 起流量比平日同时段高 32 m³/h（+38 %），压力降
    0.007 MPa，持续 45 分钟."""
    values = {
        "onset": show("onset", d["onset"]),
        "rise": show("_m3h", d["flow_rise_m3h"]),
        "share": f"{d['flow_rise_share'] * 100:+.0f} %",
        "minutes": d["held_minutes"],
        "flow": show("_m3h", d["readings"][-1]["flow_m3h"]),
        "usual": show("_m3h", d["reference_flow_m3h"]),
    }
    drop = d.get("pressure_drop_mpa")
    if drop is None:
        text = _(
            "From %(onset)s the flow was %(rise)s above the usual for that time of day "
            "(%(share)s: %(flow)s where %(usual)s is usual), held for %(minutes)d "
            "minutes; no pressure was read."
        )
    elif drop <= 0:
        text = _(
            "From %(onset)s the flow was %(rise)s above the usual for that time of day "
            "(%(share)s: %(flow)s where %(usual)s is usual), the pressure did not fall, "
            "held for %(minutes)d minutes."
        )
    else:
        text = _(
            "From %(onset)s the flow was %(rise)s above the usual for that time of day "
            "(%(share)s: %(flow)s where %(usual)s is usual), the pressure fell by "
            "%(drop)s, held for %(minutes)d minutes."
        )
    return text % {**values, "drop": show("_mpa", drop)}


# --- night flow ----------------------------------------------------------------------------


def _night_flow_summary(d: dict, show: Show) -> str:
    last = d["nights"][-1]
    return ngettext(
        "The flow added at night stayed above %(limit)s for %(n)d night: on the "
        "night ending %(night)s the minimum night flow was %(flow)s where the day "
        "before's use led to expect %(expected)s (%(added)s added).",
        "The flow added at night stayed above %(limit)s for %(n)d nights in a row: "
        "on the night ending %(night)s the minimum night flow was %(flow)s where the "
        "day before's use led to expect %(expected)s (%(added)s added).",
        len(d["nights"]),
    ) % {
        "limit": show("_m3h", d["added_flow_limit_m3h"]),
        "n": len(d["nights"]),
        "night": show("night_end", last["night_end"]),
        "flow": show("_m3h", last["min_night_flow_m3h"]),
        "expected": show("_m3h", last["expected_m3h"]),
        "added": show("_m3h", last["added_flow_m3h"]),
    }


# --- low pressure --------------------------------------------------------------------------


def _low_pressure_summary(d: dict, show: Show) -> str:
    return _(
        "%(low)d of %(n)d readings (%(share)s) were below the service pressure of "
        "%(service)s; the lowest was %(min)s."
    ) % {
        "low": d["low_readings"],
        "n": d["readings"],
        "share": show("low_share", d["low_share"]),
        "service": show("_mpa", d["service_pressure_mpa"]),
        "min": show("_mpa", d["min_pressure_mpa"]),
    }


def _split_line(label: str, part: dict, show: Show) -> str:
    if not part.get("readings"):
        return _("%(label)s: no readings.") % {"label": label}
    return _("%(label)s: %(low)d of %(n)d readings low (%(share)s %%), lowest %(min)s MPa.") % {
        "label": label,
        "low": part["low_readings"],
        "n": part["readings"],
        "share": round(100 * part["low_share"]),
        "min": show("min_pressure_mpa", part["min_pressure_mpa"]).removesuffix(" MPa"),
    }


def _low_pressure_lines(detail: dict, show: Show) -> list[str]:
    if not isinstance(detail.get("window"), dict):
        return []
    window = detail["window"]
    return [
        _split_line(_("Peak hours"), window.get("peak") or {}, show),
        _split_line(_("Other hours"), window.get("off_peak") or {}, show),
    ]


# --- household usage -----------------------------------------------------------------------


def _household_summary(d: dict, show: Show) -> str:
    first = d["days"][0]
    if d["direction"] == "low":
        text = _("Only %(litres)s used on %(day)s, under %(limit)s.")
        limit = d["low_litres"]
    else:
        text = _("%(litres)s used on %(day)s, over %(limit)s.")
        limit = d["high_litres"]
    return text % {
        "litres": show("litres", first["litres"]),
        "day": first["day"],
        "limit": show("litres", limit),
    }


def _household_lines(detail: dict, show: Show) -> list[str]:
    """No personal data: the resident's name and phone stay on the specialist's page."""
    lines = []
    if detail.get("direction") == "low" and "low_litres" in detail:
        lines.append(
            _(
                "A special-group household that uses under the %(limit)s in a day gets a "
                "welfare visit."
            )
            % {"limit": show("low_litres", detail["low_litres"])}
        )
    elif detail.get("direction") == "high" and "high_litres" in detail:
        lines.append(
            _(
                "A special-group household that uses over the %(limit)s in a day gets a "
                "welfare visit."
            )
            % {"limit": show("high_litres", detail["high_litres"])}
        )
    lines.append(
        _(
            "The resident is registered as a special-group resident; the name and "
            "phone are on the specialist's visits page."
        )
    )
    return lines


# --- the registry --------------------------------------------------------------------------

KINDS: dict[str, AlarmKind] = {
    entry.kind: entry
    for entry in (
        AlarmKind(
            kind=burst.KIND,
            detector=burst,
            category="W-BURST",
            evidence_before=timedelta(hours=6),
            summary=_burst_summary,
        ),
        AlarmKind(
            kind=night_flow.KIND,
            detector=night_flow,
            category="W-LEAK",
            evidence_before=timedelta(days=7),
            summary=_night_flow_summary,
        ),
        AlarmKind(
            kind=low_pressure.KIND,
            detector=low_pressure,
            category="W-PRESSURE",
            evidence_before=timedelta(hours=6),
            summary=_low_pressure_summary,
            order_lines=_low_pressure_lines,
        ),
        AlarmKind(
            kind=household.KIND,
            detector=household,
            category=WELFARE_CATEGORY,
            evidence_before=None,
            summary=_household_summary,
            order_lines=_household_lines,
            category_defaults=WELFARE_DEFAULTS,
            about_resident=True,
        ),
    )
}


def entry(kind: str) -> AlarmKind | None:
    """The entry of this alarm kind; None for a kind the registry does not know."""
    return KINDS.get(kind)
