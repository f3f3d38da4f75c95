"""System checks of the access log: kept long enough, and written once per request."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from mains.org.access_log import MIDDLEWARE_PATH
from mains.org.retention import MINIMUM_DAYS, retention_days


@register()
def access_log_retention(app_configs, **kwargs) -> list:
    days = retention_days()
    if days == 0 or days >= MINIMUM_DAYS:
        return []
    return [
        Error(
            f"ACCESS_LOG_RETENTION_DAYS is {days}: the Cybersecurity Law asks that logs be kept "
            f"at least six months.",
            hint=f"Set it to {MINIMUM_DAYS} or more (1095, three years, by default), or 0 to "
            "keep the log forever. Entries younger than that are never deleted.",
            id="org.E001",
        )
    ]


@register()
def access_log_middleware(app_configs, **kwargs) -> list:
    if MIDDLEWARE_PATH in settings.MIDDLEWARE:
        return []
    return [
        Warning(
            f"{MIDDLEWARE_PATH} is not in MIDDLEWARE: unmasked views of personal data are "
            "then written to the access log one query each.",
            hint="Add it after AuthenticationMiddleware.",
            id="org.W001",
        )
    ]
