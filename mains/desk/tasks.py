"""Huey jobs of the service desk."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from mains.desk.clock import run_sla_clock
from mains.desk.models import Heartbeat


@db_periodic_task(crontab(minute="*"))
def sla_clock_tick() -> dict:
    result = run_sla_clock()
    Heartbeat.objects.update_or_create(name="sla_clock", defaults={"at": timezone.now()})
    return {"warned": result.warned, "overdue": result.overdue, "escalated": result.escalated}
