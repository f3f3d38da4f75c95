"""Send one test message through the configured backend of a channel, and say what came of it."""

from django.core.management.base import BaseCommand, CommandError

from mains.notify.backends import backend_for
from mains.notify.models import Channel, Message
from mains.notify.service import mobile_number


class Command(BaseCommand):
    help = "Send a test message on a channel (sms, email, wecom) now, without Huey."

    def add_arguments(self, parser):
        parser.add_argument("channel", choices=Channel.values)
        parser.add_argument("to", nargs="?", default="", help="phone or e-mail address")
        parser.add_argument("--text", default="这是一条测试消息。")

    def handle(self, channel, to, text, **options):
        if channel == Channel.SMS and not mobile_number(to):
            raise CommandError("Give a mobile number to send the test SMS to.")
        if channel == Channel.EMAIL and "@" not in to:
            raise CommandError("Give an e-mail address to send the test e-mail to.")
        recipient = mobile_number(to) if channel == Channel.SMS else (to or "wecom")
        backend = backend_for(channel)
        message = Message.objects.create(
            event="order_received",
            channel=channel,
            recipient=recipient,
            subject="测试消息" if channel == Channel.EMAIL else "",
            body=text,
            related="test",
            backend=backend.name,
            attempts=1,
        )
        try:
            backend.send(message)
        except Exception as exc:
            message.status, message.error = Message.Status.FAILED, str(exc)[:2000]
            message.save(update_fields=["status", "error"])
            raise CommandError(f"{backend.name}: {exc}") from exc
        message.status = Message.Status.SENT
        message.save(update_fields=["status"])
        self.stdout.write(f"Sent through {backend.name} to {recipient} (message {message.pk}).")
