"""Unmasking an order's caller data, with a reason the access log keeps."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mains.desk.access import orders_for
from mains.lib.text import clean_line
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.models import User
from mains.org.pii import do_reveal
from mains.org.roles import REVEAL_ROLES


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
    try:
        pk = int(subject.split(":", 1)[1])
    except ValueError:
        return False
    return orders_for(user).filter(pk=pk).exists()
