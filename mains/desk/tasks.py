"""Huey jobs of the service desk."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from mains.desk.clock import run_sla_clock
from mains.desk.models import Heartbeat
from mains.desk.retention import do_expire_attachments


@db_periodic_task(crontab(minute="*"))
def sla_clock_tick() -> dict:
    result = run_sla_clock()
    Heartbeat.objects.update_or_create(name="sla_clock", defaults={"at": timezone.now()})
    return {"warned": result.warned, "overdue": result.overdue, "escalated": result.escalated}


@db_periodic_task(crontab(hour="18", minute="40"))  # UTC: 02:40 in China, a quiet hour
def expire_attachments_each_night() -> dict:
    result = do_expire_attachments()
    return {"orders": len(result.orders), "files": result.files, "failed": result.failed}
