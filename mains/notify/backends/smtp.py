"""E-mail through an SMTP server (Django's SMTP backend with mains' own settings)."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from mains.notify.backends.base import DeliveryError
from mains.notify.models import Message


class SmtpBackend:
    name = "smtp"
    channels = ("email",)

    def send(self, message: Message) -> None:
        connection = get_connection(
            "django.core.mail.backends.smtp.EmailBackend",
            host=settings.NOTIFY_SMTP_HOST,
            port=settings.NOTIFY_SMTP_PORT,
            username=settings.NOTIFY_SMTP_USER or None,
            password=settings.NOTIFY_SMTP_PASSWORD or None,
            use_tls=settings.NOTIFY_SMTP_USE_TLS,
            timeout=settings.NOTIFY_TIMEOUT_SECONDS,
            fail_silently=False,
        )
        email = EmailMessage(
            subject=message.subject or message.get_event_display(),
            body=message.body,
            from_email=settings.NOTIFY_SMTP_FROM,
            to=[message.recipient],
            connection=connection,
        )
        try:
            sent = email.send()
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP: {exc}") from exc
        if sent != 1:
            raise DeliveryError("SMTP: the server accepted no recipient")
