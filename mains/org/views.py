from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mains.lib.text import clean_line
from mains.lib.xlsx import add_sheet, new_book, xlsx_response
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.models import AccessLog, Unit, User
from mains.org.pii import do_reveal, log_export
from mains.org.roles import REVEAL_ROLES, Role


@role_required([Role.ADMIN])
def admin_home(request: AuthedRequest) -> HttpResponse:
    from mains.areas.models import Community, Grid, Specialist
    from mains.desk.models import Category, WorkOrder

    counts = {
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "communities": Community.objects.count(),
        "grids": Grid.objects.count(),
        "specialists": Specialist.objects.count(),
        "categories": Category.objects.count(),
        "orders": WorkOrder.objects.count(),
    }
    return render(request, "org/admin_home.html", {"counts": counts, "tree": unit_tree()})


def unit_tree() -> list[tuple[Unit, int]]:
    """The organisation as (unit, depth) in display order: group, subsidiaries, teams."""
    children: dict[int | None, list[Unit]] = {}
    for unit in Unit.objects.order_by("name"):
        children.setdefault(unit.parent_id, []).append(unit)
    rows: list[tuple[Unit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            rows.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return rows


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


@role_required(REVEAL_ROLES)
@require_POST
def reveal(request: AuthedRequest) -> HttpResponse:
    """Unmask a resident's data for this session, with a reason that goes to the access log."""
    subject = request.POST.get("subject", "")
    reason = clean_line(request.POST.get("reason", ""))
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    if not subject.startswith("order:") or not _may_see_order(request.user, subject):
        raise PermissionDenied
    if len(reason) < 2:
        messages.error(request, _("Give a reason to show the personal data."))
        return redirect(target)
    do_reveal(request, subject, "name,phone,address", reason)
    return redirect(target)


def _may_see_order(user: User, subject: str) -> bool:
    from mains.desk.access import orders_for

    try:
        pk = int(subject.split(":", 1)[1])
    except ValueError:
        return False
    return orders_for(user).filter(pk=pk).exists()
