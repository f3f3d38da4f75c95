"""The outage actions: announce, change, attach, end, cancel, and their rules."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mains.notify.events import Event
from mains.notify.models import Message
from mains.outages.actions import (
    do_attach_caller,
    do_cancel_outage,
    do_change_outage,
    do_end_outage,
)
from mains.outages.errors import OutageConflict, OutageError
from mains.outages.models import Outage, OutageCaller, OutageEvent
from mains.outages.queries import active_outages_for, upcoming_outages_for


def test_announcing_records_the_outage_and_its_history(city, new_outage):
    outage = new_outage(communities=[city.xingguang, city.jinxiu])
    assert outage.status == Outage.Status.ANNOUNCED
    assert outage.phase == Outage.Status.ACTIVE  # it started an hour ago
    assert set(outage.communities.all()) == {city.xingguang, city.jinxiu}
    assert outage.created_by == city.dispatcher
    assert list(outage.events.values_list("kind", flat=True)) == [OutageEvent.Kind.ANNOUNCED]


def test_announcing_posts_once_to_the_wecom_group_naming_each_unit_concerned(
    city, new_outage, outage_templates
):
    # Every unit's post would go to the one NOTIFY_WECOM_WEBHOOK_URL: two units, one post.
    outage = new_outage(communities=[city.xingguang, city.jinxiu])
    posted = Message.objects.filter(event=Event.OUTAGE_ANNOUNCED, related=f"outage:{outage.pk}")
    assert posted.count() == 1
    assert posted.get().channel == "wecom", "residents are not messaged"
    assert posted.get().recipient == "、".join(sorted([city.east.name, city.west.name]))
    assert not posted.exclude(channel="wecom").exists(), "residents are not messaged"


def test_it_refuses_a_restoration_before_the_start(city, new_outage):
    now = timezone.now()
    with pytest.raises(OutageError):
        new_outage(starts_at=now, ends_at=now - timedelta(minutes=1))
    assert not Outage.objects.exists()


def test_it_refuses_an_outage_of_no_community(city, new_outage):
    with pytest.raises(OutageError):
        new_outage(communities=[])
    assert not Outage.objects.exists()


def test_an_outage_not_started_yet_is_upcoming_not_active(city, new_outage):
    now = timezone.now()
    outage = new_outage(starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=2, hours=4))
    assert active_outages_for(city.xingguang) == []
    assert upcoming_outages_for(city.xingguang) == [outage]
    assert upcoming_outages_for(city.xingguang, days=1) == []
    assert upcoming_outages_for(city.jinxiu) == []
    assert active_outages_for(city.xingguang, at=now + timedelta(days=2, hours=1)) == [outage]


def test_an_ended_outage_is_neither_active_nor_upcoming(city, new_outage):
    outage = new_outage()
    assert active_outages_for(city.xingguang) == [outage]
    do_end_outage(outage, by=city.dispatcher)
    assert active_outages_for(city.xingguang) == []
    assert upcoming_outages_for(city.xingguang) == []


def test_attaching_a_caller_twice_keeps_one_row(city, new_outage):
    outage = new_outage()
    do_attach_caller(outage, "张三", "138 1234 1234", city.agent)
    caller = do_attach_caller(outage, "张三丰", "13812341234", city.agent)
    assert OutageCaller.objects.filter(outage=outage).count() == 1
    caller.refresh_from_db()
    assert caller.name == "张三丰"
    assert caller.phone == "13812341234"
    assert caller.attached_by == city.agent


def test_it_refuses_to_attach_a_caller_without_a_phone(city, new_outage):
    outage = new_outage()
    with pytest.raises(OutageError):
        do_attach_caller(outage, "张三", "", city.agent)
    with pytest.raises(OutageError):
        do_attach_caller(outage, "张三", "12", city.agent)
    assert not OutageCaller.objects.exists()


def test_ending_notifies_every_attached_caller(city, new_outage, outage_templates):
    outage = new_outage()
    do_attach_caller(outage, "张三", "13812341234", city.agent)
    do_attach_caller(outage, "李四", "13912345678", city.agent)
    do_end_outage(outage, by=city.dispatcher)
    outage.refresh_from_db()
    assert outage.status == Outage.Status.ENDED
    assert outage.ended_at is not None
    sent = Message.objects.filter(event=Event.OUTAGE_ENDED, related=f"outage:{outage.pk}")
    assert sorted(sent.values_list("recipient", flat=True)) == ["13812341234", "13912345678"]
    assert all("星光水晶城" in body for body in sent.values_list("body", flat=True))
    assert not OutageCaller.objects.filter(notified_at__isnull=True).exists()


def test_changing_the_window_notifies_the_attached_callers(city, new_outage, outage_templates):
    outage = new_outage()
    do_attach_caller(outage, "张三", "13812341234", city.agent)
    later = outage.ends_at + timedelta(hours=3)
    do_change_outage(
        outage,
        by=city.dispatcher,
        starts_at=outage.starts_at,
        ends_at=later,
        reason=outage.reason,
        communities=[city.xingguang],
    )
    outage.refresh_from_db()
    assert outage.ends_at == later
    assert outage.version == 2
    sent = Message.objects.get(event=Event.OUTAGE_CHANGED)
    assert sent.recipient == "13812341234"
    assert f"{timezone.localtime(later):%Y-%m-%d %H:%M}" in sent.body
    assert outage.events.filter(kind=OutageEvent.Kind.CHANGED).exists()


def test_adding_a_community_alone_does_not_message_the_callers(city, new_outage, outage_templates):
    outage = new_outage()
    do_attach_caller(outage, "张三", "13812341234", city.agent)
    do_change_outage(
        outage,
        by=city.dispatcher,
        starts_at=outage.starts_at,
        ends_at=outage.ends_at,
        reason=outage.reason,
        communities=[city.xingguang, city.jinxiu],
    )
    assert set(outage.communities.all()) == {city.xingguang, city.jinxiu}
    assert not Message.objects.filter(event=Event.OUTAGE_CHANGED).exists()


def test_a_change_from_a_stale_page_is_a_conflict(city, new_outage):
    outage = new_outage()
    stale_version = outage.version
    do_change_outage(
        outage,
        by=city.dispatcher,
        starts_at=outage.starts_at,
        ends_at=outage.ends_at + timedelta(hours=1),
        reason=outage.reason,
        communities=[city.xingguang],
    )
    with pytest.raises(OutageConflict):
        do_change_outage(
            outage,
            by=city.manager,
            starts_at=outage.starts_at,
            ends_at=outage.ends_at + timedelta(hours=2),
            reason=outage.reason,
            communities=[city.xingguang],
            version=stale_version,
        )


def test_an_ended_outage_can_be_neither_ended_again_nor_attached_to(city, new_outage):
    outage = new_outage()
    do_end_outage(outage, by=city.dispatcher)
    with pytest.raises(OutageError):
        do_end_outage(outage, by=city.dispatcher)
    with pytest.raises(OutageError):
        do_attach_caller(outage, "张三", "13812341234", city.agent)


def test_cancelling_tells_the_attached_callers(city, new_outage, outage_templates):
    now = timezone.now()
    outage = new_outage(
        kind="planned", starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=6)
    )
    do_attach_caller(outage, "张三", "13812341234", city.agent)
    do_cancel_outage(outage, by=city.dispatcher)
    outage.refresh_from_db()
    assert outage.status == Outage.Status.CANCELLED
    assert Message.objects.filter(event=Event.OUTAGE_ENDED, recipient="13812341234").exists()
