"""Photos and files are not kept for ever: those of orders closed or cancelled more than
ATTACHMENT_RETENTION_DAYS ago are deleted each night (the job in tasks.py, or
`mains expire_attachments`), and the order's history says what went and why."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import ngettext, override

from mains.desk.models import Attachment, OrderEvent, WorkOrder
from mains.desk.states import Action, State

log = logging.getLogger(__name__)

FINISHED_STATES = (State.CLOSED, State.CANCELLED)


@dataclass
class Expiry:
    days: int
    cutoff: datetime | None
    dry_run: bool
    orders: dict[str, int] = field(default_factory=dict)  # order number → files deleted
    failed: int = 0  # files the storage would not delete (kept, tried again next night)

    @property
    def files(self) -> int:
        return sum(self.orders.values())


def expired_attachments(cutoff: datetime) -> QuerySet[Attachment]:
    return Attachment.objects.filter(
        order__state__in=FINISHED_STATES, order__closed_at__lt=cutoff
    ).select_related("order")


def do_expire_attachments(
    now: datetime | None = None, days: int | None = None, dry_run: bool = False
) -> Expiry:
    """Delete the photos and files of orders finished more than `days` ago (the setting by
    default; 0 keeps them). Files go first, then their rows with a history note in one
    transaction: a crash in between leaves rows without files, which the next run removes."""
    days = settings.ATTACHMENT_RETENTION_DAYS if days is None else days
    if days <= 0:
        return Expiry(days=days, cutoff=None, dry_run=dry_run)
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    result = Expiry(days=days, cutoff=cutoff, dry_run=dry_run)
    by_order: dict[int, list[Attachment]] = {}
    for attachment in expired_attachments(cutoff).order_by("order_id", "pk").iterator():
        by_order.setdefault(attachment.order_id, []).append(attachment)
    for attachments in by_order.values():
        order = attachments[0].order
        if dry_run:
            result.orders[order.number] = len(attachments)
            continue
        gone = [a for a in attachments if _delete_file(a)]
        result.failed += len(attachments) - len(gone)
        count = _forget(order, gone, days, now)
        if count:
            result.orders[order.number] = count
    return result


def _delete_file(attachment: Attachment) -> bool:
    stored = attachment.file.name
    if not stored:
        return True
    try:
        attachment.file.storage.delete(stored)  # a missing file is no error
    except OSError:
        log.exception("attachment %s: file %s not deleted", attachment.pk, stored)
        return False
    return True


def _forget(order: WorkOrder, attachments: list[Attachment], days: int, now: datetime) -> int:
    """Remove the rows (those another run has not removed meanwhile) and say so on the order."""
    with transaction.atomic():
        rows = list(
            Attachment.objects.select_for_update()
            .filter(pk__in=[a.pk for a in attachments])
            .order_by("pk")
            .values_list("pk", "name")
        )
        if not rows:
            return 0
        Attachment.objects.filter(pk__in=[pk for pk, _name in rows]).delete()
        names = [name for _pk, name in rows]
        # History notes are written in the installation's language, whoever runs the job.
        with override(settings.LANGUAGE_CODE):
            note = ngettext(
                "%(count)d photo or file deleted, kept %(days)d days after the order ended: "
                "%(names)s.",
                "%(count)d photos and files deleted, kept %(days)d days after the order ended: "
                "%(names)s.",
                len(rows),
            ) % {"count": len(rows), "days": days, "names": ", ".join(names)}
        OrderEvent.objects.create(
            order=order,
            at=now,
            actor=None,
            action=Action.FILES_EXPIRED,
            from_state=order.state,
            to_state=order.state,
            note=note,
            data={"names": names, "retention_days": days},
        )
    return len(rows)
