"""Huey jobs of the service desk."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from mains.desk.clock import run_sla_clock
from mains.desk.models import Heartbeat
from mains.desk.retention import do_expire_attachments
from mains.desk.rollup import refresh


@db_periodic_task(crontab(minute="*"))
def sla_clock_tick() -> dict:
    result = run_sla_clock()
    Heartbeat.objects.update_or_create(name="sla_clock", defaults={"at": timezone.now()})
    return {"warned": result.warned, "overdue": result.overdue, "escalated": result.escalated}


@db_periodic_task(crontab(hour="18", minute="40"))  # UTC: 02:40 in China, a quiet hour
def expire_attachments_each_night() -> dict:
    result = do_expire_attachments()
    return {"orders": len(result.orders), "files": result.files, "failed": result.failed}


@db_periodic_task(crontab(minute="*/5"))
def kpi_rollup_refresh() -> dict:
    """Recount the days before today whose orders changed (mains.desk.rollup)."""
    return {"days": refresh()}


@db_periodic_task(crontab(hour="16", minute="20"))  # UTC: 00:20 in China, yesterday is done
def kpi_rollup_each_night() -> dict:
    """Also count the days that have orders but were never counted (bulk loads)."""
    return {"days": refresh(everything=True)}
