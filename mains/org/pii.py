"""Personal data of residents: masked by default, revealed with a reason, always logged.

`show` is the one gate: it answers the value as this user may see it and notes every
unmasked answer for the access log (see `mains.org.access_log`), with the purpose the page
gave (`needed`) or the reason typed when the subject was revealed (`do_reveal`).
"""

import time
from collections.abc import Callable, Iterable

from django.http import HttpRequest

from mains.lib.masking import mask_address, mask_name, mask_phone
from mains.org.access_log import client_ip, note_view
from mains.org.http import AuthedRequest
from mains.org.models import AccessLog
from mains.org.roles import REVEAL_ROLES

Purpose = AccessLog.Purpose
MASKERS = {"name": mask_name, "phone": mask_phone, "address": mask_address}
REVEAL_SECONDS = 15 * 60
SESSION_KEY = "revealed"

# Where each kind of subject keeps its personal data: subject prefix, and kind → field.
PERSONAL_FIELDS: dict[str, tuple[str, dict[str, str]]] = {
    "desk.workorder": (
        "order",
        {"name": "caller_name", "phone": "caller_phone", "address": "address"},
    ),
    "care.resident": ("resident", {"name": "name", "phone": "phone", "address": "address"}),
}


def subject_of(obj) -> str:
    """ "order:12", "resident:4": how the access log names the person behind `obj`."""
    prefix = PERSONAL_FIELDS[obj._meta.label_lower][0]
    return f"{prefix}:{obj.pk}"


def personal_value(obj, kind: str) -> str:
    return getattr(obj, PERSONAL_FIELDS[obj._meta.label_lower][1][kind]) or ""


def needed(objects: Iterable, purpose: str) -> dict[str, str]:
    """The page shows these objects' personal data unmasked, for `purpose`: its `sees_pii_of`."""
    return {subject_of(obj): purpose for obj in objects}


def _client_ip(request: HttpRequest) -> str | None:
    return client_ip(request)


def _live_reveals(request: HttpRequest) -> dict[str, list]:
    """subject → [until, reason] of this session's reveals that have not lapsed."""
    now = time.time()
    found: dict[str, list] = {}
    for subject, kept in request.session.get(SESSION_KEY, {}).items():
        until, reason = (kept, "") if isinstance(kept, int | float) else kept
        if until > now:
            found[subject] = [until, reason]
    return found


def revealed_reason(request: HttpRequest, subject: str) -> str | None:
    """The reason this session revealed `subject` for, or None if it is not revealed now."""
    if not hasattr(request, "session"):
        return None
    kept = _live_reveals(request).get(subject)
    return kept[1] if kept else None


def is_revealed(request: HttpRequest, subject: str) -> bool:
    return revealed_reason(request, subject) is not None


def show(
    request: HttpRequest,
    subject: str,
    kind: str,
    value: str,
    purpose: str | None = None,
    revealed_purpose: str = Purpose.REVEALED,
    mask: Callable[[str], str] | None = None,
    community=None,
) -> str:
    """The value as this user may see it: unmasked (and logged) if the page needs it for
    `purpose` or this session revealed the subject, masked (by `mask` or the kind's masker;
    an address keeps exactly `community`, the order's, when given) otherwise."""
    if not value:
        return ""
    if purpose:
        note_view(request.user, subject, [kind], purpose)  # type: ignore[arg-type]
        return value
    reason = revealed_reason(request, subject)
    if reason is not None:
        note_view(request.user, subject, [kind], revealed_purpose, reason)  # type: ignore[arg-type]
        return value
    if mask is None and kind == "address":
        return mask_address(value, community)
    return (mask or MASKERS[kind])(value)


def may_reveal(user) -> bool:
    return user.is_authenticated and user.role in REVEAL_ROLES


def do_reveal(
    request: AuthedRequest,
    subject: str,
    fields: str,
    reason: str,
    purpose: str = Purpose.REVEALED,
) -> AccessLog:
    """Unmask `subject` for this session for a while and write it to the access log."""
    reason = reason.strip()[: AccessLog._meta.get_field("reason").max_length]
    entry = AccessLog.objects.create(
        user=request.user,
        action=AccessLog.Action.REVEAL,
        subject=subject,
        fields=fields,
        purpose=purpose,
        reason=reason,
        ip=_client_ip(request),
    )
    revealed = _live_reveals(request)
    revealed[subject] = [time.time() + REVEAL_SECONDS, reason]
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
