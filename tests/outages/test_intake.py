"""The intake screen shows a caller's outage and attaches the call instead of a new order."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mains.desk.models import WorkOrder
from mains.outages.models import OutageCaller

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def agent(client, city):
    client.force_login(city.agent)
    return client


def test_the_panel_shows_the_active_outage_of_the_picked_community(agent, city, new_outage):
    new_outage(reason="东昌路主管道爆管抢修")
    response = agent.get(reverse("outages:intake_panel"), {"community": city.xingguang.pk}, **EN)
    body = response.content.decode()
    assert "东昌路主管道爆管抢修" in body
    assert "Attach the call to this outage" in body


def test_the_panel_is_empty_for_a_community_without_outage(agent, city, new_outage):
    new_outage()
    response = agent.get(reverse("outages:intake_panel"), {"community": city.jinxiu.pk}, **EN)
    assert "Attach the call" not in response.content.decode()
    response = agent.get(reverse("outages:intake_panel"), {"community": "abc"}, **EN)
    assert response.status_code == 200


def test_the_panel_leaves_out_an_outage_that_has_not_started(agent, city, new_outage):
    now = timezone.now()
    new_outage(starts_at=now + timedelta(hours=5), ends_at=now + timedelta(hours=9))
    response = agent.get(reverse("outages:intake_panel"), {"community": city.xingguang.pk}, **EN)
    assert "Attach the call" not in response.content.decode()


def test_a_reloaded_intake_shows_the_outage_of_the_chosen_community(agent, city, new_outage):
    new_outage(reason="东昌路主管道爆管抢修")
    data = {"caller_phone": "13812341234", "community": city.xingguang.pk, "description": ""}
    response = agent.post(reverse("desk:intake"), data, **EN)
    assert response.status_code == 200  # the form is incomplete: it comes back
    assert "东昌路主管道爆管抢修" in response.content.decode()


def test_attaching_records_the_caller_and_creates_no_order(agent, city, new_outage):
    outage = new_outage()
    response = agent.post(
        reverse("outages:attach", args=[outage.pk]),
        {"caller_phone": "138 1234 1234", "caller_name": "王五"},
        **EN,
    )
    assert response.status_code == 200
    assert "is attached to this outage" in response.content.decode()
    caller = OutageCaller.objects.get()
    assert (caller.outage, caller.name, caller.phone) == (outage, "王五", "13812341234")
    assert caller.attached_by == city.agent
    assert not WorkOrder.objects.exists()


def test_attaching_without_a_phone_says_so_and_records_nothing(agent, city, new_outage):
    outage = new_outage()
    response = agent.post(
        reverse("outages:attach", args=[outage.pk]), {"caller_name": "王五"}, **EN
    )
    assert response.status_code == 200
    assert "phone number" in response.content.decode()
    assert "Attach the call to this outage" in response.content.decode()
    assert not OutageCaller.objects.exists()


def test_attaching_to_an_ended_outage_says_it_is_over(agent, city, new_outage):
    from mains.outages.actions import do_end_outage

    outage = new_outage()
    do_end_outage(outage, by=city.dispatcher)
    response = agent.post(
        reverse("outages:attach", args=[outage.pk]), {"caller_phone": "13812341234"}, **EN
    )
    assert response.status_code == 200
    assert "This outage is over" in response.content.decode()
    assert not OutageCaller.objects.exists()
