from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mains.notify.actions import RetryRefused, do_retry_message
from mains.notify.events import Event
from mains.notify.models import Channel, Message
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.roles import Role

FILTERS = {
    "event": Event.values,
    "status": Message.Status.values,
    "channel": Channel.values,
}


def _filtered(request: AuthedRequest):
    rows = Message.objects.order_by("-created_at", "-pk")
    for name, allowed in FILTERS.items():
        value = request.GET.get(name, "")
        if value in allowed:
            rows = rows.filter(**{name: value})
    return rows


def _related_url(related: str) -> str:
    kind, _sep, pk = related.partition(":")
    if kind == "order" and pk.isdigit():
        return reverse("desk:order", args=[int(pk)])
    return ""


@role_required([Role.ADMIN])
def message_log(request: AuthedRequest) -> HttpResponse:
    page = Paginator(_filtered(request), 50).get_page(request.GET.get("page"))
    for message in page:
        message.shown_recipient = message.masked_recipient
        message.shown_body = message.masked_body
        message.related_url = _related_url(message.related)
    return render(
        request,
        "notify/messages.html",
        {
            "page": page,
            "filters": request.GET,
            "events": Event.choices,
            "statuses": Message.Status.choices,
            "channels": Channel.choices,
        },
    )


@role_required([Role.ADMIN])
@require_POST
def retry(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        do_retry_message(pk)
    except RetryRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The message is queued to be sent again."))
    kept = QueryDict(request.POST.get("query", ""))
    query = urlencode({k: kept[k] for k in [*FILTERS, "page"] if kept.get(k)})
    target = reverse("notify:messages")
    return redirect(f"{target}?{query}" if query else target)
