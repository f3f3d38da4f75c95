"""POST requests (a new work order, with an API key), GET requests and GET requests/{id}.

Only public orders (mains.desk.visibility) are listed or found: an alarm's or an internal
category's order answers like one that does not exist.
"""

import math
from datetime import UTC, datetime, timedelta

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from mains.api.open311 import locate
from mains.api.open311.present import request_of
from mains.api.open311.render import Open311Error, error, only, respond
from mains.api.open311.services import attributes_of, public_category
from mains.api.tokens import token_for_key
from mains.desk.access import may_take_calls, orders_for
from mains.desk.actions import do_create_order
from mains.desk.errors import OrderActionError
from mains.desk.models import Channel, WorkOrder
from mains.desk.order_messages import tracking_url
from mains.desk.states import OPEN_STATES
from mains.desk.visibility import public_orders
from mains.lib.phones import clean_phone_value
from mains.lib.text import NUL, clean_identifier, clean_line, clean_prose

MAX_RESULTS = 1000
DEFAULT_DAYS = 90


def _param(data, name: str, max_length: int = 4000, clean=clean_line) -> str:
    """A parameter as mains.lib.text cleans its kind: one line unless `clean` says otherwise."""
    value = data.get(name, "")
    if NUL in value:
        raise Open311Error(400, _("“%(name)s” contains a NUL character.") % {"name": name})
    if len(value) > max_length:
        raise Open311Error(
            400, _("“%(name)s” is longer than %(n)s characters.") % {"name": name, "n": max_length}
        )
    return clean(value)


def _user_of_key(data, required: bool):
    key = _param(data, "api_key", 200, clean_identifier)
    if not key and not required:
        return None
    token = token_for_key(key)
    if token is None:
        raise Open311Error(403, _("A valid api_key is required."))
    return token.user


def _coordinate(data, name: str, limit: float) -> float | None:
    raw = _param(data, name, 40)
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError as exc:
        raise Open311Error(400, _("“%(name)s” is not a number.") % {"name": name}) from exc
    if not math.isfinite(value) or abs(value) > limit:
        raise Open311Error(400, _("“%(name)s” is out of range.") % {"name": name})
    return value


def _moment(data, name: str) -> datetime | None:
    raw = _param(data, name, 40)
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None or not 2000 <= value.year <= 2100:
        raise Open311Error(400, _("“%(name)s” is not an ISO-8601 date and time.") % {"name": name})
    aware = timezone.make_aware(value) if timezone.is_naive(value) else value
    # In UTC: ISO-8601 allows offsets up to ±23:59, PostgreSQL only below ±16:00.
    return aware.astimezone(UTC)


def _create(request: HttpRequest) -> WorkOrder:
    data = request.POST
    user = _user_of_key(data, required=True)
    if not may_take_calls(user):
        raise Open311Error(403, _("This api_key may not submit requests."))
    code = _param(data, "service_code", 30, clean_identifier)
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = public_category(code)
    if category is None:
        raise Open311Error(404, _("There is no service “%(code)s”.") % {"code": code})
    lat, lon = _coordinate(data, "lat", 90), _coordinate(data, "long", 180)
    address = _param(data, "address_string", 200)
    if (lat is None) != (lon is None) or (lat is None and not address):
        raise Open311Error(400, _("Give lat and long, or address_string."))
    answers = {}
    for attribute in attributes_of(category):
        value = _param(data, f"attribute[{attribute['code']}]", 200)
        if attribute["required"] and not value:
            raise Open311Error(
                400, _("attribute[%(code)s] is required.") % {"code": attribute["code"]}
            )
        if value and attribute["datatype"] == "datetime":
            _moment(data, f"attribute[{attribute['code']}]")
        answers[attribute["code"]] = value
    community = locate.community_named_in(address)
    if community is None and lat is not None and lon is not None:
        community = locate.community_near(lat, lon)
    if community is None and not address:
        raise Open311Error(400, _("No community is known at this place; give address_string."))
    try:
        phone = clean_phone_value(_param(data, "phone", 30))
    except forms.ValidationError as exc:
        raise Open311Error(400, " ".join(exc.messages)) from exc
    description = _param(data, "description", 4000, clean_prose) or category.name
    if answers.get("since"):
        description += "\n" + _("Since: %(since)s") % {"since": answers["since"]}
    name = _param(data, "last_name", 25) + _param(data, "first_name", 25)
    where = " ".join(part for part in (address, answers.get("building", "")) if part)
    try:
        return do_create_order(
            by=user,
            channel=Channel.API,
            category=category,
            description=description,
            community=community,
            caller_name=name,
            caller_phone=phone,
            address=where,
        )
    except OrderActionError as exc:
        raise Open311Error(400, str(exc)) from exc


def _notice(order: WorkOrder) -> str:
    return _("Order %(number)s received; track it at %(url)s or call %(hotline)s.") % {
        "number": order.number,
        "url": tracking_url(order.number),
        "hotline": settings.HOTLINE_NUMBER,
    }


def _window(data) -> tuple[datetime, datetime]:
    given_start, given_end = _moment(data, "start_date"), _moment(data, "end_date")
    span = timedelta(days=DEFAULT_DAYS)
    if given_start is None:
        end = given_end or timezone.now()
        start = end - span
    else:
        start = given_start
        end = given_end or start + span
    if start > end:
        raise Open311Error(400, _("start_date is after end_date."))
    if end - start > timedelta(days=DEFAULT_DAYS):
        raise Open311Error(
            400, _("A search may not span more than %(days)s days.") % {"days": DEFAULT_DAYS}
        )
    return start, end


def _search(data) -> list[WorkOrder]:
    found = public_orders().select_related("category", "community", "unit", "grid")
    ids = [
        part.strip()
        for part in _param(data, "service_request_id", 21000, clean_identifier).split(",")
    ]
    ids = [part for part in ids if part]
    if ids:  # the spec: other parameters are then ignored
        return list(found.filter(number__in=ids[:MAX_RESULTS]).order_by("-received_at"))
    codes = [
        c.strip()
        for c in _param(data, "service_code", 2000, clean_identifier).split(",")
        if c.strip()
    ]
    if codes:
        found = found.filter(category__code__in=codes)
    statuses = {s.strip() for s in _param(data, "status", 20).split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status is open or closed."))
    if statuses == {"open"}:
        found = found.filter(state__in=OPEN_STATES)
    elif statuses == {"closed"}:
        found = found.exclude(state__in=OPEN_STATES)
    start, end = _window(data)
    found = found.filter(received_at__gte=start, received_at__lte=end)
    return list(found.order_by("-received_at", "-pk")[:MAX_RESULTS])


def _answer(request: HttpRequest, orders: list[WorkOrder], fmt: str) -> HttpResponse:
    user = _user_of_key(request.GET, required=False)
    visible = set()
    if user is not None:
        visible = set(
            orders_for(user).filter(pk__in=[o.pk for o in orders]).values_list("pk", flat=True)
        )
    data = [request_of(o, user if o.pk in visible else None) for o in orders]
    return respond(data, fmt, "service_requests", "request")


@csrf_exempt
@only("GET", "POST")
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        if request.method == "POST":
            order = _create(request)
            answer = [
                {
                    "service_request_id": order.number,
                    "service_notice": _notice(order),
                    "account_id": None,
                }
            ]
            return respond(answer, fmt, "service_requests", "request", status=201)
        return _answer(request, _search(request.GET), fmt)
    except Open311Error as exc:
        return error(exc.status, exc.description, fmt)


@only("GET")
def request_view(request: HttpRequest, number: str, fmt: str) -> HttpResponse:
    try:
        if NUL in number:
            raise Open311Error(404, _("There is no such request."))
        number = clean_identifier(number)
        order = (
            public_orders()
            .select_related("category", "community", "unit", "grid")
            .filter(number=number[:20])
            .first()
        )
        if order is None:
            raise Open311Error(404, _("There is no request %(id)s.") % {"id": number[:20]})
        return _answer(request, [order], fmt)
    except Open311Error as exc:
        return error(exc.status, exc.description, fmt)
