"""Delivery backends, one per channel as configured in settings.NOTIFY_BACKENDS.

Each backend has a `name` and `send(message)`, which raises DeliveryError (or any
exception) when the message did not go out; the delivery job records it and retries.
"""

from django.conf import settings

from mains.notify.backends.base import DeliveryError
from mains.notify.backends.gateways import SmsHttpBackend, WecomWebhookBackend
from mains.notify.backends.local import ConsoleBackend, FileBackend
from mains.notify.backends.smtp import SmtpBackend

BACKENDS = {
    backend.name: backend
    for backend in (ConsoleBackend, FileBackend, SmtpBackend, SmsHttpBackend, WecomWebhookBackend)
}

__all__ = ["BACKENDS", "DeliveryError", "backend_for"]


def backend_for(channel: str):
    name = settings.NOTIFY_BACKENDS.get(channel, "file")
    return BACKENDS[name]()
