"""Hotline intake: keyboard-first, one screen from the caller's number to a saved order."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mains.desk import queries
from mains.desk.access import orders_for
from mains.desk.actions import do_attach_call, do_create_order
from mains.desk.errors import OrderActionError
from mains.desk.forms import IntakeForm, clean_phone_value
from mains.desk.models import WorkOrder
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.roles import COMMUNITY_SEARCH_ROLES, INTAKE_ROLES
from mains.outages.queries import active_outages_for


def _phone_or_blank(raw: str) -> str:
    try:
        return clean_phone_value(raw)
    except ValidationError:
        return ""


def _save(request: AuthedRequest, data: dict) -> HttpResponse:
    """Attach the call to the order the page announced, or save a new order."""
    target = data["attach_to"]
    if target is not None:
        do_attach_call(
            target,
            request.user,
            data["caller_name"],
            data["caller_phone"],
            data["description"],
            files=data["files"],
        )
        messages.success(
            request, _("The call was attached to order %(number)s.") % {"number": target.number}
        )
        return redirect(request.path)
    order = do_create_order(
        by=request.user,
        channel=data["channel"],
        category=data["category"],
        description=data["description"],
        community=data["community"],
        caller_name=data["caller_name"],
        caller_phone=data["caller_phone"],
        address=data["address"],
        priority=data["priority"],
        files=data["files"],
    )
    return redirect(f"{request.path}?saved={order.pk}")


@role_required(INTAKE_ROLES)
def intake(request: AuthedRequest) -> HttpResponse:
    saved = None
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                return _save(request, form.cleaned_data)
            except OrderActionError as exc:
                form.add_error(None, str(exc))
    else:
        form = IntakeForm(initial={"caller_phone": request.GET.get("caller", "")})
        saved_id = request.GET.get("saved", "")
        if saved_id.isdecimal():
            saved = (
                orders_for(request.user)
                .select_related("specialist", "community", "category")
                .filter(pk=int(saved_id))
                .first()
            )
    phone = _phone_or_blank(form["caller_phone"].value() or "")
    community = None
    community_id = form["community"].value()
    if community_id and str(community_id).isdecimal():
        from mains.areas.models import Community

        community = (
            Community.objects.select_related("grid__specialist")
            .filter(pk=int(community_id))
            .first()
        )
    history = queries.caller_history(phone)
    category_id = str(form["category"].value() or "")
    return render(
        request,
        "desk/intake.html",
        {
            "form": form,
            # Rendered from the submitted form, so that after an error the page says what
            # the next save will do (attach to this order, or make a new one).
            "attach": form.attach_target,
            "saved": saved,
            "history": history,
            "community": community,
            "hints": queries.duplicate_hints(
                community.pk if community else None,
                int(category_id) if category_id.isdecimal() else None,
            ),
            "outages": active_outages_for(community) if community else [],
        },
    )


@role_required(INTAKE_ROLES)
def caller_panel(request: AuthedRequest) -> HttpResponse:
    phone = _phone_or_blank(request.GET.get("caller_phone", ""))
    return render(
        request,
        "desk/partials/caller_history.html",
        {"history": queries.caller_history(phone), "phone": phone},
    )


@role_required(COMMUNITY_SEARCH_ROLES)
def community_search(request: AuthedRequest) -> HttpResponse:
    text = request.GET.get("q", "")
    return render(
        request,
        "desk/partials/community_results.html",
        {"results": queries.search_communities(text), "q": text},
    )


@role_required(INTAKE_ROLES)
def duplicate_hints(request: AuthedRequest) -> HttpResponse:
    def as_id(name: str) -> int | None:
        value = request.GET.get(name, "")
        return int(value) if value.isdecimal() else None

    hints: list[WorkOrder] = queries.duplicate_hints(as_id("community"), as_id("category"))
    return render(request, "desk/partials/duplicate_hints.html", {"hints": hints})
