from django.utils import timezone
from huey.contrib.djhuey import db_task

from mains.notify.backends import backend_for
from mains.notify.models import Message

RETRIES = 3


@db_task(retries=RETRIES, retry_delay=60)
def deliver(message_id: int) -> None:
    """Send one logged message; a failure is recorded and retried by Huey."""
    message = Message.objects.filter(pk=message_id).first()
    if message is None or message.status == Message.Status.SENT:
        return
    backend = backend_for(message.channel)
    message.attempts += 1
    message.backend = backend.name
    try:
        backend.send(message)
    except Exception as exc:
        message.error = str(exc)[:2000]
        final = message.attempts > RETRIES
        message.status = Message.Status.FAILED if final else Message.Status.QUEUED
        message.save(update_fields=["attempts", "backend", "error", "status"])
        raise
    message.status = Message.Status.SENT
    message.sent_at = timezone.now()
    message.error = ""
    message.save(update_fields=["attempts", "backend", "error", "status", "sent_at"])
