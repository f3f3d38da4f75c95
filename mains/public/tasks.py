"""Huey jobs of the residents' pages."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from mains.public.ratelimit import purge_expired_counters


@db_periodic_task(crontab(minute="7"))
def purge_rate_counters() -> dict:
    """Each hour: the counters of windows that have ended are of no use any more."""
    return {"purged": purge_expired_counters()}
