"""Huey jobs of the organisation: forgetting old log-in records."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from mains.org.login_throttle import purge_login_records


@db_periodic_task(crontab(hour="19", minute="20"))  # UTC: 03:20 in China
def purge_old_login_records() -> dict:
    return purge_login_records()
