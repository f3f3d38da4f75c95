"""The intake screen's outage panel: a caller from an affected community is attached, not
dispatched."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render

from mains.lib.phones import clean_phone_value
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.roles import OUTAGE_ATTACH_ROLES
from mains.outages.access import outage_for
from mains.outages.actions import do_attach_caller
from mains.outages.errors import OutageError
from mains.outages.queries import active_outages_for

PANEL = "outages/partials/intake_outages.html"


@role_required(OUTAGE_ATTACH_ROLES)
def intake_panel(request: AuthedRequest) -> HttpResponse:
    """The active outages of the community the agent picked (empty when none)."""
    community = request.GET.get("community", "")
    outages = active_outages_for(int(community)) if community.isdecimal() else []
    return render(request, PANEL, {"outages": outages})


@role_required(OUTAGE_ATTACH_ROLES)
def attach(request: AuthedRequest, pk: int) -> HttpResponse:
    outage = outage_for(request.user, pk)
    if request.method != "POST":
        return render(request, PANEL, {"outages": [outage] if outage.is_open else []})
    name = request.POST.get("caller_name", "")
    error = ""
    caller = None
    try:
        phone = clean_phone_value(request.POST.get("caller_phone", ""), required=True)
        caller = do_attach_caller(outage, name, phone, request.user)
    except OutageError as exc:
        error = str(exc)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return render(
        request,
        PANEL,
        {"outages": [outage], "attached": caller, "attach_error": error, "error_for": outage.pk},
    )
