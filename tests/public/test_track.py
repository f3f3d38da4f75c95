"""Tracking: order number and the last four digits show the state, and nothing personal."""

import re

from django.utils import translation

from mains.desk.actions import do_accept, do_arrive, do_cancel, do_remind, do_resolve
from mains.desk.states import State
from mains.public.queries import PUBLIC_STEPS


def look_up(client, number, last_four):
    return client.post("/track/", {"number": number, "last_four": last_four})


def not_found_message(response) -> str:
    match = re.search(r'<div[^>]*id="not-found"[^>]*>(.*?)</div>', response.content.decode())
    return match.group(1) if match else ""


def zh(text) -> str:
    with translation.override("zh-hans"):
        return str(text)


def test_it_shows_the_state_the_dates_and_the_public_steps(client, city, new_order):
    order = new_order()
    do_remind(order, city.dispatcher, "内部催办：请孙明尽快处理")
    do_accept(order, city.sam)
    do_arrive(order, city.sam, "到场发现接头老化")
    do_resolve(order, city.sam, "更换了水表前接头，已不漏水")

    response = look_up(client, order.number, "1234")
    assert response.status_code == 200
    html = response.content.decode()
    assert order.number in html
    assert zh(State.RESOLVED.label) in html
    assert [step.state for step in response.context["steps"]] == [
        State.RECEIVED,
        State.DISPATCHED,
        State.ACCEPTED,
        State.ON_SITE,
        State.RESOLVED,
    ]
    assert zh(PUBLIC_STEPS[State.ON_SITE]) in html
    assert "更换了水表前接头，已不漏水" in html, "the resolution is public"
    assert 'id="resolved-at"' in html and zh("Not yet") not in html


def test_it_shows_nothing_personal_nor_internal(client, city, new_order):
    order = new_order()
    do_remind(order, city.dispatcher, "内部催办：请孙明尽快处理")
    do_accept(order, city.sam)
    do_arrive(order, city.sam, "到场发现接头老化")

    html = look_up(client, order.number, "1234").content.decode()
    for private in (
        "张三",
        "张*",
        "13812341234",
        "138****1234",
        "星光水晶城3号楼2单元501",
        "2单元501",
        "楼道水表漏水",  # the caller's own words
        "孙明",
        "唐涛",
        "安娜",
        "杜拉",
        "内部催办",
        "到场发现接头老化",
    ):
        assert private not in html, private
    assert zh(PUBLIC_STEPS[State.ACCEPTED]) in html


def test_a_wrong_last_four_answers_exactly_like_an_unknown_number(client, city, new_order):
    order = new_order()
    wrong_digits = look_up(client, order.number, "9999")
    unknown_number = look_up(client, "2099010100001", "1234")
    assert wrong_digits.status_code == unknown_number.status_code == 200
    assert not_found_message(wrong_digits) != ""
    assert not_found_message(wrong_digits) == not_found_message(unknown_number)
    assert "order" not in wrong_digits.context
    assert zh(State.DISPATCHED.label) not in wrong_digits.content.decode()


def test_an_order_taken_without_a_phone_is_never_found(client, city, new_order):
    order = new_order(caller_phone="")
    assert not_found_message(look_up(client, order.number, "0000"))
    assert not_found_message(look_up(client, order.number, "----")) == ""  # not 4 digits


def test_the_last_four_must_be_four_digits(client, city, new_order):
    order = new_order()
    response = look_up(client, order.number, "12a4")
    assert "last_four" in response.context["form"].errors
    assert 'value="12a4"' in response.content.decode()


def test_a_cancelled_order_does_not_show_why(client, city, new_order):
    order = new_order()
    do_cancel(order, city.dispatcher, "来电人恶意报修，已核实")
    html = look_up(client, order.number, "1234").content.decode()
    assert zh(State.CANCELLED.label) in html
    assert "恶意报修" not in html


def test_the_tracking_link_fills_in_the_number(client, city):
    html = client.get(f"/track/?number=2026112100042&c={city.xingguang.pk}").content.decode()
    assert 'value="2026112100042"' in html
    assert f'href="/c/{city.xingguang.pk}/"' in html, "a way back to the community"
