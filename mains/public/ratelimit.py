"""Fixed-window counters in Django's cache: at most `limit` hits per key and window.

The windows are aligned on the clock (an hourly limit restarts on the hour), so a
counter is one cache key with a timeout; with Redis every process shares it. Keys hold
a hash of what is counted, never a phone number or an address in clear.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

HOUR = 60 * 60
DAY = 24 * HOUR


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
        return int(cache.get(self._key(ident), 0))

    def exceeded(self, ident: str) -> bool:
        """True when `ident` has used up this window (the limit 0 refuses everything)."""
        return self.used(ident) >= self.limit

    def record(self, ident: str) -> int:
        """Count one hit; returns the count in the current window."""
        key = self._key(ident)
        # add() is a no-op when the key exists, so the window's timeout is set only once.
        cache.add(key, 0, timeout=self.window_seconds + 60)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=self.window_seconds + 60)
            return 1

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


def failed_lookups_per_number() -> Limit:
    return Limit("track-number", settings.PUBLIC_FAILED_LOOKUPS_PER_DAY_PER_NUMBER, DAY)


def client_ip(request: HttpRequest) -> str:
    """The address of the visitor: REMOTE_ADDR, or what a trusted proxy appended."""
    if settings.PUBLIC_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
