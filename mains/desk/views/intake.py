"""Hotline intake: keyboard-first, one screen from the caller's number to a saved order."""

from functools import lru_cache

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mains.areas.models import Community
from mains.areas.queries import search_communities
from mains.desk import queries
from mains.desk.access import orders_for
from mains.desk.actions import do_attach_call, do_create_order
from mains.desk.errors import OrderActionError
from mains.desk.forms import IntakeForm
from mains.desk.models import Category, WorkOrder
from mains.desk.states import OPEN_STATES
from mains.desk.visibility import reads_special_group_details
from mains.lib.phones import clean_phone_value
from mains.lib.pinyin import full_pinyin, pinyin_initials
from mains.org.access_log import note_view
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.pii import Purpose, subject_of
from mains.org.roles import COMMUNITY_SEARCH_ROLES, INTAKE_ROLES
from mains.outages.queries import active_outages_for

# The most used categories get the number keys 1–9 in the category pick.
NUMBER_KEYS = 9


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
        return redirect(f"{request.path}?saved={target.pk}&attached=1")
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


@lru_cache(maxsize=256)
def _spellings(name: str) -> tuple[str, str]:
    """水表或立管漏水 → ("sbhlgls", "shuibiaohuoliguanloushui"), letters only."""
    return (
        "".join(c for c in pinyin_initials(name) if c.isalnum()),
        "".join(c for c in full_pinyin(name) if c.isalnum()),
    )


def category_index(categories: list[Category]) -> list[dict]:
    """What the category pick searches, the most used first: number key, name, pinyin."""
    index = []
    for rank, category in enumerate(categories, start=1):
        initials, pinyin = _spellings(category.name)
        index.append(
            {
                "id": category.pk,
                "name": category.name,
                "key": str(rank) if rank <= NUMBER_KEYS else "",
                "initials": initials,
                "pinyin": pinyin,
            }
        )
    return index


def caller_context(request: AuthedRequest, phone: str) -> dict:
    """The caller panel: their earlier orders, the open ones apart, their last community.

    An order may fill the form with its address unless it is about a special-group resident
    whose details this user does not read."""
    history = queries.caller_history(phone)
    for order in history:
        order.fills_form = reads_special_group_details(request.user, order)  # type: ignore[attr-defined]
    last_community = next((o.community for o in history if o.community), None)
    return {
        "history": history,
        "phone": phone,
        "open_orders": [o for o in history if o.state in OPEN_STATES],
        "earlier_orders": [o for o in history if o.state not in OPEN_STATES],
        "last_community": last_community,
    }


def _dropped_files(request: AuthedRequest, form: IntakeForm) -> list[str]:
    """The files chosen before a failed save: a browser never sends them again."""
    if not form.is_bound or "files" in form.errors:
        return []
    return [upload.name or "" for upload in request.FILES.getlist("files")]


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
        community = (
            Community.objects.select_related("grid__specialist")
            .filter(pk=int(community_id))
            .first()
        )
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
            "attached": saved is not None and request.GET.get("attached") == "1",
            **caller_context(request, phone),
            "category_index": category_index(queries.intake_categories()),
            "dropped_files": _dropped_files(request, form),
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
    return render(request, "desk/partials/caller_history.html", caller_context(request, phone))


@role_required(INTAKE_ROLES)
def caller_address(request: AuthedRequest, pk: int) -> JsonResponse:
    """An earlier order's community and address, to fill the form with: only for the
    number typed (the caller on the line), never a special-group resident's; logged."""
    phone = _phone_or_blank(request.GET.get("caller_phone", ""))
    order = (
        orders_for(request.user)
        .select_related("community__grid__specialist", "category")
        .filter(pk=pk, caller_phone=phone)
        .exclude(caller_phone="")
        .first()
    )
    if order is None or not reads_special_group_details(request.user, order):
        raise Http404
    if order.address:
        note_view(request.user, subject_of(order), ["address"], Purpose.WORKING)
    community = order.community
    return JsonResponse(
        {
            "address": order.address,
            "community": community.pk if community else None,
            "community_name": community.name if community else "",
            "community_card": _card_text(community) if community else "",
        }
    )


def _card_text(community: Community) -> str:
    """What the community search's results say of a community (community_results.html)."""
    parts = [community.address]
    if community.grid:
        parts.append(str(community.grid))
        if community.grid.specialist:
            specialist = community.grid.specialist
            parts.append(f"{specialist.name} {specialist.phone}")
    return " · ".join(p for p in parts if p)


@role_required(COMMUNITY_SEARCH_ROLES)
def community_search(request: AuthedRequest) -> HttpResponse:
    text = request.GET.get("q", "")
    return render(
        request,
        "desk/partials/community_results.html",
        {"results": search_communities(text), "q": text},
    )


@role_required(INTAKE_ROLES)
def duplicate_hints(request: AuthedRequest) -> HttpResponse:
    def as_id(name: str) -> int | None:
        value = request.GET.get(name, "")
        return int(value) if value.isdecimal() else None

    hints: list[WorkOrder] = queries.duplicate_hints(as_id("community"), as_id("category"))
    return render(request, "desk/partials/duplicate_hints.html", {"hints": hints})
