"""Fixed-window counters: at most `limit` hits per key and window, shared by every process.

The windows are aligned on the clock (an hourly limit restarts on the hour). Each hit is
counted by one atomic step of the store, so concurrent requests in several processes
(gunicorn workers) get exact counts: `RATE_LIMIT_STORE = "database"` (the default
without Redis) adds one in a single `INSERT … ON CONFLICT DO UPDATE … RETURNING` on a
small table; `"cache"` uses the cache's `incr`, atomic on Redis. Keys hold a hash of
what is counted, never a phone number or an address in clear.
"""

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from mains.public.models import RateCounter

HOUR = 60 * 60
DAY = 24 * HOUR
# Rows and cache keys outlive their window by this much, so a late reader still sees them.
GRACE_SECONDS = 60


class DatabaseCounters:
    """Counts in the RateCounter table: one statement adds one and says the new count."""

    def incr(self, key: str, expires_at: datetime) -> int:
        quote = connection.ops.quote_name
        table, key_col, hits_col, expires_col = (
            quote(name) for name in (RateCounter._meta.db_table, "key", "hits", "expires_at")
        )
        sql = (
            f"INSERT INTO {table} ({key_col}, {hits_col}, {expires_col}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({key_col}) DO UPDATE SET {hits_col} = {table}.{hits_col} + 1 "
            f"RETURNING {hits_col}"
        )
        value = RateCounter._meta.get_field("expires_at").get_db_prep_value(expires_at, connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, value])
            return int(cursor.fetchone()[0])

    def get(self, key: str) -> int:
        hits = RateCounter.objects.filter(key=key).values_list("hits", flat=True).first()
        return hits or 0


class CacheCounters:
    """Counts in Django's cache: exact when its incr is atomic and shared (Redis)."""

    def incr(self, key: str, expires_at: datetime) -> int:
        timeout = max(1, int((expires_at - timezone.now()).total_seconds()))
        # add() is a no-op when the key exists, so the window's timeout is set only once.
        cache.add(key, 0, timeout=timeout)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=timeout)
            return 1

    def get(self, key: str) -> int:
        return int(cache.get(key, 0))


STORES: dict[str, type[DatabaseCounters] | type[CacheCounters]] = {
    "database": DatabaseCounters,
    "cache": CacheCounters,
}


def store() -> DatabaseCounters | CacheCounters:
    return STORES[settings.RATE_LIMIT_STORE]()


def purge_expired_counters() -> int:
    """Drop the database's counters of windows that have ended; returns how many."""
    deleted, _ = RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window_seconds: int

    def _key(self, ident: str) -> str:
        window = int(time.time() // self.window_seconds)
        digest = hashlib.sha256(f"{self.scope}:{ident}".encode()).hexdigest()[:32]
        return f"ratelimit:{self.scope}:{window}:{digest}"

    def used(self, ident: str) -> int:
        return store().get(self._key(ident))

    def exceeded(self, ident: str) -> bool:
        """True when `ident` has used up this window (the limit 0 refuses everything)."""
        return self.used(ident) >= self.limit

    def record(self, ident: str) -> int:
        """Count one hit; returns the count in the current window."""
        expires_at = timezone.now() + timedelta(seconds=self.seconds_left() + GRACE_SECONDS)
        return store().incr(self._key(ident), expires_at)

    def seconds_left(self) -> int:
        """Until the current window ends and the counts start again."""
        return self.window_seconds - int(time.time() % self.window_seconds)

    def hit(self, ident: str) -> bool:
        """Count one hit and say whether it was within the limit."""
        return self.record(ident) <= self.limit


def reports_per_ip() -> Limit:
    return Limit("report-ip", settings.PUBLIC_REPORTS_PER_HOUR_PER_IP, HOUR)


def reports_per_phone() -> Limit:
    return Limit("report-phone", settings.PUBLIC_REPORTS_PER_DAY_PER_PHONE, DAY)


def lookups_per_ip() -> Limit:
    return Limit("track-ip", settings.PUBLIC_LOOKUPS_PER_HOUR_PER_IP, HOUR)


def failed_lookups_per_ip() -> Limit:
    return Limit("track-failed-ip", settings.PUBLIC_FAILED_LOOKUPS_PER_HOUR_PER_IP, HOUR)


def failed_lookups_per_session() -> Limit:
    return Limit("track-failed-session", settings.PUBLIC_FAILED_LOOKUPS_PER_HOUR_PER_SESSION, HOUR)


def failed_lookups_everywhere() -> Limit:
    """Not a lock: crossing it writes one warning to the log (someone may be guessing)."""
    return Limit("track-failed-all", settings.PUBLIC_FAILED_LOOKUPS_ALARM_PER_HOUR, HOUR)
