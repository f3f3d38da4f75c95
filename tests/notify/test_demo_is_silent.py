"""Building the demo city writes rows directly and tells nobody anything."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from mains.demo.build import build_city
from mains.notify.models import Message


def test_building_the_demo_city_sends_no_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        report = build_city(
            orders=300,
            months=1,
            seed=3,
            now=datetime(2026, 9, 16, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
        )

    assert report.clock.warned + report.clock.overdue > 0  # the clock did turn orders
    assert Message.objects.count() == 0
    assert callbacks == []
