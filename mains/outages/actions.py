"""Every write on an outage: one function each, used by the pages (and the API).

Each owns its transaction, refuses a change to an outage someone else changed meanwhile
(status and version in the same UPDATE), writes a history row and tells the people
concerned through mains.notify once the transaction commits.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.areas.models import Community
from mains.lib.masking import mask_name, mask_phone
from mains.lib.phones import is_valid_phone, normalise_phone
from mains.lib.text import clean_line
from mains.notify.events import Event
from mains.notify.service import Recipient, notify
from mains.org.models import Unit, User
from mains.org.permissions import require_role
from mains.org.roles import OUTAGE_ATTACH_ROLES, OUTAGE_MANAGE_ROLES
from mains.outages.errors import OutageConflict, OutageError
from mains.outages.models import Outage, OutageCaller, OutageEvent
from mains.outages.rules import check_window


def _local(at: datetime | None) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}" if at else ""


def notice_context(outage: Outage) -> dict:
    """What the message templates of the three outage events can use."""
    return {
        "outage_id": outage.pk,
        "kind": outage.get_kind_display(),
        "utility": outage.get_utility_display(),
        "reason": outage.reason,
        "communities": "、".join(c.name for c in outage.communities.all()),
        "starts_at": _local(outage.starts_at),
        "ends_at": _local(outage.ends_at),
        "ended_at": _local(outage.ended_at),
        "status": outage.get_status_display(),
    }


def _notify_callers(outage: Outage, event: str) -> None:
    callers = list(outage.callers.all())
    if not callers:
        return
    notify(
        event,
        [Recipient(name=c.name, phone=c.phone) for c in callers],
        notice_context(outage),
        related=f"outage:{outage.pk}",
    )
    OutageCaller.objects.filter(pk__in=[c.pk for c in callers]).update(notified_at=timezone.now())


def _write(outage: Outage, version: int | None, **fields) -> None:
    """Update the row only if it is still open and at the version the user saw."""
    expected = outage.version if version is None else version
    fields["changed_at"] = timezone.now()
    updated = Outage.objects.filter(
        pk=outage.pk, version=expected, status=Outage.Status.ANNOUNCED
    ).update(version=F("version") + 1, **fields)
    if not updated:
        current = Outage.objects.filter(pk=outage.pk).values_list("status", flat=True).first()
        if current is not None and current != Outage.Status.ANNOUNCED:
            raise OutageError(_("This outage is over: it can no longer be changed."))
        raise OutageConflict()
    outage.refresh_from_db()


def do_announce_outage(
    *,
    by: User | None,
    kind: str,
    utility: str,
    communities: Iterable[Community],
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
) -> Outage:
    """Record the outage and post it once to the WeCom group, naming the units concerned.

    Residents are not messaged here; they see it on their community's page. A short
    notice is the form's warning (mains.outages.rules.short_notice_warning), not a refusal.
    """
    require_role(by, OUTAGE_MANAGE_ROLES)
    communities = list(communities)
    check_window(starts_at, ends_at, communities)
    with transaction.atomic():
        outage = Outage.objects.create(
            kind=kind,
            utility=utility,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason.strip(),
            created_by=by,
        )
        outage.communities.set(communities)
        OutageEvent.objects.create(outage=outage, kind=OutageEvent.Kind.ANNOUNCED, by=by)
        units = Unit.objects.filter(grids__communities__in=communities).distinct()
        # All units share the one WeCom group robot (NOTIFY_WECOM_WEBHOOK_URL): one post
        # naming every unit concerned, not one identical post per unit.
        names = "、".join(sorted(units.values_list("name", flat=True)))
        notify(
            Event.OUTAGE_ANNOUNCED,
            [Recipient(name=names, wecom=True)] if names else [],
            notice_context(outage),
            related=f"outage:{outage.pk}",
        )
    return outage


def do_change_outage(
    outage: Outage,
    *,
    by: User | None,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    communities: Iterable[Community],
    version: int | None = None,
) -> Outage:
    """Change the window, reason or communities; attached callers hear of a new window or reason."""
    require_role(by, OUTAGE_MANAGE_ROLES)
    communities = list(communities)
    check_window(starts_at, ends_at, communities)
    reason = reason.strip()
    changes = []
    if starts_at != outage.starts_at or ends_at != outage.ends_at:
        changes.append(
            _("window %(old)s → %(new)s")
            % {
                "old": f"{_local(outage.starts_at)}–{_local(outage.ends_at)}",
                "new": f"{_local(starts_at)}–{_local(ends_at)}",
            }
        )
    if reason != outage.reason:
        changes.append(_("reason: %(reason)s") % {"reason": reason})
    tell_callers = bool(changes)
    old_ids = set(outage.communities.values_list("pk", flat=True))
    if old_ids != {c.pk for c in communities}:
        names = "、".join(c.name for c in communities)
        changes.append(_("communities: %(names)s") % {"names": names})
    if not changes:
        return outage
    with transaction.atomic():
        _write(outage, version, starts_at=starts_at, ends_at=ends_at, reason=reason)
        outage.communities.set(communities)
        OutageEvent.objects.create(
            outage=outage, kind=OutageEvent.Kind.CHANGED, by=by, note="; ".join(changes)
        )
        if tell_callers:
            _notify_callers(outage, Event.OUTAGE_CHANGED)
    return outage


def do_end_outage(
    outage: Outage, *, by: User | None, at: datetime | None = None, version: int | None = None
) -> Outage:
    """Service is back: mark the outage ended and tell everyone attached."""
    require_role(by, OUTAGE_MANAGE_ROLES)
    at = at or timezone.now()
    with transaction.atomic():
        _write(outage, version, status=Outage.Status.ENDED, ended_at=at)
        OutageEvent.objects.create(outage=outage, kind=OutageEvent.Kind.ENDED, by=by, at=at)
        _notify_callers(outage, Event.OUTAGE_ENDED)
    return outage


def do_cancel_outage(outage: Outage, *, by: User | None, version: int | None = None) -> Outage:
    """The outage will not happen after all; anyone attached is told it is over."""
    require_role(by, OUTAGE_MANAGE_ROLES)
    with transaction.atomic():
        _write(outage, version, status=Outage.Status.CANCELLED, ended_at=timezone.now())
        OutageEvent.objects.create(outage=outage, kind=OutageEvent.Kind.CANCELLED, by=by)
        _notify_callers(outage, Event.OUTAGE_ENDED)
    return outage


def do_attach_caller(
    outage: Outage, name: str, phone: str, by: User | None, order=None
) -> OutageCaller:
    """Attach a call to the outage instead of a new order; a number attached twice is one row."""
    require_role(by, OUTAGE_ATTACH_ROLES)
    number = normalise_phone(phone or "")
    if not number or not is_valid_phone(number):
        raise OutageError(
            _("Enter the caller's phone number so they can be told when service is back.")
        )
    if not outage.is_open:
        raise OutageError(_("This outage is over: calls can no longer be attached to it."))
    name = clean_line(name or "")[:50]
    with transaction.atomic():
        caller, created = OutageCaller.objects.get_or_create(
            outage=outage,
            phone=number,
            defaults={"name": name, "attached_by": by, "order": order},
        )
        if not created and name and name != caller.name:
            caller.name = name
            caller.save(update_fields=["name"])
        OutageEvent.objects.create(
            outage=outage,
            kind=OutageEvent.Kind.ATTACHED,
            by=by,
            note=f"{mask_name(name)} {mask_phone(number)}".strip(),
        )
    return caller
