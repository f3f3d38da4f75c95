from itertools import groupby

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _

from mains.org.decorators import role_required
from mains.telemetry import queries


@role_required(queries.WATCH_ROLES)
def meter_detail(request, code: str):
    meter = queries.meter_for(request.user, code)
    hours = queries.DEFAULT_WINDOW_HOURS
    asked = request.GET.get("hours", "")
    if asked:
        if asked.isdigit() and int(asked) in queries.WINDOW_HOURS:
            hours = int(asked)
        else:
            messages.error(request, _("Choose one of the windows offered."))
    chart = queries.meter_chart(meter, hours)
    return render(
        request,
        "telemetry/meter_detail.html",
        {
            "meter": meter,
            "hours": hours,
            "windows": queries.WINDOW_HOURS,
            "chart": chart,
            "has_readings": bool(chart["flow"]),
            "alarms": meter.alarms.select_related("work_order")[:20],
        },
    )


@role_required(queries.WATCH_ROLES)
def alarm_list(request):
    alarms = list(queries.open_alarms())
    groups = [
        (grid, list(items)) for grid, items in groupby(alarms, key=lambda a: a.meter.community.grid)
    ]
    return render(request, "telemetry/alarm_list.html", {"groups": groups, "count": len(alarms)})
