"""Delivery backends. Each takes a Message and raises on failure."""

import logging
from pathlib import Path

from django.conf import settings

from mains.notify.models import Message

log = logging.getLogger("mains.notify")


class ConsoleBackend:
    name = "console"

    def send(self, message: Message) -> None:
        print(f"[{message.channel}] → {message.recipient}: {message.subject} {message.body}")


class FileBackend:
    name = "file"

    def send(self, message: Message) -> None:
        folder = Path(settings.NOTIFY_FILE_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / f"{message.channel}.log", "a", encoding="utf-8") as out:
            out.write(f"{message.pk}\t{message.recipient}\t{message.subject}\t{message.body}\n")


BACKENDS = {"console": ConsoleBackend, "file": FileBackend}


def backend_for(channel: str):
    name = settings.NOTIFY_BACKENDS.get(channel, "file")
    return BACKENDS[name]()
