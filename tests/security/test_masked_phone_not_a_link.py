"""Issue 10, item 5: a masked phone is text, never a `tel:` link; the real number shown to
someone who needs it (the specialist's own order, the callback queue, a visit) is one."""

import re

from django.template import Context, Template
from django.test import RequestFactory

from mains.desk import actions
from mains.org.pii import Purpose, needed
from tests.security.personal_data import (
    CALLER,
    MASKED_CALLER,
    RESIDENT,
    register_resident,
    resolved,
)

TEL = re.compile(r'href="tel:([^"]*)"')


def tel_links(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return TEL.findall(response.content.decode())


def test_the_order_page_masks_the_phone_as_text_for_the_dispatcher(client, city, new_order):
    order = new_order()
    client.force_login(city.dispatcher)
    page = client.get(f"/desk/orders/{order.pk}/").content.decode()
    assert MASKED_CALLER[1] in page
    assert TEL.findall(page) == []


def test_the_assignee_s_order_page_links_the_real_number(client, city, new_order):
    order = new_order()
    client.force_login(city.sam)
    assert tel_links(client, f"/desk/orders/{order.pk}/") == [CALLER[1]]
    assert tel_links(client, "/desk/mine/") == [CALLER[1]]


def test_a_revealed_number_is_a_link_again(client, city, new_order):
    order = new_order()
    client.force_login(city.dispatcher)
    client.post("/desk/reveal/", {"subject": f"order:{order.pk}", "reason": "回拨"})
    assert tel_links(client, f"/desk/orders/{order.pk}/") == [CALLER[1]]


def test_the_callback_queue_links_the_numbers_to_call_and_not_the_archive(client, city, new_order):
    order = resolved(city, new_order)
    client.force_login(city.agent)
    assert tel_links(client, "/desk/callbacks/") == [CALLER[1]]
    actions.do_callback(order, city.agent, "satisfied", "")
    archive = client.get("/desk/callbacks/?tab=archive").content.decode()
    assert MASKED_CALLER[1] in archive and TEL.findall(archive) == []


def test_the_visits_page_links_the_resident_and_the_desk_list_does_not(client, city):
    register_resident(city)
    client.force_login(city.sam)
    assert tel_links(client, "/care/visits/") == [RESIDENT[1]]
    client.force_login(city.dispatcher)
    assert tel_links(client, "/care/residents/") == []


def render(order, granted: dict, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    template = Template("{% load order_pii %}{% caller_phone order %}")
    return template.render(Context({"request": request, "order": order, "sees_pii_of": granted}))


def test_the_tag_renders_a_link_only_for_the_real_number(city, new_order):
    order = new_order()
    assert render(order, {}, city.dispatcher) == MASKED_CALLER[1]
    shown = render(order, needed([order], Purpose.WORKING), city.sam)
    assert shown == f'<a href="tel:{CALLER[1]}">{CALLER[1]}</a>'


def test_the_tag_shows_nothing_for_an_order_without_a_phone(city, new_order):
    order = new_order(caller_phone="")
    assert render(order, needed([order], Purpose.WORKING), city.sam) == ""
