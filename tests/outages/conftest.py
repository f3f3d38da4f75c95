from datetime import timedelta

import pytest
from django.utils import timezone

from mains.notify.events import Event
from mains.notify.models import Template
from mains.outages.actions import do_announce_outage


@pytest.fixture
def outage_templates(db):
    """SMS templates for the outage events (the notify app may ship its own)."""
    bodies = {
        Event.OUTAGE_CHANGED: "{{ communities }}停{{ utility }}至{{ ends_at }}",
        Event.OUTAGE_ENDED: "{{ communities }}已恢复{{ utility }}（{{ ended_at }}）",
    }
    for event, body in bodies.items():
        Template.objects.update_or_create(
            event=event, channel="sms", defaults={"body": body, "active": True}
        )
    Template.objects.get_or_create(
        event=Event.OUTAGE_ANNOUNCED, channel="wecom", defaults={"body": "{{ reason }}"}
    )


@pytest.fixture
def new_outage(city):
    """An outage of 星光水晶城, active since an hour ago unless told otherwise."""

    def make(**overrides):
        now = timezone.now()
        fields = dict(
            by=city.dispatcher,
            kind="emergency",
            utility="water",
            communities=[city.xingguang],
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=5),
            reason="东昌路主管道爆管抢修",
        )
        fields.update(overrides)
        return do_announce_outage(**fields)

    return make
