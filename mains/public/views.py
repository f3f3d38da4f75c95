"""Residents' pages, no log-in: a community's page with the report form, and tracking."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from mains.areas.models import Community
from mains.desk.actions import do_create_order
from mains.desk.errors import OrderActionError
from mains.desk.models import Channel
from mains.lib.client_address import client_ip
from mains.public import queries
from mains.public.forms import ReportForm, TrackForm
from mains.public.ratelimit import (
    Limit,
    failed_lookups_everywhere,
    failed_lookups_per_ip,
    failed_lookups_per_session,
    lookups_per_ip,
    reports_per_ip,
    reports_per_phone,
)

RECEIPT_KEY = "public_receipt"
TRACKING_KEY = "public_tracking"
TOO_MANY = 429
log = logging.getLogger("mains.security")


def _wait_words(limit: Limit) -> str:
    minutes = max(1, limit.seconds_left() // 60)
    if minutes >= 120:
        return _("in %(hours)s hours") % {"hours": minutes // 60}
    return _("in %(minutes)s minutes") % {"minutes": minutes}


def _refused(limit: Limit, message: str) -> dict:
    return {
        "limit_message": message
        % {"wait": _wait_words(limit), "hotline": settings.HOTLINE_NUMBER, "limit": limit.limit},
        "retry_after": limit.seconds_left(),
    }


def _community(pk: int) -> Community:
    return get_object_or_404(
        Community.objects.select_related("grid__specialist", "grid__deputy"), pk=pk
    )


def _respond(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    refused = context.get("limit_message")
    response = render(request, template, context, status=TOO_MANY if refused else 200)
    if refused:
        response["Retry-After"] = str(context["retry_after"])
    return response


@never_cache
def community(request: HttpRequest, pk: int) -> HttpResponse:
    place = _community(pk)
    context: dict = {}
    if request.method == "POST":
        form = ReportForm(place, request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            by_ip, by_phone = reports_per_ip(), reports_per_phone()
            if not by_ip.hit(client_ip(request)):
                context = _refused(
                    by_ip,
                    _(
                        "Too many reports have been sent from this connection. Please try "
                        "again %(wait)s, or call the hotline %(hotline)s."
                    ),
                )
            elif not by_phone.hit(data["phone"]):
                context = _refused(
                    by_phone,
                    _(
                        "This phone number has already sent %(limit)s reports today. Please "
                        "try again %(wait)s, or call the hotline %(hotline)s."
                    ),
                )
            else:
                try:
                    order = do_create_order(
                        by=None,
                        channel=Channel.WEB,
                        category=data["category"],
                        description=data["description"],
                        community=place,
                        caller_phone=data["phone"],
                        address=form.full_address(),
                        files=[data["photo"]] if data["photo"] else [],
                    )
                except OrderActionError as exc:
                    form.add_error(None, str(exc))
                else:
                    request.session[RECEIPT_KEY] = {"number": order.number, "community": place.pk}
                    return redirect("public:reported", pk=place.pk)
    else:
        form = ReportForm(place)
    context.update(
        community=place,
        specialist=queries.specialist_of(place),
        outages=queries.outages_of(place),
        form=form,
        photo_max_bytes=settings.ATTACHMENT_MAX_BYTES,
    )
    return _respond(request, "public/community.html", context)


@never_cache
def reported(request: HttpRequest, pk: int) -> HttpResponse:
    place = _community(pk)
    receipt = request.session.get(RECEIPT_KEY) or {}
    if receipt.get("community") != place.pk:
        return redirect("public:community", pk=place.pk)
    return render(
        request,
        "public/reported.html",
        {
            "community": place,
            "specialist": queries.specialist_of(place),
            "number": receipt["number"],
        },
    )


def _back_to(request: HttpRequest) -> Community | None:
    raw = request.GET.get("c", "")
    return Community.objects.filter(pk=int(raw)).first() if raw.isdecimal() else None


def _session_ident(request: HttpRequest, create: bool) -> str:
    """The visitor's session key; a first failed look-up starts a session to count in."""
    if request.session.session_key is None and create:
        request.session[TRACKING_KEY] = True  # modified, so the cookie is sent
        request.session.save()
    return request.session.session_key or ""


def _guessing_refusal(request: HttpRequest, ip: str) -> dict:
    """Refuse a visitor who has tried too many wrong numbers or digits ({} when allowed)."""
    session = _session_ident(request, create=False)
    for limit, ident in ((failed_lookups_per_ip(), ip), (failed_lookups_per_session(), session)):
        if ident and limit.exceeded(ident):
            return _refused(
                limit,
                _(
                    "Too many wrong order numbers or digits were tried from here. Please "
                    "try again %(wait)s, or call the hotline %(hotline)s."
                ),
            )
    return {}


def _count_failed_lookup(request: HttpRequest, ip: str) -> None:
    failed_lookups_per_ip().record(ip)
    failed_lookups_per_session().record(_session_ident(request, create=True))
    everywhere = failed_lookups_everywhere()
    if everywhere.record("all") == everywhere.limit:
        log.warning(
            "Tracking: %s wrong look-ups this hour from all visitors together; "
            "someone may be guessing order numbers.",
            everywhere.limit,
        )


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    context: dict = {"back": _back_to(request)}
    if request.method == "POST":
        form = TrackForm(request.POST)
        ip = client_ip(request)
        by_ip = lookups_per_ip()
        if not by_ip.hit(ip):
            context.update(
                _refused(
                    by_ip,
                    _(
                        "Too many look-ups from this connection. Please try again %(wait)s, "
                        "or call the hotline %(hotline)s."
                    ),
                )
            )
        elif refusal := _guessing_refusal(request, ip):
            context.update(refusal)
        elif form.is_valid():
            number, last_four = form.cleaned_data["number"], form.cleaned_data["last_four"]
            order = queries.public_order(number, last_four)
            if order is None:
                _count_failed_lookup(request, ip)
                context["not_found"] = True
            else:
                context.update(
                    order=order,
                    steps=queries.public_steps(order),
                    status=queries.public_status(order),
                )
    else:
        form = TrackForm(initial={"number": request.GET.get("number", "")[:20]})
    context["form"] = form
    return _respond(request, "public/track.html", context)
