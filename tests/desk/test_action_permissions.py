"""Every write checks its own permission, whoever calls it (a page, the API, a job)."""

import pytest

from mains.desk import actions
from mains.desk.errors import NotAllowed
from mains.desk.models import WorkOrder

OUTSIDE_INTAKE = ["sam", "unit_manager", "supervisor", "inspector", "engineer", "manager"]


@pytest.mark.parametrize("who", OUTSIDE_INTAKE)
def test_a_role_that_takes_no_calls_cannot_create_an_order(city, who):
    with pytest.raises(NotAllowed):
        actions.do_create_order(
            by=getattr(city, who),
            channel="hotline",
            category=city.leak,
            description="楼道水表漏水",
            community=city.xingguang,
        )
    assert not WorkOrder.objects.exists()


@pytest.mark.parametrize("who", OUTSIDE_INTAKE)
def test_a_role_that_takes_no_calls_cannot_answer_one_directly(city, who):
    with pytest.raises(NotAllowed):
        actions.do_answer_directly(
            by=getattr(city, who),
            category=city.complaint,
            description="问水费",
            answer="已答复",
            community=city.xingguang,
        )
    assert not WorkOrder.objects.exists()


@pytest.mark.parametrize("who", ["agent", "dispatcher", "admin"])
def test_the_intake_roles_create_and_answer(city, who):
    user = getattr(city, who)
    actions.do_create_order(
        by=user, channel="hotline", category=city.leak, description="漏水", community=city.jinxiu
    )
    actions.do_answer_directly(
        by=user, category=city.complaint, description="问", answer="答", community=city.jinxiu
    )
    assert WorkOrder.objects.filter(created_by=user).count() == 2


def test_the_system_itself_creates_orders_for_residents_reports_and_alarms(city):
    order = actions.do_create_order(
        by=None, channel="web", category=city.leak, description="漏水", community=city.jinxiu
    )
    assert order.created_by is None
