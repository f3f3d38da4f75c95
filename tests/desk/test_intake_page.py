"""The hotline intake page, through the test client."""

import json
import re
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image

from mains.desk import actions, queries
from mains.desk.models import Attachment, Category, OrderEvent, Visibility, WorkOrder
from mains.desk.states import Action, State
from mains.org.models import AccessLog

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def png(name: str = "leak.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def agent(client, city):
    client.force_login(city.agent)
    return client


def typed(city, **changes) -> dict:
    data = {
        "caller_phone": "138 1234 1234",
        "caller_name": "王五",
        "community": city.xingguang.pk,
        "community_label": "星光水晶城",
        "address": "5号楼1单元202",
        "category": city.leak.pk,
        "priority": "1",
        "channel": "walk_in",
        "description": "厨房水表接口漏水",
    }
    data.update(changes)
    return data


def test_the_intake_saves_an_order_and_confirms_it(agent, city):
    response = agent.post("/desk/intake/", typed(city), **EN)
    order = WorkOrder.objects.get()
    assert response.status_code == 302
    assert response.url == f"/desk/intake/?saved={order.pk}"
    assert (order.caller_phone, order.caller_name, order.address) == (
        "13812341234",
        "王五",
        "5号楼1单元202",
    )
    assert (order.priority, order.channel, order.state, order.created_by) == (
        1,
        "walk_in",
        State.DISPATCHED,
        city.agent,
    )
    page = agent.get(response.url, **EN).content.decode()
    assert f"Order {order.number} saved" in page
    assert "Sent to grid specialist 孙明" in page


def test_the_confirmation_of_someone_elses_order_number_is_not_shown(client, city, new_order):
    order = new_order()
    client.force_login(city.sam)
    assert client.get(f"/desk/intake/?saved={order.pk}").status_code == 403


BAD = [
    ("caller_phone", "12345", "“12345” is not a phone number"),
    ("category", "", "Choose a category."),
    ("description", "", "Write down what the caller says."),
    ("community", "", "Choose the community, or type an address."),
]


@pytest.mark.parametrize(("field", "value", "error"), BAD)
def test_bad_input_is_shown_again_with_every_typed_value_and_saves_nothing(
    agent, city, field, value, error
):
    data = typed(city, **{field: value})
    if field == "community":
        data.update(address="", community_label="")
    response = agent.post("/desk/intake/", data, **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert not WorkOrder.objects.exists()
    shown = {
        "caller_phone": f'value="{data["caller_phone"]}"',
        "caller_name": 'value="王五"',
        "community": f'name="community" id="id_community" value="{data["community"]}"',
        "community_label": f'value="{data["community_label"]}"',
        "address": f'value="{data["address"]}"',
        "category": f'<option value="{city.leak.pk}" selected>',
        "priority": '<option value="1" selected>',
        "channel": '<option value="walk_in" selected>',
        "description": f">{data['description']}</textarea>",
    }
    for name, html in shown.items():
        if data.get(name) or name in ("community", "community_label"):
            assert html in page, name


def test_errors_are_shown_in_the_users_language(agent, city):
    response = agent.post("/desk/intake/", typed(city, category=""), HTTP_ACCEPT_LANGUAGE="zh-hans")
    with translation.override("zh-hans"):
        assert gettext("Choose a category.") in response.content.decode()


@pytest.mark.parametrize("category", ["abc", "999999", "1.5"])
def test_a_forged_category_is_refused_without_an_error_page(agent, city, category):
    response = agent.post("/desk/intake/", typed(city, category=category), **EN)
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not WorkOrder.objects.exists()


@pytest.mark.parametrize("caller", ["13812341234", "+86 138 1234 1234"])
def test_the_cti_link_pops_the_callers_earlier_orders(agent, city, new_order, caller):
    earlier = new_order()
    stranger = new_order(caller_phone="13900002222")
    page = agent.get("/desk/intake/", {"caller": caller}).content.decode()
    assert f'value="{caller}"' in page
    assert earlier.number in page
    assert stranger.number not in page


def test_the_caller_panel_finds_orders_by_a_number_typed_with_spaces(agent, new_order):
    earlier = new_order()
    page = agent.get("/desk/intake/caller/", {"caller_phone": "138 1234 1234"}).content.decode()
    assert earlier.number in page
    page = agent.get("/desk/intake/caller/", {"caller_phone": "12"}, **EN).content.decode()
    assert earlier.number not in page


@pytest.mark.parametrize("text", ["星光", "水晶城", "xingguang", "XingGuangShui", "xgsjc", "xgs"])
def test_a_community_is_found_by_chinese_name_pinyin_or_initials(agent, city, text):
    page = agent.get("/desk/intake/communities/", {"q": text}).content.decode()
    assert f'data-id="{city.xingguang.pk}"' in page
    assert "锦绣家园" not in page


def test_a_community_search_with_no_match_says_so(agent, city):
    page = agent.get("/desk/intake/communities/", {"q": "zzz"}, **EN).content.decode()
    assert "No community matches" in page


def test_duplicate_hints_list_open_orders_of_the_same_community_and_category(
    agent, city, new_order
):
    open_one = new_order()
    other_category = new_order(category=city.burst)
    elsewhere = new_order(community=city.jinxiu)
    cancelled = new_order()
    actions.do_cancel(cancelled, city.dispatcher, "重复", duplicate_of=open_one)
    query = {"community": city.xingguang.pk, "category": city.leak.pk}
    page = agent.get("/desk/intake/hints/", query).content.decode()
    assert open_one.number in page
    for absent in (other_category, elsewhere, cancelled):
        assert absent.number not in page
    retyped = agent.post("/desk/intake/", typed(city, description=""), **EN).content.decode()
    assert f'data-id="{open_one.pk}"' in retyped


def test_attaching_the_call_records_it_on_the_open_order_and_creates_none(agent, city, new_order):
    order = new_order()
    data = typed(city, attach_to=order.pk, caller_phone="13900003333", caller_name="李四")
    response = agent.post("/desk/intake/", data, follow=True, **EN)
    assert WorkOrder.objects.count() == 1
    assert f"The call was attached to order {order.number}." in response.content.decode()
    event = OrderEvent.objects.get(order=order, action=Action.EXTRA_CALL)
    assert (event.actor, event.note, event.data) == (
        city.agent,
        "厨房水表接口漏水",
        {"caller_name": "李四", "caller_phone": "13900003333"},
    )
    assert WorkOrder.objects.get(pk=order.pk).call_count == 2
    told = response.content.decode()
    assert f'id="told-number">{order.number}<' in told
    assert "no new order was made" in told
    assert f"On site by <strong>{local(order.arrive_due)}</strong>" in told


def test_a_call_cannot_be_attached_to_an_order_closed_meanwhile(agent, city, new_order):
    order = new_order()
    actions.do_cancel(order, city.dispatcher, "无效")
    response = agent.post("/desk/intake/", typed(city, attach_to=order.pk), **EN)
    assert "That order is no longer open; save a new one." in response.content.decode()
    assert WorkOrder.objects.count() == 1
    assert not OrderEvent.objects.filter(action=Action.EXTRA_CALL).exists()


def test_photos_taken_at_intake_are_kept_with_the_order(agent, city):
    agent.post("/desk/intake/", typed(city, files=[png()]))
    attachment = Attachment.objects.get()
    assert (attachment.order, attachment.name, attachment.is_image) == (
        WorkOrder.objects.get(),
        "leak.png",
        True,
    )
    assert attachment.event.action == Action.CREATE


def test_a_file_that_is_not_a_photo_is_refused_at_intake(agent, city):
    text = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    response = agent.post("/desk/intake/", typed(city, files=[text]), **EN)
    assert "notes.txt is not a photo or a PDF." in response.content.decode()
    assert not WorkOrder.objects.exists()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("field", ["community", "category", "attach_to"])
def test_a_forged_number_in_a_hidden_field_is_refused_without_an_error_page(agent, city, field):
    response = agent.post("/desk/intake/", typed(city, **{field: "²"}), **EN)
    assert response.status_code == 200
    assert not WorkOrder.objects.exists()


def test_forged_numbers_in_the_panels_and_the_saved_link_do_not_break_them(agent, city):
    assert agent.get("/desk/intake/?saved=²").status_code == 200
    assert agent.get("/desk/intake/hints/", {"community": "²", "category": "①"}).status_code == 200


def test_an_agent_whose_caller_rings_again_reminds_from_the_order_page(agent, city, new_order):
    order = new_order()
    page = agent.get(f"/desk/orders/{order.pk}/?act=remind", **EN).content.decode()
    assert 'id="do-remind"' in page
    assert "Nothing to do on this order for you now." not in page
    assert "The caller rang again about this order." in page
    response = agent.post(
        f"/desk/orders/{order.pk}/do/remind/",
        {"remind-note": "居民第三次来电，水还在漏", "version": order.version},
        follow=True,
        **EN,
    )
    assert f"Reminder: order {order.number}." in response.content.decode()
    event = OrderEvent.objects.get(order=order, action=Action.REMIND)
    assert (event.actor, event.note) == (city.agent, "居民第三次来电，水还在漏")
    assert WorkOrder.objects.get(pk=order.pk).reminder_count == 1


def test_a_reminder_without_a_word_is_refused_and_the_page_says_why(agent, new_order):
    order = new_order()
    response = agent.post(
        f"/desk/orders/{order.pk}/do/remind/", {"remind-note": " ", "version": order.version}, **EN
    )
    assert response.status_code == 400
    assert "Give a reason." in response.content.decode()
    assert WorkOrder.objects.get(pk=order.pk).reminder_count == 0


def test_an_order_no_longer_open_offers_the_agent_no_reminder(agent, city, new_order):
    order = new_order()
    actions.do_cancel(order, city.dispatcher, "无效")
    page = agent.get(f"/desk/orders/{order.pk}/", **EN).content.decode()
    assert 'id="do-remind"' not in page


# The caller first: their last community, their open orders, their earlier addresses.


def test_the_caller_panel_shows_the_last_community_and_the_open_orders_to_remind(
    agent, city, new_order
):
    done = new_order(community=city.jinxiu)
    actions.do_cancel(done, city.dispatcher, "无效")
    open_one = new_order()
    page = agent.get("/desk/intake/caller/", {"caller_phone": "13812341234"}, **EN)
    html = page.content.decode()
    last = html[html.index('id="caller-last-community"') : html.index('id="caller-open-orders"')]
    assert f'data-id="{city.xingguang.pk}"' in last and "星光水晶城" in last
    opened = html[html.index('id="caller-open-orders"') : html.index("caller-history")]
    assert f"/desk/orders/{open_one.pk}/?act=remind" in opened
    assert f'data-id="{open_one.pk}"' in opened
    assert done.number not in opened
    assert done.number in html  # still among the earlier orders
    assert html.count('class="btn btn-sm btn-link p-0 address-pick"') == 2


def test_the_caller_panel_costs_the_same_queries_for_one_order_or_ten(
    agent, new_order, django_assert_max_num_queries
):
    new_order()
    with django_assert_max_num_queries(8) as one:
        agent.get("/desk/intake/caller/", {"caller_phone": "13812341234"})
    for _ in range(9):
        new_order()
    with django_assert_max_num_queries(len(one.captured_queries)):
        agent.get("/desk/intake/caller/", {"caller_phone": "13812341234"})


def test_an_earlier_order_fills_the_community_and_the_address_and_the_view_is_logged(
    agent, city, new_order
):
    earlier = new_order()
    url = f"/desk/intake/caller/address/{earlier.pk}/"
    answer = agent.get(url, {"caller_phone": "138 1234 1234"}).json()
    assert answer["address"] == "星光水晶城3号楼2单元501"
    assert (answer["community"], answer["community_name"]) == (city.xingguang.pk, "星光水晶城")
    assert "孙明" in answer["community_card"]
    logged = AccessLog.objects.get(subject=f"order:{earlier.pk}")
    assert (logged.user, logged.purpose, logged.fields) == (city.agent, "working", "address")


@pytest.mark.parametrize("typed", ["", "13900002222", "12"])
def test_an_earlier_orders_address_is_not_given_for_another_number(agent, new_order, typed):
    earlier = new_order()
    url = f"/desk/intake/caller/address/{earlier.pk}/"
    assert agent.get(url, {"caller_phone": typed}).status_code == 404
    assert not AccessLog.objects.exists()


def test_a_special_group_residents_address_never_fills_the_intake(agent, city, new_order):
    Category.objects.filter(pk=city.complaint.pk).update(visibility=Visibility.SPECIAL_GROUP)
    visit = new_order(category=city.complaint)
    html = agent.get("/desk/intake/caller/", {"caller_phone": "13812341234"}).content.decode()
    assert "address-pick" not in html
    url = f"/desk/intake/caller/address/{visit.pk}/"
    assert agent.get(url, {"caller_phone": "13812341234"}).status_code == 404


# The category pick: most used first, number keys, pinyin, no internal categories.


def offered(page: str) -> list[str]:
    start = page.index('id="id_category"')
    select = page[start : page.index("</select>", start)]
    return re.findall(r'<option value="(\d+)"', select)


def category_index(page: str) -> list[dict]:
    return json.loads(re.search(r'id="category-index"[^>]*>(.*?)</script>', page).group(1))


def test_the_categories_are_offered_most_used_first_with_number_keys(agent, city, new_order):
    cache.clear()
    for _ in range(3):
        new_order(category=city.complaint)
    new_order(category=city.burst)
    page = agent.get("/desk/intake/").content.decode()
    assert offered(page)[:2] == [str(city.complaint.pk), str(city.burst.pk)]
    assert f'<option value="{city.complaint.pk}">1 · 服务投诉</option>' in page
    assert f'<option value="{city.burst.pk}">2 · 爆管/主管道漏水</option>' in page
    index = category_index(page)
    assert [c["id"] for c in index] == [int(pk) for pk in offered(page)]
    assert [c["key"] for c in index] == [str(n) for n in range(1, 10)] + [""] * (len(index) - 9)
    leak = next(c for c in index if c["id"] == city.leak.pk)
    assert (leak["name"], leak["initials"], leak["pinyin"]) == (
        "水表或立管漏水",
        "sbhlgls",
        "shuibiaohuoliguanloushui",
    )
    burst = next(c for c in index if c["id"] == city.burst.pk)
    assert burst["initials"] == "bgzgdls", "the slash is not a letter to type"


def test_the_use_of_each_category_is_counted_once_for_many_pages(
    agent, city, new_order, django_assert_num_queries
):
    cache.clear()
    new_order(category=city.complaint)
    assert queries.category_uses() == {city.complaint.pk: 1}
    new_order(category=city.complaint)
    with django_assert_num_queries(0):
        assert queries.category_uses() == {city.complaint.pk: 1}
    cache.clear()
    assert queries.category_uses() == {city.complaint.pk: 2}


def test_orders_older_than_ninety_days_do_not_count_for_the_order(city, new_order):
    cache.clear()
    with time_machine.travel(timezone.now() - timedelta(days=91)):
        new_order(category=city.complaint)
    assert queries.category_uses() == {}


def test_internal_categories_are_not_offered_and_a_forged_one_is_refused(agent, city):
    Category.objects.filter(pk=city.burst.pk).update(visibility=Visibility.INTERNAL)
    Category.objects.filter(pk=city.complaint.pk).update(visibility=Visibility.SPECIAL_GROUP)
    page = agent.get("/desk/intake/").content.decode()
    assert str(city.burst.pk) not in offered(page)
    assert str(city.complaint.pk) not in offered(page)
    names = [c["name"] for c in category_index(page)]
    assert "爆管/主管道漏水" not in names and "服务投诉" not in names
    assert "水表或立管漏水" in names
    for forged in (city.burst, city.complaint):
        response = agent.post("/desk/intake/", typed(city, category=forged.pk), **EN)
        assert "Choose the category from the list." in response.content.decode()
    assert not WorkOrder.objects.exists()


# After saving: what to tell the caller. After an error: the photos to choose again.


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M")


def test_after_saving_the_page_tells_the_order_number_and_when_someone_is_on_site(agent, city):
    response = agent.post("/desk/intake/", typed(city), follow=True, **EN)
    order = WorkOrder.objects.get()
    html = response.content.decode()
    told = html[html.index('id="saved-order"') : html.index('id="intake-form"')]
    assert f'id="told-number">{order.number}<' in told
    assert f"On site by <strong>{local(order.arrive_due)}</strong>" in told
    assert f"Resolved by {local(order.resolve_due)}" in told
    assert "The form is ready for the next call." in told
    form = html[html.index('id="intake-form"') :]
    assert 'id="id_caller_phone" name="caller_phone" value=""' in form
    assert ">厨房水表接口漏水<" not in form


def test_a_question_answered_later_tells_the_caller_when_the_answer_comes(agent, city):
    agent.post("/desk/intake/", typed(city, category=city.complaint.pk), **EN)
    order = WorkOrder.objects.get()
    assert order.arrive_due is None
    html = agent.get(f"/desk/intake/?saved={order.pk}", **EN).content.decode()
    assert f"Answer by <strong>{local(order.resolve_due)}</strong>" in html
    assert "On site by" not in html


def test_a_photo_chosen_before_an_error_is_named_and_the_agent_told_to_choose_it_again(agent, city):
    response = agent.post(
        "/desk/intake/", typed(city, description="", files=[png("leak.png")]), **EN
    )
    html = response.content.decode()
    assert "leak.png was not saved, because the order was not: choose it again." in html
    assert 'value="5号楼1单元202"' in html
    assert not Attachment.objects.exists()
    plain = agent.post("/desk/intake/", typed(city, description=""), **EN).content.decode()
    assert 'id="files-again"' not in plain


def test_without_scripts_the_category_is_a_plain_select_and_the_search_box_stays_hidden(agent):
    page = agent.get("/desk/intake/", **EN).content.decode()
    search = re.search(r'<input class="form-control d-none" id="category-search"', page)
    assert search is not None, "intake.js shows the search box; without it the select is used"
    assert len(offered(page)) >= 10
