import logging

from django.utils import timezone
from huey.contrib.djhuey import db_task

from mains.notify.backends import backend_for
from mains.notify.models import Message

log = logging.getLogger("mains.notify")

RETRIES = 3
RETRY_DELAY_SECONDS = 60


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY_SECONDS, context=True)
def deliver(message_id: int, task=None) -> None:
    """Send one logged message. A failure is recorded on the message and raised, so Huey
    retries it; when no retry is left the message is marked failed."""
    message = Message.objects.filter(pk=message_id).first()
    if message is None or message.status != Message.Status.QUEUED:
        return
    backend = backend_for(message.channel)
    message.attempts += 1
    message.backend = backend.name
    try:
        backend.send(message)
    except Exception as exc:
        message.error = f"{type(exc).__name__}: {exc}"[:2000]
        retries_left = task.retries if task is not None else 0
        if not retries_left:
            message.status = Message.Status.FAILED
        message.save(update_fields=["attempts", "backend", "error", "status"])
        log.warning("message %s via %s failed: %s", message.pk, backend.name, message.error)
        raise
    message.status = Message.Status.SENT
    message.sent_at = timezone.now()
    message.error = ""
    message.save(update_fields=["attempts", "backend", "error", "status", "sent_at"])
