"""Huey jobs of the organisation: the access log's retention."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from mains.org.retention import expire_access_log


@db_periodic_task(crontab(hour="19", minute="20"))  # UTC: 03:20 in China, a quiet hour
def expire_access_log_each_night() -> dict:
    expiry = expire_access_log()
    return {"days": expiry.days, "deleted": expiry.deleted}
