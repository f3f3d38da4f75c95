"""Retention: the day partitions older than ``TELEMETRY_RETENTION_DAYS`` days are removed.

A query sees a removed day whole or not at all: the day's folder is renamed away under the
readers' exclusive lock, then deleted. Runs under the upkeep lock (``upkeep``).
"""

import shutil
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from mains.telemetry.store.days import day_folder, readers_lock, stored_days, telemetry_dir
from mains.telemetry.store.upkeep import today_utc, upkeep_lock


def retention_days() -> int:
    days = settings.TELEMETRY_RETENTION_DAYS
    if days < 0:
        raise ImproperlyConfigured("TELEMETRY_RETENTION_DAYS must be 0 (keep) or more")
    return days


def expired_days(keep_days: int | None = None) -> list[date]:
    """Days older than the retention (none when it is 0: kept forever)."""
    keep = retention_days() if keep_days is None else keep_days
    if keep == 0:
        return []
    oldest_kept = today_utc() - timedelta(days=keep)
    return [d for d in stored_days() if d < oldest_kept]


def drop_days(days: list[date], progress=None) -> list[date]:
    """Remove these day partitions; a query sees a day whole or not at all."""
    dropped = []
    with upkeep_lock():
        for day in progress(days) if progress else days:
            folder = day_folder(day)
            if not folder.is_dir():
                continue
            trash = telemetry_dir() / f".dropped-{day.isoformat()}-{uuid.uuid4().hex}"
            with readers_lock(exclusive=True):
                folder.rename(trash)
            shutil.rmtree(trash)
            dropped.append(day)
    return dropped


def apply_retention(keep_days: int | None = None) -> list[date]:
    """Remove the days older than the retention; the days removed."""
    return drop_days(expired_days(keep_days))
