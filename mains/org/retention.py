"""How long the access log is kept: `ACCESS_LOG_RETENTION_DAYS` (three years by default).

The Cybersecurity Law (art. 21) asks that network logs be kept at least six months, so
nothing younger than `MINIMUM_DAYS` is ever deleted, whatever the setting; 0 keeps the log
forever. The nightly job `expire_access_log_each_night` and `mains expire_access_log` call
`expire_access_log`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from mains.org.models import AccessLog

MINIMUM_DAYS = 180
DEFAULT_DAYS = 1095
_BATCH = 5000  # rows per DELETE: a first run over years of entries does not lock the table


@dataclass
class Expiry:
    days: int
    before: datetime | None  # entries older than this go; None: kept forever
    deleted: int


def retention_days() -> int:
    return int(getattr(settings, "ACCESS_LOG_RETENTION_DAYS", DEFAULT_DAYS))


def expire_access_log(
    days: int | None = None, now: datetime | None = None, dry_run: bool = False
) -> Expiry:
    """Delete the access log entries older than `days` (the setting by default)."""
    days = retention_days() if days is None else days
    if days == 0:
        return Expiry(days=0, before=None, deleted=0)
    if days < MINIMUM_DAYS:
        raise ImproperlyConfigured(
            f"The access log is kept at least {MINIMUM_DAYS} days (Cybersecurity Law), not {days}."
        )
    before = (now or timezone.now()) - timedelta(days=days)
    old = AccessLog.objects.filter(at__lt=before)
    if dry_run:
        return Expiry(days=days, before=before, deleted=old.count())
    deleted = 0
    while pks := list(old.order_by("pk").values_list("pk", flat=True)[:_BATCH]):
        deleted += AccessLog.objects.filter(pk__in=pks).delete()[0]
    return Expiry(days=days, before=before, deleted=deleted)
