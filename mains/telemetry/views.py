from itertools import groupby

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mains.org.decorators import role_required
from mains.telemetry import queries
from mains.telemetry.actions import do_acknowledge_alarm
from mains.telemetry.models import QuarantinedReading

QUARANTINE_PAGE_SIZE = 100


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


@role_required(queries.WATCH_ROLES)
def quarantine(request):
    refused = QuarantinedReading.objects.all()
    source = request.GET.get("source", "").strip()
    if source:
        refused = refused.filter(source=source)
    page = Paginator(refused, QUARANTINE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "telemetry/quarantine.html", {"page": page, "source": source})


@require_POST
@role_required(queries.WATCH_ROLES)
def acknowledge(request, pk: int):
    alarm = queries.open_alarms().filter(pk=pk).first()
    if alarm is None:
        raise Http404
    if do_acknowledge_alarm(alarm, by=request.user):
        messages.success(request, _("Alarm acknowledged."))
    else:
        messages.info(request, _("This alarm had already been acknowledged."))
    return redirect("telemetry:alarms")
