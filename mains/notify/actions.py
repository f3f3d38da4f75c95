"""Writes on the message log that people make (delivery itself is mains.notify.tasks)."""

from django.db import transaction
from django.utils.translation import gettext as _

from mains.notify.models import Message
from mains.notify.service import enqueue


class RetryRefused(Exception):
    pass


def do_retry_message(message_id: int) -> Message:
    """Queue a failed message again; its delivery gets a fresh set of retries."""
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            raise RetryRefused(_("This message does not exist."))
        if message.status != Message.Status.FAILED:
            raise RetryRefused(_("Only failed messages can be sent again."))
        if message.error.startswith("template:"):
            raise RetryRefused(_("Fix the template first: this message could not be written."))
        message.status = Message.Status.QUEUED
        message.save(update_fields=["status"])
        transaction.on_commit(lambda: enqueue([message.pk]))
    return message
