"""Residents' pages, no log-in: a community's page with the report form, and tracking."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from mains.areas.models import Community
from mains.desk.actions import do_create_order
from mains.desk.errors import OrderActionError
from mains.desk.models import Channel
from mains.public import queries
from mains.public.forms import ReportForm, TrackForm
from mains.public.ratelimit import (
    Limit,
    client_ip,
    failed_lookups_per_number,
    lookups_per_ip,
    reports_per_ip,
    reports_per_phone,
)

RECEIPT_KEY = "public_receipt"
TOO_MANY = 429


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


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    context: dict = {"back": _back_to(request)}
    if request.method == "POST":
        form = TrackForm(request.POST)
        by_ip = lookups_per_ip()
        if not by_ip.hit(client_ip(request)):
            context.update(
                _refused(
                    by_ip,
                    _(
                        "Too many look-ups from this connection. Please try again %(wait)s, "
                        "or call the hotline %(hotline)s."
                    ),
                )
            )
        elif form.is_valid():
            number, last_four = form.cleaned_data["number"], form.cleaned_data["last_four"]
            failures = failed_lookups_per_number()
            if failures.exceeded(number):
                context.update(
                    _refused(
                        failures,
                        _(
                            "Too many wrong attempts for this order number. Please try again "
                            "%(wait)s, or call the hotline %(hotline)s."
                        ),
                    )
                )
            else:
                order = queries.public_order(number, last_four)
                if order is None:
                    failures.record(number)
                    context["not_found"] = True
                else:
                    context.update(order=order, steps=queries.public_steps(order))
    else:
        form = TrackForm(initial={"number": request.GET.get("number", "")[:20]})
    context["form"] = form
    return _respond(request, "public/track.html", context)
