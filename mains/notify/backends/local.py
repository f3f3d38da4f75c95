"""Backends that deliver nowhere but here: the console and a file per channel (default)."""

from pathlib import Path

from django.conf import settings

from mains.notify.models import Message


class ConsoleBackend:
    name = "console"
    channels = ("sms", "email", "wecom")

    def send(self, message: Message) -> None:
        print(f"[{message.channel}] → {message.recipient}: {message.subject} {message.body}")


class FileBackend:
    name = "file"
    channels = ("sms", "email", "wecom")

    def send(self, message: Message) -> None:
        folder = Path(settings.NOTIFY_FILE_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        body = message.body.replace("\n", " ⏎ ")
        with open(folder / f"{message.channel}.log", "a", encoding="utf-8") as out:
            out.write(f"{message.pk}\t{message.recipient}\t{message.subject}\t{body}\n")
