"""Log-in throttling with django-axes: a user name and an address are locked apart.

Every password log-in (the log-in page, the admin's, anything that calls Django's
`authenticate` with a request) is counted in axes' tables, which every process shares.
A user name is locked after LOGIN_FAILURE_LIMIT failures within LOGIN_COOLOFF_MINUTES,
an address after LOGIN_FAILURE_LIMIT_PER_IP (higher: a hotline room shares one address),
each until the cool-off has passed since the failures that locked it. The address is
the one the residents' rate limits use (`client_ip`, trusting X-Forwarded-For only when
told to), so behind nginx the proxy itself is never locked.
"""

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mains.lib.client_address import client_ip

TOO_MANY = 429


def login_client_ip(request: HttpRequest) -> str | None:
    """`client_ip`, or None when it is not an address (axes stores it as one)."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _sum(attempts: QuerySet) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for the address.

    Axes compares the larger of its counts with one limit; the address's count is
    scaled so that it reaches LOGIN_FAILURE_LIMIT exactly when it reaches its own limit.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        by_user, by_ip = (_sum(q) for q in self.get_user_attempts(request, credentials))
        return max(by_user, by_ip * settings.AXES_FAILURE_LIMIT // ip_limit())


def ip_limit() -> int:
    return max(1, settings.LOGIN_FAILURE_LIMIT_PER_IP)


@dataclass(frozen=True)
class Lock:
    by_user: datetime | None  # when the user name's lock ends
    by_ip: datetime | None  # when the address's lock ends

    @property
    def ends(self) -> datetime:
        return max(moment for moment in (self.by_user, self.by_ip) if moment is not None)


def _lock_ends(attempts: QuerySet, limit: int, request: HttpRequest) -> datetime | None:
    """When the newest attempts that make up `limit` failures leave the cool-off window."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    since = timezone.now() - cool_off
    total = 0
    for at, failures in (
        attempts.filter(attempt_time__gte=since)
        .order_by("-attempt_time")
        .values_list("attempt_time", "failures_since_start")
    ):
        total += failures
        if total >= limit:
            return at + cool_off
    return None


def current_lock(request: HttpRequest, username: str | None) -> Lock:
    ip = getattr(request, "axes_ip_address", None) or login_client_ip(request)
    by_user = None
    if username:
        attempts = AccessAttempt.objects.filter(username=username)
        by_user = _lock_ends(attempts, settings.AXES_FAILURE_LIMIT, request)
    by_ip = _lock_ends(AccessAttempt.objects.filter(ip_address=ip), ip_limit(), request)
    return Lock(by_user=by_user, by_ip=by_ip)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page a locked log-in gets: what is locked, for how long, whom to ask."""
    username = get_client_username(request, credentials) or ""
    lock = current_lock(request, username)
    fallback = timezone.now() + (get_cool_off(request) or timedelta(0))
    ends = lock.ends if (lock.by_user or lock.by_ip) else fallback
    seconds = max(1, math.ceil((ends - timezone.now()).total_seconds()))
    response = render(
        request,
        "registration/locked_out.html",
        {
            "username": username,
            "by_user": lock.by_user is not None or lock.by_ip is None,
            "by_ip": lock.by_ip is not None,
            "minutes": math.ceil(seconds / 60),
            "until": ends,
            "help_contact": settings.LOGIN_HELP_CONTACT,
        },
        status=TOO_MANY,
    )
    response["Retry-After"] = str(seconds)
    return response


def purge_login_records() -> dict:
    """Forget log-ins older than LOGIN_LOG_RETENTION_DAYS (0 keeps them) and ended locks."""
    now = timezone.now()
    ended = AccessAttempt.objects.filter(attempt_time__lt=now - settings.AXES_COOLOFF_TIME)
    purged = {"attempts": ended.delete()[0]}
    if settings.LOGIN_LOG_RETENTION_DAYS > 0:
        before = now - timedelta(days=settings.LOGIN_LOG_RETENTION_DAYS)
        purged["log_ins"] = AccessLog.objects.filter(attempt_time__lt=before).delete()[0]
        purged["failures"] = AccessFailureLog.objects.filter(attempt_time__lt=before).delete()[0]
    return purged
