"""Who may see and run outages."""

import pytest
from django.urls import reverse

from mains.outages.models import Outage


@pytest.mark.parametrize("who", ["dispatcher", "manager", "admin", "agent"])
def test_these_roles_see_the_outage_list_and_its_menu_item(client, city, who):
    client.force_login(getattr(city, who))
    response = client.get(reverse("outages:list"))
    assert response.status_code == 200
    assert reverse("outages:list") in [item["url"] for item in response.context["nav_items"]]


@pytest.mark.parametrize("who", ["sam", "unit_manager", "supervisor", "inspector", "engineer"])
def test_other_roles_are_kept_out(client, city, new_outage, who):
    outage = new_outage()
    client.force_login(getattr(city, who))
    assert client.get(reverse("outages:list")).status_code == 403
    assert client.get(reverse("outages:detail", args=[outage.pk])).status_code == 403
    assert client.post(reverse("outages:end", args=[outage.pk])).status_code == 403
    assert client.post(reverse("outages:attach", args=[outage.pk])).status_code == 403


def test_an_agent_may_read_but_not_announce_or_end(client, city, new_outage):
    outage = new_outage()
    client.force_login(city.agent)
    assert client.get(reverse("outages:detail", args=[outage.pk])).status_code == 200
    assert client.get(reverse("outages:new")).status_code == 403
    assert client.post(reverse("outages:end", args=[outage.pk])).status_code == 403
    outage.refresh_from_db()
    assert outage.status == Outage.Status.ANNOUNCED


def test_a_manager_may_not_attach_calls(client, city, new_outage):
    outage = new_outage()
    client.force_login(city.manager)
    response = client.post(
        reverse("outages:attach", args=[outage.pk]), {"caller_phone": "13812341234"}
    )
    assert response.status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, city):
    response = client.get(reverse("outages:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_an_unknown_outage_is_not_found(client, city):
    client.force_login(city.dispatcher)
    assert client.get(reverse("outages:detail", args=[999])).status_code == 404
