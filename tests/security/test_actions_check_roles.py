"""Every action checks its own permission, whoever calls it: a page, the API, a job."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mains.boards.actions import do_generate_boards
from mains.boards.models import Board
from mains.care.actions import do_register_resident
from mains.care.models import Resident
from mains.outages.actions import (
    do_announce_outage,
    do_attach_caller,
    do_cancel_outage,
    do_end_outage,
)
from mains.outages.models import Outage
from mains.supervision.actions import do_answer_observation, do_file_observation
from mains.supervision.models import Observation


def _outage(city, by):
    now = timezone.now()
    return do_announce_outage(
        by=by,
        kind="emergency",
        utility="water",
        communities=[city.xingguang],
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=5),
        reason="东昌路主管道爆管抢修",
    )


@pytest.mark.parametrize("who", ["agent", "sam", "unit_manager", "engineer", "supervisor"])
def test_only_those_who_run_outages_announce_end_and_cancel_them(city, who):
    user = getattr(city, who)
    with pytest.raises(PermissionDenied):
        _outage(city, user)
    assert not Outage.objects.exists()
    outage = _outage(city, city.dispatcher)
    with pytest.raises(PermissionDenied):
        do_end_outage(outage, by=user)
    with pytest.raises(PermissionDenied):
        do_cancel_outage(outage, by=user)
    outage.refresh_from_db()
    assert outage.status == Outage.Status.ANNOUNCED
    assert outage.ended_at is None


def test_only_those_who_take_calls_attach_a_caller_to_an_outage(city):
    outage = _outage(city, city.dispatcher)
    with pytest.raises(PermissionDenied):
        do_attach_caller(outage, "张三", "13812341234", city.sam)
    assert do_attach_caller(outage, "张三", "13812341234", city.agent).phone == "13812341234"


@pytest.mark.parametrize("who", ["sam", "unit_manager", "engineer", "supervisor", "inspector"])
def test_only_the_register_roles_register_a_special_group_resident(city, who):
    with pytest.raises(PermissionDenied):
        do_register_resident(
            getattr(city, who),
            consent_note="本人签字同意",
            name="王奶奶",
            phone="13600001111",
            address="3号楼1单元101",
            community=city.xingguang,
            group=Resident.Group.ELDERLY_ALONE,
            visit_every_days=30,
        )
    assert not Resident.objects.exists()


def test_observations_are_filed_by_supervisors_and_answered_by_the_answering_roles(city):
    with pytest.raises(PermissionDenied):
        do_file_observation(city.agent, "service", "窗口无人")
    observation = do_file_observation(city.supervisor, "service", "窗口无人")
    for user in (city.supervisor, city.sam, city.agent):
        with pytest.raises(PermissionDenied):
            do_answer_observation(observation, user, "已整改")
    do_answer_observation(observation, city.manager, "已整改")
    assert Observation.objects.get(pk=observation.pk).answered_by == city.manager


@pytest.mark.parametrize("who", ["agent", "sam", "engineer"])
def test_only_the_board_roles_generate_notice_boards(city, who):
    with pytest.raises(PermissionDenied):
        do_generate_boards([city.xingguang], by=getattr(city, who))
    assert not Board.objects.exists()


def test_only_the_watch_roles_acknowledge_an_alarm(city):
    from mains.telemetry.alarms.actions import do_acknowledge_alarm, do_raise_alarm
    from mains.telemetry.models import Alarm, Meter

    meter = Meter.objects.create(code="DMA-01", community=city.xingguang)
    alarm = do_raise_alarm(meter, Alarm.Kind.BURST, timezone.now(), {"excess_m3h": 30.0})
    assert alarm is not None
    with pytest.raises(PermissionDenied):
        do_acknowledge_alarm(alarm, city.agent)
    assert Alarm.objects.get(pk=alarm.pk).state == Alarm.State.OPEN
    assert do_acknowledge_alarm(alarm, city.engineer)
