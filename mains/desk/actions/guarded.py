"""The one guarded UPDATE every action on an order goes through, and its attachments."""

from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.desk.access import may
from mains.desk.errors import NotAllowed, OrderConflict, TransitionRefused
from mains.desk.models import Attachment, OrderCounter, OrderEvent, WorkOrder
from mains.desk.rollup_models import touch
from mains.desk.states import Action, State, can
from mains.desk.transitions import Change
from mains.org.models import User


def next_number(at: datetime) -> str:
    """Order numbers read as the local date and a daily sequence: 2026112100042."""
    day = timezone.localdate(at)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                counter, _created = OrderCounter.objects.select_for_update().get_or_create(day=day)
                OrderCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
                counter.refresh_from_db(fields=["last"])
                return f"{day:%Y%m%d}{counter.last:05d}"
        except IntegrityError:
            continue
    raise OrderConflict()


def apply_change(
    order: WorkOrder,
    by: User | None,
    action: str,
    change: Change,
    *,
    extra: dict | None = None,
    note: str = "",
    guard_version: bool = True,
    now: datetime | None = None,
) -> OrderEvent:
    """Write `change` (and the caller's `extra` fields: who, counters as F()) if the user
    may, the state allows it and the row is as the user saw it; record the history entry."""
    if by is not None and not may(by, action, order):
        raise NotAllowed(_("You may not do that with this order."))
    if not can(action, order.state):
        raise TransitionRefused(
            _("“%(action)s” is not possible while the order is “%(state)s”.")
            % {"action": Action(action).label, "state": State(order.state).label}
        )
    now = now or timezone.now()
    fields = {**change.fields, **(extra or {})}
    new_state = change.to_state or order.state
    updates = dict(fields)
    if change.to_state:
        updates["state"] = change.to_state
    match = WorkOrder.objects.filter(pk=order.pk, state=order.state)
    if guard_version:
        match = match.filter(version=order.version)
        updates["version"] = F("version") + 1
    with transaction.atomic():
        if match.update(**updates) != 1:
            raise OrderConflict()
        touch(order.received_at)  # the KPI rollup recounts the order's day (mains.desk.rollup)
        counted = [name for name, value in fields.items() if hasattr(value, "resolve_expression")]
        if counted:
            # The row is locked by the UPDATE until the transaction ends: this reads our sum.
            order.refresh_from_db(fields=counted)
        event = OrderEvent.objects.create(
            order=order,
            at=now,
            actor=by,
            action=action,
            from_state=order.state,
            to_state=new_state,
            note=note,
            data=change.data,
        )
    for name, value in fields.items():
        if name not in counted:
            setattr(order, name, value)
    order.state = new_state
    if guard_version:
        order.version += 1
    return event


def attach_files(
    order: WorkOrder, event: OrderEvent | None, files: list[UploadedFile] | tuple, by: User | None
) -> None:
    for upload in files or ():
        Attachment.objects.create(
            order=order,
            event=event,
            file=upload,
            name=(upload.name or "")[:200],
            content_type=getattr(upload, "content_type", "") or "",
            uploaded_by=by,
        )
