"""The one way to tell someone something: `notify(event, recipients, context)`.

It renders the event's template for each channel the recipient can be reached on, logs
each message as queued, and queues its delivery (a Huey job with retries) once the
surrounding transaction commits. Pages and actions never talk to a backend themselves.
"""

from dataclasses import dataclass

from django.db import transaction
from django.template import Context
from django.template import Template as DjangoTemplate

from mains.notify.models import Channel, Message, Template


@dataclass(frozen=True)
class Recipient:
    name: str = ""
    phone: str = ""
    email: str = ""
    wecom: bool = False  # the unit's WeCom group


def _addresses(recipient: Recipient) -> list[tuple[str, str]]:
    found = []
    if recipient.phone:
        found.append((Channel.SMS.value, recipient.phone))
    if recipient.email:
        found.append((Channel.EMAIL.value, recipient.email))
    if recipient.wecom:
        found.append((Channel.WECOM.value, recipient.name or "wecom"))
    return found


def render(text: str, context: dict) -> str:
    return DjangoTemplate(text).render(Context(context, autoescape=False)).strip()


def notify(
    event: str, recipients: list[Recipient], context: dict, related: str = ""
) -> list[Message]:
    templates = {t.channel: t for t in Template.objects.filter(event=event, active=True)}
    messages = []
    for recipient in recipients:
        for channel, address in _addresses(recipient):
            template = templates.get(channel)
            if template is None:
                continue
            values = {**context, "recipient_name": recipient.name}
            messages.append(
                Message(
                    event=event,
                    channel=channel,
                    recipient=address,
                    subject=render(template.subject, values)[:200],
                    body=render(template.body, values),
                    related=related[:100],
                )
            )
    created = Message.objects.bulk_create(messages)
    ids = [m.pk for m in created]  # SQLite ≥ 3.35 and PostgreSQL return the new keys

    def enqueue() -> None:
        from mains.notify.tasks import deliver

        for pk in ids:
            deliver(pk)

    transaction.on_commit(enqueue)
    return created
