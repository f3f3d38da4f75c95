from itertools import groupby

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mains.org.decorators import role_required
from mains.org.roles import WATCH_ROLES
from mains.telemetry.alarms.actions import LIVE_STATES, do_acknowledge_alarm
from mains.telemetry.alarms.evidence import evidence
from mains.telemetry.models import Alarm, QuarantinedReading
from mains.telemetry.views import queries
from mains.telemetry.views.forms import KindFilterForm, WindowForm

QUARANTINE_PAGE_SIZE = 100
METERS_PAGE_SIZE = 200


@role_required(WATCH_ROLES)
def meter_detail(request, code: str):
    meter = queries.meter_for(request.user, code)
    form = WindowForm(request.GET or None)
    valid = form.is_bound and form.is_valid()
    hours: int | None = None
    if valid and form.dates_chosen():
        start, end = form.window()
    else:
        hours = (valid and form.cleaned_data["hours"]) or queries.DEFAULT_WINDOW_HOURS
        start, end = queries.last_window(meter, hours)
    chart = queries.meter_chart(meter, start, end)
    return render(
        request,
        "telemetry/meter_detail.html",
        {
            "meter": meter,
            "form": form,
            "hours": hours,
            "windows": queries.WINDOW_HOURS,
            "start": start,
            "end": end,
            "chart": chart,
            "has_readings": bool(chart["flow"]),
            "alarms": meter.alarms.select_related("work_order")[:20],
        },
    )


def _grouped(alarms) -> list:
    """[(grid, [alarm, …]), …] in the order the alarms come (by grid, then community)."""
    return [
        (grid, list(items)) for grid, items in groupby(alarms, key=lambda a: a.meter.community.grid)
    ]


@role_required(WATCH_ROLES)
def alarm_list(request):
    form = KindFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_bound and form.is_valid() else ""
    show_cleared = request.GET.get("show") == "cleared"
    alarms = list(queries.open_alarms(request.user, kind))
    grids = queries.open_alarms_by_grid(alarms)
    kinds = [k for k in Alarm.Kind if not kind or k == kind]
    context = {
        "form": form,
        "kind": kind,
        "show_cleared": show_cleared,
        "count": len(alarms),
        "groups": _grouped(alarms),
        "kinds": kinds,
        "grid_rows": [(g, [g.by_kind[k] for k in kinds]) for g in grids],
        "chart": queries.overview_chart(grids),
        "cleared": list(queries.recently_cleared_alarms(request.user, kind))
        if show_cleared
        else [],
        "cleared_days": queries.CLEARED_DAYS,
    }
    return render(request, "telemetry/alarm_list.html", context)


@role_required(WATCH_ROLES)
def alarm_detail(request, pk: int):
    alarm = queries.alarm_for(request.user, pk)
    start, end = queries.alarm_window(alarm)
    chart = queries.meter_chart(alarm.meter, start, end, onset=alarm)
    return render(
        request,
        "telemetry/alarm_detail.html",
        {
            "alarm": alarm,
            "meter": alarm.meter,
            "evidence": evidence(alarm.kind, alarm.detail),
            "chart": chart,
            "has_readings": bool(chart["flow"]),
        },
    )


@role_required(WATCH_ROLES)
def meter_list(request):
    query = request.GET.get("q", "").strip()
    page = Paginator(queries.meter_list(request.user, query), METERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = queries.meters_with_latest(list(page.object_list))
    groups = [(c, list(items)) for c, items in groupby(rows, key=lambda row: row[0].community)]
    return render(
        request, "telemetry/meter_list.html", {"page": page, "groups": groups, "q": query}
    )


@role_required(WATCH_ROLES)
def quarantine(request):
    refused = QuarantinedReading.objects.all()
    source = request.GET.get("source", "").strip()
    if source:
        refused = refused.filter(source=source)
    page = Paginator(refused, QUARANTINE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "telemetry/quarantine.html", {"page": page, "source": source})


@role_required(WATCH_ROLES)
@require_POST
def acknowledge(request, pk: int):
    alarm = queries.alarm_for(request.user, pk)
    if alarm.state not in LIVE_STATES:
        raise Http404
    done = do_acknowledge_alarm(alarm, by=request.user)
    if request.headers.get("HX-Request"):
        partial = "state" if request.POST.get("next") == "detail" else "row"
        return render(
            request,
            f"telemetry/partials/alarm_{partial}.html",
            {"a": alarm, "alarm": alarm, "just_acknowledged": done},
        )
    if done:
        messages.success(request, _("Alarm acknowledged."))
    else:
        messages.info(request, _("This alarm had already been acknowledged."))
    if request.POST.get("next") == "detail":
        return redirect("telemetry:alarm", pk=alarm.pk)
    return redirect("telemetry:alarms")
