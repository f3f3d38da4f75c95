"""Huey jobs of the residents' pages."""

from importlib import import_module

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from mains.public.ratelimit import purge_expired_counters


@db_periodic_task(crontab(minute="7"))
def purge_rate_counters() -> dict:
    """Each hour: the counters of windows that have ended are of no use any more."""
    return {"purged": purge_expired_counters()}


@db_periodic_task(crontab(hour="19", minute="40"))  # UTC: 03:40 in China
def clear_expired_sessions() -> None:
    """Each night: residents' receipts and tracking sessions that have expired."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
