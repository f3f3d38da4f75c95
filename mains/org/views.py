from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.lib.xlsx import add_sheet, new_book, xlsx_response
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.models import AccessLog
from mains.org.pii import log_export
from mains.org.roles import Role


def _access_entries(request: AuthedRequest):
    entries = AccessLog.objects.select_related("user")
    who = request.GET.get("user", "").strip()
    if who:
        entries = entries.filter(user__username__icontains=who)
    subject = request.GET.get("subject", "").strip()
    if subject:
        entries = entries.filter(subject=subject)
    action = request.GET.get("action", "")
    if action in AccessLog.Action.values:
        entries = entries.filter(action=action)
    return entries


@role_required([Role.ADMIN])
def access_log(request: AuthedRequest) -> HttpResponse:
    page = Paginator(_access_entries(request), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "org/access_log.html",
        {"page": page, "actions": AccessLog.Action.choices, "filters": request.GET},
    )


@role_required([Role.ADMIN])
def access_log_export(request: AuthedRequest) -> HttpResponse:
    entries = list(_access_entries(request)[:100_000])
    log_export(request, "access_log", "all", _("Access log export"))
    book = new_book()
    add_sheet(
        book,
        _("Access log"),
        [
            _("Time"),
            _("User"),
            _("Action"),
            _("Subject"),
            _("Fields"),
            _("Reason"),
            _("IP"),
            _("Purpose"),
        ],
        (
            [
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                e.user.username,
                e.get_action_display(),
                e.subject,
                e.fields,
                e.reason,
                e.ip or "",
                e.get_purpose_display(),
            ]
            for e in entries
        ),
    )
    return xlsx_response(book, f"access-log-{timezone.localdate():%Y%m%d}.xlsx")
