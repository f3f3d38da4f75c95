"""The outage pages: list, announce, change, detail, end and cancel."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mains.areas.queries import search_communities
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.roles import OUTAGE_MANAGE_ROLES, OUTAGE_VIEW_ROLES
from mains.outages import queries
from mains.outages.access import outage_for
from mains.outages.actions import (
    do_announce_outage,
    do_cancel_outage,
    do_change_outage,
    do_end_outage,
)
from mains.outages.errors import OutageError
from mains.outages.forms import OutageForm

ENDED_SHOWN = 50


@role_required(OUTAGE_VIEW_ROLES)
def outage_list(request: AuthedRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "outages/list.html",
        {
            "current": list(queries.outages_in("current", now)),
            "planned": list(queries.outages_in("planned", now)),
            "ended": list(queries.outages_in("ended", now)[:ENDED_SHOWN]),
            "may_manage": request.user.role in OUTAGE_MANAGE_ROLES,
        },
    )


@role_required(OUTAGE_MANAGE_ROLES)
def outage_new(request: AuthedRequest) -> HttpResponse:
    form = OutageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outage = do_announce_outage(
                by=request.user,
                kind=data["kind"],
                utility=data["utility"],
                communities=data["all_communities"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                reason=data["reason"],
            )
        except OutageError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The outage is announced."))
            if form.warning:
                messages.warning(request, form.warning)
            return redirect("outages:detail", outage.pk)
    return render(request, "outages/form.html", {"form": form, "outage": None})


@role_required(OUTAGE_MANAGE_ROLES)
def outage_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    outage = outage_for(request.user, pk)
    if not outage.is_open:
        messages.error(request, _("This outage is over: it can no longer be changed."))
        return redirect("outages:detail", outage.pk)
    form = OutageForm(request.POST or None, outage=outage)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_change_outage(
                outage,
                by=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                reason=data["reason"],
                communities=data["all_communities"],
                version=data["version"],
            )
        except OutageError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The outage is changed."))
            if form.warning:
                messages.warning(request, form.warning)
            return redirect("outages:detail", outage.pk)
    return render(request, "outages/form.html", {"form": form, "outage": outage})


@role_required(OUTAGE_VIEW_ROLES)
def outage_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    outage = outage_for(request.user, pk)
    return render(
        request,
        "outages/detail.html",
        {
            "outage": outage,
            "callers": list(outage.callers.select_related("order", "attached_by")),
            "events": list(outage.events.select_related("by")),
            "may_manage": request.user.role in OUTAGE_MANAGE_ROLES,
        },
    )


def _finish(request: AuthedRequest, pk: int, action, done: str) -> HttpResponse:
    outage = outage_for(request.user, pk)
    version = request.POST.get("version", "")
    try:
        action(outage, by=request.user, version=int(version) if version.isdecimal() else None)
    except OutageError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("outages:detail", outage.pk)


@role_required(OUTAGE_MANAGE_ROLES)
@require_POST
def outage_end(request: AuthedRequest, pk: int) -> HttpResponse:
    return _finish(
        request, pk, do_end_outage, _("The outage is ended; the attached callers are notified.")
    )


@role_required(OUTAGE_MANAGE_ROLES)
@require_POST
def outage_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    return _finish(request, pk, do_cancel_outage, _("The outage is cancelled."))


@role_required(OUTAGE_MANAGE_ROLES)
def community_search(request: AuthedRequest) -> HttpResponse:
    text = request.GET.get("q", "")
    return render(
        request,
        "outages/partials/community_results.html",
        {"results": search_communities(text), "q": text},
    )
