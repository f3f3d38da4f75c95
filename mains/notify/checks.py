"""System checks: a notification backend that cannot work is refused at start-up."""

from django.conf import settings
from django.core.checks import Error, register

from mains.notify.backends import BACKENDS

_NEEDS = {
    "smtp": ("NOTIFY_SMTP_HOST",),
    "sms_http": ("NOTIFY_SMS_URL", "NOTIFY_SMS_TOKEN"),
    "wecom_webhook": ("NOTIFY_WECOM_WEBHOOK_URL",),
}


@register()
def check_notify_backends(app_configs, **kwargs) -> list[Error]:

    errors = []
    for channel, name in settings.NOTIFY_BACKENDS.items():
        backend = BACKENDS.get(name)
        if backend is None:
            errors.append(
                Error(
                    f"NOTIFY_{channel.upper()}_BACKEND is {name!r}; "
                    f"choose one of {', '.join(sorted(BACKENDS))}.",
                    id="notify.E001",
                )
            )
            continue
        if channel not in backend.channels:
            errors.append(
                Error(
                    f"The {name!r} backend cannot deliver {channel} messages.",
                    id="notify.E002",
                )
            )
        for setting in _NEEDS.get(name, ()):
            if not getattr(settings, setting, ""):
                errors.append(
                    Error(f"{setting} must be set for the {name!r} backend.", id="notify.E003")
                )
    return errors
