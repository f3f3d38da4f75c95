"""Huey jobs of the organisation: the access log's retention, forgetting old log-in records."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from mains.org.login_throttle import purge_login_records
from mains.org.retention import expire_access_log


@db_periodic_task(crontab(hour="19", minute="20"))  # UTC: 03:20 in China, a quiet hour
def expire_access_log_each_night() -> dict:
    expiry = expire_access_log()
    return {"days": expiry.days, "deleted": expiry.deleted}


@db_periodic_task(crontab(hour="19", minute="30"))  # UTC: 03:30 in China
def purge_old_login_records() -> dict:
    return purge_login_records()
