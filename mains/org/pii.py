"""Personal data of residents: masked by default, revealed with a reason, always logged."""

import time

from django.http import HttpRequest

from mains.lib.masking import mask_address, mask_name, mask_phone
from mains.org.http import AuthedRequest
from mains.org.models import AccessLog
from mains.org.roles import REVEAL_ROLES

MASKERS = {"name": mask_name, "phone": mask_phone, "address": mask_address}
REVEAL_SECONDS = 15 * 60
SESSION_KEY = "revealed"


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def is_revealed(request: HttpRequest, subject: str) -> bool:
    until = request.session.get(SESSION_KEY, {}).get(subject)
    return bool(until and until > time.time())


def show(
    request: HttpRequest, subject: str, kind: str, value: str, needs_it: bool, community=None
) -> str:
    """The value as this user may see it; `community`: the order's, for an address."""
    if needs_it or is_revealed(request, subject):
        return value
    if kind == "address":
        return mask_address(value, community)
    return MASKERS[kind](value)


def may_reveal(user) -> bool:
    return user.is_authenticated and user.role in REVEAL_ROLES


def do_reveal(request: AuthedRequest, subject: str, fields: str, reason: str) -> AccessLog:
    """Unmask `subject` for this session for a while and write it to the access log."""
    entry = AccessLog.objects.create(
        user=request.user,
        action=AccessLog.Action.REVEAL,
        subject=subject,
        fields=fields,
        reason=reason.strip()[: AccessLog._meta.get_field("reason").max_length],
        ip=_client_ip(request),
    )
    revealed = {
        key: until
        for key, until in request.session.get(SESSION_KEY, {}).items()
        if until > time.time()
    }
    revealed[subject] = time.time() + REVEAL_SECONDS
    request.session[SESSION_KEY] = revealed
    return entry


def log_export(request: AuthedRequest, subject: str, fields: str, reason: str) -> AccessLog:
    return AccessLog.objects.create(
        user=request.user,
        action=AccessLog.Action.EXPORT,
        subject=subject,
        fields=fields,
        reason=reason,
        ip=_client_ip(request),
    )
