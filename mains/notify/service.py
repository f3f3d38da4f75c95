"""The one way to tell someone something: `notify(event, recipients, context)`.

It renders the event's template for each channel the recipient can be reached on, logs
each message as queued, and queues its delivery (a Huey job with retries) once the
surrounding transaction commits: a rolled-back transaction sends nothing. Pages and
actions never talk to a backend themselves.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template import Context, TemplateSyntaxError
from django.template import Template as DjangoTemplate

from mains.notify import tasks
from mains.notify.models import Channel, Message, Template

_muted: ContextVar[bool] = ContextVar("notify_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Inside this block notify() makes and sends nothing (the demo city, bulk imports)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


@dataclass(frozen=True)
class Recipient:
    name: str = ""
    phone: str = ""
    email: str = ""
    wecom: bool = False  # the unit's WeCom group


_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")


def mobile_number(phone: str) -> str:
    """The 11-digit mobile number in `phone`, or "" for landlines and junk (no SMS there)."""
    match = _MOBILE.fullmatch(re.sub(r"[\s\-()]", "", phone or ""))
    return match.group(1) if match else ""


def _addresses(recipient: Recipient) -> list[tuple[str, str]]:
    found = []
    if mobile_number(recipient.phone):
        found.append((Channel.SMS.value, mobile_number(recipient.phone)))
    if recipient.email:
        found.append((Channel.EMAIL.value, recipient.email.strip()))
    if recipient.wecom:
        found.append((Channel.WECOM.value, recipient.name or "wecom"))
    return found


def _site() -> dict:
    return {"hotline": settings.HOTLINE_NUMBER, "site_name": settings.SITE_NAME}


def render(text: str, context: dict) -> str:
    return DjangoTemplate(text).render(Context(context, autoescape=False)).strip()


def _message(event: str, channel: str, address: str, template: Template, values: dict) -> Message:
    message = Message(event=event, channel=channel, recipient=address[:200])
    try:
        message.subject = render(template.subject, values)[:200]
        message.body = render(template.body, values)
    except TemplateSyntaxError as exc:
        # An administrator broke the template: log the message as failed, never the caller.
        message.status = Message.Status.FAILED
        message.body = template.body
        message.error = f"template: {exc}"[:2000]
    return message


def notify(
    event: str, recipients: list[Recipient], context: dict, related: str = ""
) -> list[Message]:
    if _muted.get():
        return []
    templates = {t.channel: t for t in Template.objects.filter(event=event, active=True)}
    if not templates:
        return []
    messages = []
    seen: set[tuple[str, str]] = set()
    for recipient in recipients:
        for channel, address in _addresses(recipient):
            template = templates.get(channel)
            if template is None or (channel, address) in seen:
                continue
            seen.add((channel, address))
            values = {**_site(), **context, "recipient_name": recipient.name}
            message = _message(event, channel, address, template, values)
            message.related = related[:100]
            messages.append(message)
    if not messages:
        return []
    created = Message.objects.bulk_create(messages)
    # SQLite ≥ 3.35 and PostgreSQL return the new keys.
    ids = [m.pk for m in created if m.status == Message.Status.QUEUED]
    if ids:
        # robust: the order is committed already; a queue that fails must not turn its
        # answer into an error (the message stays queued and is logged).
        transaction.on_commit(lambda: enqueue(ids), robust=True)
    return created


def enqueue(ids: list[int]) -> None:
    for pk in ids:
        tasks.deliver(pk)
